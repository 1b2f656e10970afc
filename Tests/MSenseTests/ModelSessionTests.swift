import Testing
@testable import MSense

/// The factor-model vocabulary in the REPL: completion offers the new names, their named
/// arguments and a run's fields; `:help` has a doc, parameters and a tested example for each.
@Suite("Factor models in the REPL")
struct ModelSessionTests {
    static let names = ["lowrank", "indefinite", "matrix_truth", "iid_gaussian", "rank_one_pairs", "sample_entries",
                        "bernoulli_entries", "observe_all", "given_entries", "given_stack", "outliers", "split", "subset",
                        "sym", "asym", "deep", "lora", "deep_init", "balanced_asym", "spectral_asym", "exists", "files"]

    @Test("completion offers every new builtin")
    func completion() {
        let interpreter = Interpreter(output: { _ in })
        for name in Self.names {
            let prefix = String(name.prefix(4))
            #expect(interpreter.completions(line: prefix, word: prefix).contains(name), "\(name)")
        }
        #expect(interpreter.completions(line: "deep_init(4, 3, ki", word: "ki").contains("kind:"))
    }

    @Test("completion offers a model run's factors and trace")
    func runFields() throws {
        let interpreter = Interpreter(output: { _ in })
        _ = try interpreter.run(source: """
            seed(1)
            let P = sensing(lowrank(4, 3, svals: [1]), iid_gaussian(m: 40, d1: 4, d2: 3))
            let run = gd(P, init: asym(small(4, 1, alpha: 0.1), small(3, 1, alpha: 0.1)), lr: 0.1, steps: 5)
            """, path: "session")
        let fields = interpreter.completions(line: "run.", word: "")
        for field in ["F", "G", "factors", "matrix", "model", "trace", "phases"] { #expect(fields.contains(field), "\(field)") }
    }

    @Test(":help has a doc, and an example, for every new builtin")
    func help() throws {
        let interpreter = Interpreter(output: { _ in })
        for name in Self.names {
            let builtin = try #require(interpreter.builtin(named: name), "\(name)")
            #expect(!builtin.doc.isEmpty)
            #expect(builtin.example?.contains("# expect:") == true, "\(name) has a tested example")
        }
    }
}
