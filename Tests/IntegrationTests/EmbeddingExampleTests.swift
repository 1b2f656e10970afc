import Foundation
import Testing

/// examples/embedding is a separate package using only the public `MSense` API: build it with
/// the toolchain's `swift build` and check what its run shows.
@Suite("Embedding example")
struct EmbeddingExampleTests {
    @Test("EmbedDemo builds against the library product and runs: native function, live rows, cancel, sandbox, limits")
    func embedDemo() throws {
        let package = Harness.root.appendingPathComponent("examples/embedding")
        let env = URL(fileURLWithPath: "/usr/bin/env")
        // SwiftPM keeps the build plan of a path dependency and does not notice source files
        // added to msense since the last build ("cannot find X in scope"): drop the plan.
        let scratch = package.appendingPathComponent(".build")
        for stale in ["release.yaml", "debug.yaml", "release/description.json", "debug/description.json"] {
            try? FileManager.default.removeItem(at: scratch.appendingPathComponent(stale))
        }
        // A build of the whole library from scratch, alongside the other tests on two cores: it
        // gets a longer limit than a run.
        let build = try Harness.run(env, ["swift", "build", "-c", "release", "--package-path", package.path],
                                    timeout: Harness.buildTimeout)
        try #require(build.status == 0, "swift build failed:\n\(build.stdout)\n\(build.stderr)")
        let demo = package.appendingPathComponent(".build/release/EmbedDemo")
        let run = try Harness.run(demo, [])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let out = run.stdout
        #expect(out.contains("[host] gd started, 1600 steps"))
        #expect(out.contains("[host] live row: step 300"))
        #expect(out.contains("[host] gd finished after 1600 of 1600 steps"))
        #expect(out.contains("[script] ranks learned at [300, 600, 1100]"))
        #expect(out.contains("α grid [1e-06, 9.999999999999999e-05, 0.01]; 17 rows streamed"))
        #expect(out.contains("long.msense:1:12 cancelled"))
        #expect(out.contains("bindings survive: problem is a problem"))
        #expect(out.contains("refused: untrusted.msense:1:1: save: writing files is disabled by the host"))
        #expect(out.contains("refused: untrusted.msense:2:1: step limit exceeded"))
        #expect(out.hasSuffix("[host] done\n"))
    }
}
