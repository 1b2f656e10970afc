import Foundation
import Testing
@testable import MSense
@testable import MSenseCore
import Tensor

/// `minimize(problem, …, kernel:)` (docs/optimizers.md): on a dense ensemble the unrecorded
/// full-batch steps go through `G vec(M) − b` as the built-in `gd`'s do, chosen the same way,
/// with the same bits, and the rows pass takes over where a stop may be near.
@Suite("minimize's Gram route")
struct MinimizeGramRouteTests {
    /// What `source` printed, or its rendered error.
    private func run(_ source: String) -> String {
        let (output, failure) = runScript(Self.problem + source, path: "gram.msense")
        return output + (failure?.rendered(color: false) ?? "")
    }

    /// p = 48 weights a measurement, m = 120: `G`'s triangle holds 1 176 numbers against the
    /// rows' 5 760, so the route pays once 2p = 96 steps go unrecorded.
    private static let problem = """
        seed(1)
        let P = sensing(lowrank(8, 6, svals: [1, 0.5]), iid_gaussian(m: 120, d1: 8, d2: 6))
        let m0 = balanced_asym(8, 6, r: 2, alpha: 0.1)
        fn same(a, b) {
            let ok = a.trace.columns == b.trace.columns and a.factors == b.factors
            for c in a.trace.columns { ok = ok and a.trace[c] == b.trace[c] }
            return ok
        }

        """

    @Test("descent and alternating descent through G give gd's trace through G to the last bit, and the rows pass's to rounding")
    func sameBitsAsGD() {
        let text = run("""
            let viaG = minimize(P, init: m0, optimizer: descent(lr: 0.4), steps: 300, every: 10, kernel: "gram")
            let rows = minimize(P, init: m0, optimizer: descent(lr: 0.4), steps: 300, every: 10, kernel: "rows")
            let builtin = gd(P, m0, lr: 0.4, steps: 300, every: 10, kernel: "gram")
            print(viaG.trace.loss == builtin.trace.loss, viaG.trace.grad_norm == builtin.trace.grad_norm, viaG.factors == builtin.factors)
            print(viaG.F == rows.F, norm(viaG.F - rows.F) <= 1e-12 * norm(rows.F), viaG.trace.count == rows.trace.count)
            let alt = minimize(P, init: m0, optimizer: alternating(descent(lr: 0.4)), steps: 300, every: 10, kernel: "gram")
            print(alt.factors == gd(P, m0, lr: 0.4, steps: 300, every: 10, kernel: "gram", optimizer: "alternating").factors)
            """)
        #expect(text == "true true true\nfalse true true\ntrue\n", "\(text)")
    }

    @Test("auto takes G when it pays, as gd's auto does, and the rows pass when it does not")
    func automaticChoosesAsGD() {
        let text = run("""
            let opt = adam(lr: 0.01)
            let auto = minimize(P, init: m0, optimizer: opt, steps: 200, every: 100)
            print(same(auto, minimize(P, init: m0, optimizer: opt, steps: 200, every: 100, kernel: "gram")),
                  same(auto, minimize(P, init: m0, optimizer: opt, steps: 200, every: 100, kernel: "rows")))
            let short = minimize(P, init: m0, optimizer: opt, steps: 50, every: 10)
            print(same(short, minimize(P, init: m0, optimizer: opt, steps: 50, every: 10, kernel: "rows")))
            print(gd(P, m0, lr: 0.4, steps: 200, every: 100).F == minimize(P, init: m0, optimizer: descent(lr: 0.4), steps: 200, every: 100).F)
            """)
        #expect(text == "true false\ntrue\ntrue\n", "\(text)")
    }

    /// A tolerance is compared with the rows pass's loss: the run stops at the step the rows
    /// pass stops at, on a row of its exact loss.
    @Test("a tolerance stops the run through G where it stops the rows pass")
    func toleranceStopsWhereTheRowsDo() {
        let text = run("""
            let a = minimize(P, init: m0, optimizer: adam(lr: 0.01), steps: 3000, every: 7, tol: 1e-4, kernel: "rows")
            let b = minimize(P, init: m0, optimizer: adam(lr: 0.01), steps: 3000, every: 7, tol: 1e-4, kernel: "gram")
            print(a.last_step == b.last_step, a.last_step % 7 != 0, b.stop_reason, b.trace.loss[b.trace.count - 1] <= 1e-4)
            """)
        #expect(text == "true true tolerance true\n", "\(text)")
    }

    @Test("a loss the guard stops is reported from the rows pass, at the rows pass's step")
    func guardStopsWhereTheRowsDo() {
        let text = run("""
            for k in ["rows", "gram"] {
                try { minimize(P, init: m0, optimizer: descent(lr: 8), steps: 500, every: 100, kernel: k) } catch e { print(k, e.step, e.loss > 1e6 * e.trace.loss[0]) }
            }
            """)
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").dropFirst().joined(separator: " ") }
        #expect(lines.count == 2 && lines[0] == lines[1] && lines[0].hasSuffix(" true"), "\(text)")
    }

    /// Polyak's step size is made from the loss, which G only estimates: auto takes the rows.
    @Test("Polyak's rule takes the rows pass under auto")
    func polyakTakesTheRows() {
        let text = run("""
            let opt = polyak(max_step: 1)
            print(same(minimize(P, init: m0, optimizer: opt, steps: 200, every: 100),
                       minimize(P, init: m0, optimizer: opt, steps: 200, every: 100, kernel: "rows")))
            """)
        #expect(text == "true\n", "\(text)")
    }

    @Test("kernel \"gram\" is refused for a function, a mini-batch and Polyak's rule, each with a hint")
    func refusals() {
        let cases: [(call: String, message: String, hint: String)] = [
            ("minimize(fn(x) => x ^ 2, init: 1, optimizer: descent(lr: 0.1), steps: 5, kernel: \"gram\")",
             "kernel \"gram\" is the Gram route of a problem's built-in loss", "leave kernel: out for a function"),
            ("minimize(P, init: m0, optimizer: descent(lr: 0.1), steps: 5, batch: 10, kernel: \"gram\")",
             "a mini-batch step reads its batch's rows", "use kernel: \"rows\" (or leave it out) with batch:"),
            ("minimize(P, init: m0, optimizer: alternating(polyak()), steps: 5, kernel: \"gram\")",
             "polyak's step size is made from the loss", "leave kernel: out (or use kernel: \"rows\") with polyak"),
            ("minimize(P, init: m0, optimizer: descent(lr: 0.1), steps: 5, kernel: \"fast\")",
             "argument 'kernel' must be \"auto\", \"rows\" or \"gram\", not \"fast\"", ""),
            ("minimize(sensing(lowrank(6, 6, svals: [1]), sample_entries(m: 30, d1: 6, d2: 6)), init: balanced_asym(6, 6, r: 1, alpha: 0.1), optimizer: descent(lr: 0.1), steps: 5, kernel: \"gram\")",
             "kernel \"gram\" needs a dense ensemble (iid_gaussian, given_stack), not the completion ensemble", ""),
        ]
        for (call, message, hint) in cases {
            let text = run(call)
            #expect(text.contains("gram.msense:") && text.contains(message) && (hint.isEmpty || text.contains("hint: " + hint)), "\(text)")
        }
    }

    /// The checkpoint keeps whether the run still steps through G (`run.gram`): a resumed run
    /// gives the uninterrupted run's bits, and a file whose run had gone over to the rows pass
    /// resumes on the rows pass.
    @Test("resumed bit for bit through G; a file whose run left G resumes on the rows pass")
    func checkpointKeepsTheRoute() throws {
        let run = { (k: String, extra: String) in
            "minimize(P, init: m0, optimizer: adam(lr: 0.02), steps: 300, every: 10, kernel: \"\(k)\"\(extra))"
        }
        try withScratchFolder("gram-route") { scratch in
            let (interpreter, out) = scratchInterpreter(in: scratch, access: FileAccess(canRead: true, canWrite: true, root: scratch))
            _ = try interpreter.run(source: Self.problem + """
                let whole = \(run("gram", ""))
                \(run("gram", ", checkpoint: \"through.npz\", stop: fn(s) => s.step >= 150"))
                print(same(whole, \(run("gram", ", resume: \"through.npz\""))))
                """, path: "write.msense")
            var arrays = try NPZ.read(from: scratch.appendingPathComponent("through.npz"))
            #expect(arrays["run.gram"]?.elements == [1])
            arrays["run.gram"] = NDArray(scalar: 0)
            try NPZ.write(arrays, to: scratch.appendingPathComponent("left.npz"))
            _ = try interpreter.run(source: """
                let left = \(run("gram", ", resume: \"left.npz\""))
                print(same(left, \(run("rows", ", resume: \"through.npz\""))), same(left, whole))
                """, path: "resume.msense")
            #expect(out.text == "true\ntrue false\n", "\(out.text)")
        }
    }
}
