import Foundation
import Testing
@testable import MSense

/// Every native pass over the measurements is charged to the host's step limit before it starts
/// (one step per 2²⁰ multiply-adds, docs/embedding.md § Steps): an optimizer's loss and gradient,
/// `measure` and the adjoint, the tape's measurement pass, the Gram matrix, drawing an ensemble.
@Suite("Limits: measurement passes")
struct MeasurementBudgetTests {
    /// gaussian(m: 4000, d: 40) packs p = 820 weights per measurement: a loss and gradient reads
    /// them twice, 2·4000·820 = 6 560 000 operations, 6 steps (and a fraction carried over).
    static let problem = """
        seed(1)
        let P = sensing(psd(40, eigs: [1.0]), gaussian(m: 4000, d: 40))
        let U0 = small(40, 1, alpha: 1e-3)

        """

    /// Each iteration costs 1 + 6.26 steps. The run stops either at a pass the steps left cannot
    /// pay for (refused before it starts) or at the iteration after the last step was spent;
    /// either way the error says where. A refused pass leaves the limit unbroken, so `catch`
    /// sees the run so far, as every interrupted run's error holds it (a broken limit is not
    /// caught).
    @Test func gdStopsWhenItsPassesOutrunTheStepsAndKeepsItsTrace() throws {
        let run = "gd(P, init: U0, lr: 0.1, steps: 1000, every: 5, kernel: \"rows\")"
        let caughtSource = Self.problem + """
            let E = nil
            try {
              \(run)
            } catch e {
              E = e
            }
            """
        var refusals = 0, caughtRuns = 0
        for limit in 200..<208 {
            let host = HostileHost(limits: Limits(steps: limit))
            let diagnostic = try #require(host.failure(Self.problem + run))
            #expect(diagnostic.line == 4)
            #expect(diagnostic.message.hasPrefix("gd: step limit exceeded: "), "\(diagnostic.message)")
            #expect(diagnostic.message.contains("; the run stopped at step "), "\(diagnostic.message)")
            #expect(host.isUsable)
            if diagnostic.message.hasPrefix(
                "gd: step limit exceeded: a loss and gradient over the 4000 measurements of the gaussian ensemble of 40×40 matrices needs 6 steps (one per 1048576 operations), more than the ") {
                refusals += 1
            }

            let caught = HostileHost(limits: Limits(steps: limit))
            guard caught.failure(caughtSource) == nil else { continue }
            caughtRuns += 1
            // Near step 25 (without the charges the run would reach step 190).
            let step = try #require(try caught.interpreter.evaluate("E.step").intValue)
            #expect(step > 5 && step < 40, "\(step)")
            #expect(try caught.interpreter.evaluate("E.message").stringValue?.hasSuffix("; the run stopped at step \(step)") == true)
            // Rows at steps 0, 5, … before the refused step.
            #expect(try caught.interpreter.evaluate("E.trace.count").intValue == (step + 4) / 5)
            #expect(try caught.interpreter.evaluate("shape(E.u)") == (try caught.interpreter.evaluate("[40, 1]")))
        }
        #expect(caughtRuns > 0)
        #expect(refusals > 0)
    }

    @Test func aRunThatFitsGivesTheBitsOfAnUnlimitedRun() throws {
        let source = Self.problem + "let r = gd(P, init: U0, lr: 0.1, steps: 30, every: 10, kernel: \"rows\")\n"
        let limited = HostileHost(limits: Limits(steps: 1_000))
        let unlimited = HostileHost()
        #expect(limited.failure(source) == nil)
        #expect(unlimited.failure(source) == nil)
        let a = try #require(try limited.interpreter.evaluate("r.u").matrixValue)
        let b = try #require(try unlimited.interpreter.evaluate("r.u").matrixValue)
        #expect(a.elements.map(\.bitPattern) == b.elements.map(\.bitPattern))
        let lossA = try #require(try limited.interpreter.evaluate("r.trace.loss").listValue).map { $0.doubleValue?.bitPattern }
        let lossB = try #require(try unlimited.interpreter.evaluate("r.trace.loss").listValue).map { $0.doubleValue?.bitPattern }
        #expect(lossA.count == 4 && lossA == lossB)
    }

    /// `measure`, the adjoint and the model runs' passes of an ensemble of d₁×d₂ matrices.
    @Test(arguments: [
        // The symmetric ensemble: drawing it costs 3 steps, measuring a matrix 3.
        ("let A = gaussian(m: 4000, d: 40)\nA.measure(eye(40))", 6, 2,
         "measure: step limit exceeded: measuring a matrix over the 4000 measurements of the gaussian ensemble of 40×40 matrices needs 3 steps"),
        (problem + "gradient(P, U0)", 14, 4,
         "gradient: step limit exceeded: a loss and gradient over the 4000 measurements of the gaussian ensemble of 40×40 matrices needs 6 steps"),
        // iid_gaussian(m: 3000, d1: 30, d2: 40): 3 600 000 weights, 3 steps a pass.
        ("let A = iid_gaussian(m: 3000, d1: 30, d2: 40)\nA.measure(ones(30, 40))", 6, 2,
         "step limit exceeded: measuring a matrix over the 3000 measurements of the iid_gaussian ensemble of 30×40 matrices needs 3 steps"),
        ("let A = iid_gaussian(m: 3000, d1: 30, d2: 40)\nA.adjoint(ones(3000, 1))", 6, 2,
         "step limit exceeded: the adjoint over the 3000 measurements of the iid_gaussian ensemble of 30×40 matrices needs 3 steps"),
        // Drawing: 3000·30·40 normals.
        ("iid_gaussian(m: 3000, d1: 30, d2: 40)", 2, 1,
         "step limit exceeded: drawing the iid_gaussian ensemble with m = 3000, d1 = 30, d2 = 40 needs 3 steps"),
        // A model run: the problem's y is one pass (3 steps), each iteration's loss and gradient two.
        ("""
         seed(1)
         let p = sensing(lowrank(30, 40, svals: [1]), iid_gaussian(m: 3000, d1: 30, d2: 40))
         gd(p, asym(small(30, 1, alpha: 0.1), small(40, 1, alpha: 0.1)), lr: 0.1, steps: 1000)
         """, 60, 3,
         "gd: step limit exceeded: a loss and gradient over the 3000 measurements of the iid_gaussian ensemble of 30×40 matrices needs 6 steps"),
        // The spectral estimate 𝒜*(y) is one pass, a subset copies p weights per measurement kept.
        ("""
         seed(1)
         let p = sensing(lowrank(30, 40, svals: [1]), iid_gaussian(m: 3000, d1: 30, d2: 40))
         spectral_asym(p, 1)
         """, 12, 3,
         "spectral_asym: step limit exceeded: the spectral estimate 𝒜*(y) over the 3000 measurements of the iid_gaussian ensemble of 30×40 matrices needs 3 steps"),
        ("""
         seed(1)
         let p = sensing(lowrank(30, 40, svals: [1]), iid_gaussian(m: 3000, d1: 30, d2: 40))
         subset(p, range(2900))
         """, 12, 3,
         "subset: step limit exceeded: copying 2900 of the 3000 measurements of the iid_gaussian ensemble of 30×40 matrices needs 3 steps"),
    ])
    func measurementPassesAreCharged(_ source: String, _ steps: Int, _ line: Int, _ expected: String) {
        let host = HostileHost(limits: Limits(steps: steps))
        let diagnostic = host.failure(source)
        #expect(diagnostic?.line == line, "\(String(describing: diagnostic))")
        #expect(diagnostic?.message.contains(expected) == true, "\(diagnostic?.message ?? "no error")")
        #expect(host.isUsable)
    }

    /// The tape's fused measurement pass (`grad` of a loss through `measure`) reads the stack twice.
    @Test func gradThroughMeasureIsCharged() {
        let source = """
            seed(2)
            let A = iid_gaussian(m: 3000, d1: 30, d2: 40)
            let y = ones(3000, 1)
            fn loss(M) => sum((measure(A, M) - y) ^ 2) / 2
            let g = grad(loss, zeros(30, 40))
            """
        let host = HostileHost(limits: Limits(steps: 14))
        let diagnostic = host.failure(source)
        // Inside `loss`, where the fused pass runs (at the sum of the pending measurements).
        #expect(diagnostic?.line == 4, "\(String(describing: diagnostic))")
        #expect(diagnostic?.message.contains("step limit exceeded: measuring a matrix and weighing the adjoint over the 3000 measurements of the iid_gaussian ensemble of 30×40 matrices needs 6 steps") == true,
                "\(diagnostic?.message ?? "no error")")
        #expect(HostileHost(limits: Limits(steps: 30)).failure(source) == nil)
    }

    /// Building G reads m·p(p+1)/2 = 4000·820·821/2 operations (1284 steps); each product with it
    /// p² = 672 400 (0.64 of a step), which 2000 iterations add up to about 1280 steps.
    @Test func theGramRouteIsCharged() {
        let limits = Limits(steps: 500)
        for call in ["gd(P, init: U0, lr: 0.1, steps: 2000, every: 2000, kernel: \"gram\")", "gradient(P, U0, kernel: \"gram\")"] {
            let host = HostileHost(limits: limits)
            let diagnostic = host.failure(Self.problem + call)
            #expect(diagnostic?.message.contains(
                "step limit exceeded: building the Gram matrix G over the 4000 measurements of the gaussian ensemble of 40×40 matrices needs 1284 steps") == true,
                "\(call): \(diagnostic?.message ?? "no error")")
        }
        // Build, iterations and products: about 1300 + 2000 + 1280 steps.
        let run = Self.problem + "gd(P, init: U0, lr: 0.1, steps: 2000, every: 2000, kernel: \"gram\")"
        let short = HostileHost(limits: Limits(steps: 4000)).failure(run)
        #expect(short?.message.contains("step limit exceeded") == true, "\(short?.message ?? "no error")")
        #expect(HostileHost(limits: Limits(steps: 6000)).failure(run) == nil)
    }

    /// The workers of a parallel sweep draw their passes from the run's one pool of steps.
    @Test func sweepWorkersPayForTheirPassesFromTheSharedSteps() {
        let source = Self.problem + """
            fn point(q) {
              let r = gd(P, init: U0, lr: 0.1, steps: 150, every: 150)
              return {loss: r.trace.loss[0]}
            }
            let t = sweep({a: [1, 2, 3, 4]}, point, jobs: 2)
            """
        // 4 × 150 iterations fit in 1500 steps; 4 × 150 loss-and-gradient passes of 6.26 steps do not.
        let host = HostileHost(limits: Limits(steps: 1500))
        let said = (host.failure(source)?.message ?? "") + host.output.text
        #expect(said.contains("step limit exceeded"), "\(said)")
        #expect(host.isUsable)
        #expect(HostileHost(limits: Limits(steps: 10_000)).failure(source) == nil)
    }

    @Test func cancelStopsARunBetweenItsPasses() async throws {
        let output = OutputBuffer()
        let interpreter = Interpreter(output: { output.append($0) })
        interpreter.limits = Limits(steps: Int.max / 2)
        let source = Self.problem + "print(1)\ngd(P, init: U0, lr: 0.1, steps: 100000000)"
        let task = Task { await onOwnThread { () -> ScriptFailure? in
            do throws(ScriptFailure) { _ = try interpreter.run(source: source); return nil } catch { return error }
        } }
        try await output.waitForText()
        let failure = await cancelling(interpreter, until: task)
        let message = failure?.diagnostics.first?.message ?? "no error"
        #expect(message.contains("cancelled"), "\(message)")
        #expect((try? interpreter.evaluate("20 + 22"))?.doubleValue == 42)
    }
}
