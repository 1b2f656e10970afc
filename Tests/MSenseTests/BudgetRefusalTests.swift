import Foundation
import Testing
@testable import MSense

/// How a pass the host's budget refuses reads, how `kernel: "auto"` avoids a Gram build the
/// budget would refuse, and why catching refusals gains a script nothing (docs/embedding.md § Steps).
@Suite("Limits: refused passes")
struct BudgetRefusalTests {
    static let limitHint = "the host set this limit (Interpreter.limits)"

    /// A refused charge says who set the limit, as the step limit's own error does.
    @Test(arguments: [
        ("let A = gaussian(m: 4000, d: 40)\nA.measure(eye(40))", 6),
        (MeasurementBudgetTests.problem + "gd(P, init: U0, lr: 0.1, steps: 1000, kernel: \"rows\")", 20),
        ("eigh(eye(2000))", 100),
    ])
    func aRefusedChargeCarriesTheLimitHint(_ source: String, _ steps: Int) throws {
        let diagnostic = try #require(HostileHost(limits: Limits(steps: steps)).failure(source))
        #expect(diagnostic.message.contains("step limit exceeded: "), "\(diagnostic.message)")
        #expect(diagnostic.hint == Self.limitHint)
    }

    /// A request the machine cannot hold names the machine, not the host, as the limit; one
    /// the host's memory limit refuses names the host.
    @Test func aMemoryRefusalNamesWhoseLimitItIs() throws {
        let machine = try #require(HostileHost(limits: Limits()).failure("small(1e7, 1e7)"))
        #expect(machine.message.contains("of memory is available"), "\(machine.message)")
        #expect(machine.hint == "the machine's free memory is the limit here, not a limit the host set")
        let host = try #require(HostileHost(limits: Limits(memoryBytes: 1 << 20)).failure("small(2000, 2000)"))
        #expect(host.hint == Self.limitHint, "\(host.message) | \(host.hint ?? "")")
    }

    /// A cancel that reaches a run inside `try` (its passes' charges, its cancel poll) ends the
    /// run as a cancel: `catch` does not see it, the message is the interpreter's "cancelled".
    @Test func aCancelInsideARunIsACancelNotACaughtError() throws {
        let output = OutputBuffer()
        let interpreter = Interpreter(output: { output.append($0) })
        interpreter.limits = Limits(steps: 1_000_000)
        interpreter.register(Builtin(name: "cancel_now", doc: "cancels the run", parameters: []) { [unowned interpreter] _ in
            interpreter.cancel()
            return .nil
        })
        let source = MeasurementBudgetTests.problem + """
            try {
              gd(P, init: U0, lr: 0.1, steps: 1000, every: 10, stop: fn(s) {
                if s.step >= 20 { cancel_now() }
                return false
              })
            } catch e {
              print("caught", e.message)
            }
            """
        var failure: ScriptFailure?
        do throws(ScriptFailure) { _ = try interpreter.run(source: source) } catch { failure = error }
        let diagnostic = try #require(failure?.diagnostics.first)
        #expect(diagnostic.message == "cancelled", "\(diagnostic.message)")
        #expect(diagnostic.hint == "the run was interrupted by the host")
        #expect(diagnostic.id == .cancelled)
        #expect(output.text.isEmpty, "\(output.text)")
        #expect((try? interpreter.evaluate("20 + 22"))?.doubleValue == 42)
    }

    /// gaussian(m: 4000, d: 40) (p = 820): building G and b costs 1290 steps, a run of 20 steps
    /// by the rows about 150. Unlimited, `"auto"` takes the Gram route (the bits of `"gram"`);
    /// with 600 steps it takes the rows (their bits) where `"gram"` is refused at the build.
    @Test func autoTakesTheRowsWhenTheGramBuildDoesNotFit() throws {
        let run = { (kernel: String) in
            "let r = gd(P, init: U0, lr: 0.1, steps: 1000, every: 10, stop: fn(s) => s.step >= 20, kernel: \"\(kernel)\")\n"
        }
        try expectAutoFallsBack(setUp: MeasurementBudgetTests.problem, run: run, limit: 600, result: "r.u",
                                refusal: "building the Gram matrix G over the 4000 measurements of the gaussian ensemble of 40×40 matrices needs 1284 steps")
    }

    /// The packed ensembles' `b = 𝒜*(y)` is a pass of its own after the build (2·m·p, 1.8 steps
    /// for gaussian(m: 2000, d: 30) beside the build's 206): some limit pays for G but not b.
    @Test func theGramRoutesAdjointOfYIsCharged() {
        let source = """
            seed(1)
            let P = sensing(psd(30, eigs: [1.0]), gaussian(m: 2000, d: 30))
            gradient(P, small(30, 1, alpha: 1e-3), kernel: "gram")
            """
        let messages = (200..<225).compactMap { HostileHost(limits: Limits(steps: $0)).failure(source)?.message }
        #expect(messages.contains { $0.contains("step limit exceeded: building the Gram matrix G over the 2000 measurements") })
        #expect(messages.contains {
            $0.contains("step limit exceeded: b = 𝒜*(y) for the Gram matrix G over the 2000 measurements of the gaussian ensemble of 30×30 matrices needs 1 step")
        }, "\(messages)")
        #expect(messages.count < 25)
    }

    /// iid_gaussian(m: 3000, d1: 30, d2: 40) (p = 1200): building G and b costs 2065 steps.
    /// The kernels are told apart by M after 20 steps: its entries differ in their last bits,
    /// while the recorded losses can agree to the bit (they do with some BLAS builds).
    @Test func autoTakesTheRowsWhenTheDenseGramBuildDoesNotFit() throws {
        let setUp = """
            seed(1)
            let Q = sensing(lowrank(30, 40, svals: [1]), iid_gaussian(m: 3000, d1: 30, d2: 40))
            let M0 = asym(small(30, 1, alpha: 0.1), small(40, 1, alpha: 0.1))

            """
        let run = { (kernel: String) in
            "let r = gd(Q, M0, lr: 0.1, steps: 3000, every: 10, stop: fn(s) => s.step >= 20, kernel: \"\(kernel)\")\n"
        }
        try expectAutoFallsBack(setUp: setUp, run: run, limit: 1000, result: "r.matrix",
                                refusal: "building the Gram matrix G and b = 𝒜*(y) over the 3000 measurements of the iid_gaussian ensemble of 30×40 matrices needs 2065 steps")
    }

    private func expectAutoFallsBack(setUp: String, run: (String) -> String, limit: Int, result: String, refusal: String) throws {
        func bits(_ kernel: String, _ limits: Limits) throws -> [UInt64] {
            let host = HostileHost(limits: limits)
            let failure = host.failure(setUp + run(kernel))
            #expect(failure == nil, "\(kernel): \(failure?.message ?? "")")
            let value = try host.interpreter.evaluate(result)
            if let matrix = value.matrixValue { return matrix.elements.map(\.bitPattern) }
            return try #require(value.listValue).compactMap { $0.doubleValue?.bitPattern }
        }
        let gram = try bits("gram", .none), rows = try bits("rows", .none)
        #expect(gram != rows)
        #expect(try bits("auto", .none) == gram)
        #expect(try bits("auto", Limits(steps: limit)) == rows)
        let forced = HostileHost(limits: Limits(steps: limit)).failure(setUp + run("gram"))
        #expect(forced?.message.contains("step limit exceeded: \(refusal)") == true, "\(forced?.message ?? "no error")")
        #expect(forced?.hint == Self.limitHint)
    }

    /// A refused pass is an ordinary error, but refused work is neither done nor charged, and
    /// every loop iteration still takes its step: a script that catches refusals forever ends
    /// at the step limit, which it cannot catch. Building G (1284 steps) never fits in 300.
    @Test func catchingRefusalsInALoopStillEndsAtTheLimit() throws {
        let host = HostileHost(limits: Limits(steps: 300))
        let source = MeasurementBudgetTests.problem + """
            let done = 0
            let refused = 0
            let said = ""
            while true {
              try {
                gradient(P, U0, kernel: "gram")
                done += 1
              } catch e {
                refused += 1
                said = e.hint
              }
            }
            """
        let diagnostic = try #require(host.failure(source))
        #expect(diagnostic.message == "step limit exceeded: the script ran more than 300 steps", "\(diagnostic.message)")
        #expect(diagnostic.hint == Self.limitHint)
        #expect(try host.interpreter.evaluate("done").intValue == 0)
        #expect(try #require(try host.interpreter.evaluate("refused").intValue) >= 20)
        #expect(try host.interpreter.evaluate("said").stringValue == Self.limitHint)
        #expect(host.isUsable)
    }
}
