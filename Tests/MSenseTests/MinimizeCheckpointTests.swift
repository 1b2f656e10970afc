import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// `minimize` checkpoints (docs/optimizers.md, "Checkpoints"): a run stopped and resumed from
/// its file gives the uninterrupted run's trace and parameters bit for bit, for every kind of
/// optimizer state and for mini-batch draws; the file goes through the host's sandbox.
@Suite("minimize checkpoints")
struct MinimizeCheckpointTests {
    /// Runs `source` in an interpreter whose files live in a fresh scratch folder; returns what
    /// it printed, or the rendered error.
    private func run(_ source: String, access: (URL) -> FileAccess = { FileAccess(canRead: true, canWrite: true, root: $0) }) throws -> String {
        try withScratchFolder("minimize") { scratch in
            let (interpreter, out) = scratchInterpreter(in: scratch, access: access(scratch))
            do throws(ScriptFailure) { _ = try interpreter.run(source: source, path: "checkpoint.msense") } catch { return out.text + error.rendered(color: false) }
            return out.text
        }
    }

    private static let problem = """
        seed(3)
        let P = sensing(lowrank(10, 8, svals: [1, 0.4]), iid_gaussian(m: 160, d1: 10, d2: 8))
        let m0 = balanced_asym(10, 8, r: 2, alpha: 0.2)
        fn same(a, b) {
            let ok = a.trace.columns == b.trace.columns and a.factors == b.factors and a.last_step == b.last_step
            for c in a.trace.columns { ok = ok and a.trace[c] == b.trace[c] }
            return ok
        }
        fn check(name, opt, batch) {
            seed(9)
            let whole = minimize(P, init: m0, optimizer: opt, steps: 45, every: 4, batch: batch)
            seed(9)
            minimize(P, init: m0, optimizer: opt, steps: 45, every: 4, batch: batch, checkpoint: "c/run.npz", checkpoint_every: 10, stop: fn(s) => s.step >= 21)
            let resumed = minimize(P, init: m0, optimizer: opt, steps: 45, every: 4, batch: batch, resume: "c/run.npz")
            print(name, same(whole, resumed))
        }

        """

    @Test("momentum, Adam, alternating Nesterov, RMSprop on a schedule, Polyak: resumed bit for bit, full and mini-batch")
    func builtinRules() throws {
        let text = try run(Self.problem + """
            for opt in [momentum(lr: 0.1, beta: 0.8), adam(lr: 0.02, weight_decay: 1e-3, clip: 1), alternating(nesterov(lr: 0.1)),
                        rmsprop(lr: cosine(0.01, steps: 45)), polyak(max_step: 1)] {
                check(opt.name, opt, nil)
                check(opt.name + " batch", opt, 40)
            }
            """)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 10, "\(text)")
        #expect(lines.allSatisfy { $0.hasSuffix(" true") }, "\(text)")
    }

    @Test("a custom rule's state record and a function objective's batch indices: resumed bit for bit")
    func customRuleAndFunction() throws {
        let text = try run(Self.problem + """
            let heavy = custom_rule(name: "heavy", init: fn(p) => {vF: 0 * p.F, vG: 0 * p.G, count: 0},
                step: fn(p, g, s, t) {
                    let vF = 0.7 * s.vF - 0.1 * g.F
                    let vG = 0.7 * s.vG - 0.1 * g.G
                    return {params: {F: p.F + vF, G: p.G + vG}, state: {vF: vF, vG: vG, count: s.count + t}, step_size: 0.1}
                })
            check("custom", heavy, nil)
            check("custom batch", heavy, 40)
            let a = randn(120, 10)
            let b = randn(120, 8)
            let y = ((a @ P.truth.matrix) * b) @ ones(8, 1)
            fn f(F, G, idx) => sum((((a @ F) * (b @ G)) @ ones(2, 1) - y)[idx] ^ 2) / 60
            seed(2)
            let whole = minimize(f, init: {F: m0.F, G: m0.G}, optimizer: adam(lr: 0.05), steps: 30, every: 5, batch: 30, samples: 120)
            seed(2)
            minimize(f, init: {F: m0.F, G: m0.G}, optimizer: adam(lr: 0.05), steps: 12, every: 5, batch: 30, samples: 120, checkpoint: "f.npz")
            let resumed = minimize(f, init: {F: m0.F, G: m0.G}, optimizer: adam(lr: 0.05), steps: 30, every: 5, batch: 30, samples: 120, resume: "f.npz")
            print("function batch", same(whole, resumed))
            """)
        #expect(text == "custom true\ncustom batch true\nfunction batch true\n", "\(text)")
    }

    @Test("a resume with another optimizer, shape or setting is refused, naming the difference")
    func refusals() throws {
        let text = try run(Self.problem + """
            minimize(P, init: m0, optimizer: momentum(lr: 0.1), steps: 10, checkpoint: "m.npz")
            for attempt in [fn() => minimize(P, init: m0, optimizer: adam(lr: 0.1), steps: 20, resume: "m.npz"),
                            fn() => minimize(P, init: m0, optimizer: momentum(lr: 0.1, beta: 0.5), steps: 20, resume: "m.npz"),
                            fn() => minimize(P, init: m0, optimizer: alternating(momentum(lr: 0.1)), steps: 20, resume: "m.npz"),
                            fn() => minimize(P, init: balanced_asym(10, 8, r: 3, alpha: 0.2), optimizer: momentum(lr: 0.1), steps: 20, resume: "m.npz"),
                            fn() => minimize(P, init: m0, optimizer: momentum(lr: 0.1), steps: 20, every: 2, resume: "m.npz"),
                            fn() => minimize(P, init: m0, optimizer: momentum(lr: 0.1), steps: 5, resume: "m.npz")] {
                try { attempt() } catch e { print(e.message) }
            }
            """)
        var lines = text.split(separator: "\n").map(String.init)
        // Which of adam's hyperparameters is named first is not fixed.
        let first = lines.isEmpty ? "" : lines.removeFirst()
        #expect(first.hasPrefix("minimize: the saved optimizer state has no 'adam.") && first.hasSuffix("': it is the state of the momentum rule, not of adam"), "\(first)")
        #expect(lines == [
            "minimize: the saved optimizer state has momentum.beta = 0.9 but this optimizer has 0.5",
            "minimize: the checkpoint holds the state of a built-in rule updating every parameter at once, but this run's optimizer alternating(momentum(lr: 0.1, beta: 0.9)) is an alternating built-in rule",
            "minimize: the checkpoint's F is 10×2 but this run's F is 10×3",
            "minimize: the checkpoint 'm.npz' was recorded with every: 1, this run with every: 2",
            "minimize: the checkpoint 'm.npz' is at step 10, beyond this run's steps: 5",
        ], "\(text)")
    }

    @Test("the checkpoint goes through the host's file sandbox")
    func sandbox() throws {
        let source = """
            minimize(fn(x) => x ^ 2, init: 1, optimizer: descent(lr: 0.1), steps: 3, checkpoint: "x.npz")
            """
        let readOnly = try run(source, access: { FileAccess(canRead: true, canWrite: false, root: $0) })
        #expect(readOnly.contains("checkpoint.msense:1:1: error: minimize: writing files is disabled by the host ('x.npz')"), "\(readOnly)")
        let confined = try run(source.replacingOccurrences(of: "x.npz", with: "../outside.npz"))
        #expect(confined.contains("error: minimize:") && confined.contains("outside.npz"), "\(confined)")
    }
}
