import Foundation
import Testing
import Tensor

/// Replay conformance of the factor models: `examples/replay_asym.msense` (M = FGᵀ) and
/// `examples/replay_deep.msense` (M = W_N⋯W₁), run as `DIR ETA STEPS EVERY OUT.csv`, reproduce
/// the NumPy trace to a relative 1e-6 in every column the fixture has. A fixture whose `args` names
/// an optimizer (`alternating`, `agn`) replays with it, and those match to 1e-10.
///
/// Runs over our own fixtures (`Tests/Fixtures/field-{asym,deep}-*`, made by
/// `Tests/Oracle/field_oracle.py`, which also records the model terms and grad_norm) and, when
/// `../shared/fixtures-field` exists, over the reference implementation's asym and deep fixtures.
@Suite("Factor-model replay conformance")
struct FieldReplayConformanceTests {
    static func fixtures(in folder: URL, prefixes: [String]) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in prefixes.contains { name.hasPrefix($0) } }.sorted().map { folder.appendingPathComponent($0) }
    }

    static let ownFixtures = fixtures(in: Harness.root.appendingPathComponent("Tests/Fixtures"), prefixes: ["field-asym-", "field-deep-"])
    static let sharedFixtures = Harness.shared.map {
        fixtures(in: $0.appendingPathComponent("fixtures-field"), prefixes: ["asym-", "deep-"])
    } ?? []

    @Test("our fixtures exist, both families")
    func ownFixturesPresent() {
        #expect(Self.ownFixtures.filter { $0.lastPathComponent.hasPrefix("field-asym-") }.count >= 3)
        #expect(Self.ownFixtures.filter { $0.lastPathComponent.hasPrefix("field-deep-") }.count >= 3)
    }

    @Test("matches our NumPy oracle in every column", arguments: ownFixtures)
    func ownFixture(_ directory: URL) throws {
        try Self.check(directory)
    }

    @Test("matches ../shared reference fixtures", .enabled(if: !sharedFixtures.isEmpty), arguments: sharedFixtures)
    func sharedFixture(_ directory: URL) throws {
        try Self.check(directory)
    }

    /// The default kernel takes the Gram route `G vec(M) − b` on the unrecorded steps of most of
    /// these runs (`p + 1 ≤ 1.6m`, at least `2p` unrecorded steps); both explicit kernels must match too.
    @Test("the rows and gram kernels match too", arguments: ownFixtures + sharedFixtures, ["rows", "gram"])
    func kernels(_ directory: URL, kernel: String) throws {
        try Self.check(directory, kernel: kernel)
    }

    /// The family is the folder name's `asym` or `deep`.
    static func script(for directory: URL) -> String {
        let family = directory.lastPathComponent.contains("deep") ? "deep" : "asym"
        return Harness.root.appendingPathComponent("examples/replay_\(family).msense").path
    }

    /// The fixtures of the alternating rules (their `args` name the optimizer).
    static let alternatingFixtures = ownFixtures.filter { $0.lastPathComponent.hasSuffix("-alternating") || $0.lastPathComponent.contains("-agn") }

    /// The alternating GD and AGN fixtures (`field_oracle.py --optimizer`; AGN written there the
    /// way the authors' code writes it, in their normalisation `A_k = Aᵢ/√m`) match to 1e-10
    /// relative, each value's denominator floored at 1e-6 × its column's largest magnitude
    /// (singular values near zero are only defined to rounding of the largest).
    @Test("alternating GD and AGN match the oracle to 1e-10", arguments: alternatingFixtures)
    func alternatingRules(_ directory: URL) throws {
        try Self.check(directory, kernel: "rows", tolerance: 1e-10)
    }

    @Test("the AGN fixtures include one with r > d2, where GᵀG is singular")
    func agnFixturesPresent() throws {
        let names = Self.alternatingFixtures.map(\.lastPathComponent)
        #expect(names.contains("field-asym-agn") && names.contains("field-asym-agn-over") && names.contains("field-asym-alternating")
                && names.contains("field-deep-alternating"), "\(names)")
        let f0 = try NPY.read(from: Harness.root.appendingPathComponent("Tests/Fixtures/field-asym-agn-over/F0.npy"))
        let g0 = try NPY.read(from: Harness.root.appendingPathComponent("Tests/Fixtures/field-asym-agn-over/G0.npy"))
        #expect(f0.shape[1] > g0.shape[0], "r \(f0.shape) must exceed d2 \(g0.shape)")
    }

    static func check(_ directory: URL, kernel: String = "auto", tolerance: Double = 1e-6) throws {
        let args = try String(contentsOf: directory.appendingPathComponent("args"), encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        try #require(args.count == 3 || args.count == 4, "args file must hold ETA STEPS EVERY [OPTIMIZER]")
        let scratch = try Harness.temporaryDirectory("field-replay")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("trace.csv")
        let run = try Harness.msense([script(for: directory), directory.path] + args.prefix(3) + [out.path, kernel] + args.dropFirst(3))
        try #require(run.status == 0, "msense failed: \(run.stderr)")
        try compare(out, with: directory.appendingPathComponent("trace.csv"), "\(directory.lastPathComponent) (\(kernel))", tolerance: tolerance)
    }

    /// Checks the trace CSV `out` against `reference`: its columns start with the reference's,
    /// the steps are equal and every other value agrees to a relative `tolerance` (1e-6; below
    /// that, each denominator is floored at 1e-6 × its column's largest magnitude).
    static func compare(_ out: URL, with reference: URL, _ label: String, tolerance: Double = 1e-6) throws {
        let expected = try CSV.read(from: reference)
        let actual = try CSV.read(from: out)
        #expect(actual.header.starts(with: ["step", "loss", "rel_err"]))
        #expect(actual.header.starts(with: expected.header), "the reference columns come first, in order")
        try #require(actual.rows.count == expected.rows.count, "row count")
        let floors = expected.header.indices.map { j in
            tolerance < 1e-6 ? 1e-6 * (expected.rows.map { abs($0[j]) }.max() ?? 0) : 1e-12
        }
        var worst = 0.0
        for (got, want) in zip(actual.rows, expected.rows) {
            #expect(got[0] == want[0], "steps differ")
            for (j, (g, w)) in zip(got, want).enumerated().dropFirst() {
                worst = max(worst, abs(g - w) / max(abs(w), floors[j], 1e-12))
            }
        }
        #expect(worst <= tolerance, "worst relative difference \(worst) in \(label)")
    }

    // MARK: Refusals

    /// A copy of one of our fixtures in a scratch folder, with `replace` files swapped for
    /// matrices of the given shapes (and `remove` files deleted).
    static func brokenCopy(of fixture: String, replace: [String: (Int, Int)], remove: [String] = []) throws -> URL {
        let source = Harness.root.appendingPathComponent("Tests/Fixtures/\(fixture)")
        let scratch = try Harness.temporaryDirectory("field-broken").appendingPathComponent(fixture)
        try FileManager.default.copyItem(at: source, to: scratch)
        for (name, shape) in replace {
            let url = scratch.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: url)
            try NPY.write(NDArray(Matrix(rows: shape.0, cols: shape.1, repeating: 0.5)), to: url)
        }
        for name in remove { try FileManager.default.removeItem(at: scratch.appendingPathComponent(name)) }
        return scratch
    }

    static func refusal(_ directory: URL) throws -> String {
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let out = directory.appendingPathComponent("out.csv")
        let run = try Harness.msense([script(for: directory), directory.path, "0.1", "10", "5", out.path])
        #expect(run.status == 1, "exit status \(run.status): \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        return run.stderr
    }

    @Test("asym: a G0 of the wrong height is refused naming both files and shapes")
    func asymWrongG0() throws {
        let message = try Self.refusal(try Self.brokenCopy(of: "field-asym-gaussian", replace: ["G0.npy": (5, 4)]))
        #expect(message.contains("G0.npy has shape [5, 4]"), "\(message)")
        #expect(message.contains("Mstar.npy is 10×6"), "\(message)")
    }

    @Test("asym: F0 and G0 with different ranks are refused")
    func asymRankMismatch() throws {
        let message = try Self.refusal(try Self.brokenCopy(of: "field-asym-gaussian", replace: ["F0.npy": (10, 2)]))
        #expect(message.contains("F0.npy is 10×2"), "\(message)")
        #expect(message.contains("G0.npy is 6×4"), "\(message)")
    }

    @Test("asym: a truth of another shape than the measurements is refused")
    func asymTruthMismatch() throws {
        let message = try Self.refusal(try Self.brokenCopy(of: "field-asym-gaussian", replace: ["Mstar.npy": (6, 10)]))
        #expect(message.contains("A.npy has shape [300, 10, 6]"), "\(message)")
        #expect(message.contains("Mstar.npy is 6×10"), "\(message)")
    }

    @Test("deep: factors that do not chain are refused naming both files")
    func deepChainMismatch() throws {
        let message = try Self.refusal(try Self.brokenCopy(of: "field-deep-3", replace: ["W2.npy": (8, 5)]))
        #expect(message.contains("W2.npy has shape [8, 5]"), "\(message)")
        #expect(message.contains("W1.npy has shape [8, 6]"), "\(message)")
    }

    @Test("deep: a gap in W1 … WN is refused")
    func deepGap() throws {
        let message = try Self.refusal(try Self.brokenCopy(of: "field-deep-3", replace: [:], remove: ["W2.npy"]))
        #expect(message.contains("W files must be exactly W1.npy … W2.npy, found W1.npy, W3.npy"), "\(message)")
    }
}
