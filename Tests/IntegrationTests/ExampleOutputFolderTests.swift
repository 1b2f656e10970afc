import Foundation
import Testing

/// The examples that write into an output folder make it before they compute, so a folder that
/// cannot be made (here: a path through a regular file) fails at once with a located error,
/// before any result is printed, instead of after the whole computation.
@Suite("Example output folders")
struct ExampleOutputFolderTests {
    static let examples = [
        "field/agn_kappa", "field/scaledgd_kappa", "field/depth_incremental", "field/curse_of_symmetry", "field/deep_completion",
        "paper/alpha_sweep", "paper/gd_vs_glrl", "paper/under_parameterized", "paper/ensembles", "paper/large_init",
        "paper/incremental", "paper/figure1", "paper/figure2", "sweeps/alpha_seeds",
    ]

    @Test("an output folder that cannot be made fails before the computation", arguments: examples)
    func uncreatableFolder(_ name: String) throws {
        let scratch = try Harness.temporaryDirectory("outdir")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let blocker = scratch.appendingPathComponent("file")
        try Data("not a folder".utf8).write(to: blocker)
        let script = Harness.root.appendingPathComponent("examples/\(name).msense").path
        let run = try Harness.msense([script, blocker.appendingPathComponent("sub").path])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("error: mkdir: cannot create folder"), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "printed before failing: \(run.stdout)")
    }
}
