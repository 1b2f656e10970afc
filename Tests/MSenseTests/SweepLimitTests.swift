import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// A broken host limit or a cancellation inside a sweep's point ends the run, as it does
/// anywhere else: it does not fail the point (and let the run report success), and `try` does
/// not catch it, whether the points run in the interpreter or on parallel workers.
@Suite("Sweep limits")
struct SweepLimitTests {
    /// Twenty points of 2000 loop steps each: more than a 15 000-step limit allows. The sweep is
    /// the last statement, so nothing after it meets the limit instead.
    static func source(jobs: Int) -> String {
        """
        fn f(p) {
          let total = 0
          for i in 0..2000 { total = total + i }
          return {total: total + p.a}
        }
        let t = sweep({a: range(20)}, f, jobs: \(jobs))
        """
    }

    @Test(arguments: [1, 4])
    func aBrokenStepLimitInAPointEndsTheRun(jobs: Int) throws {
        let host = HostileHost(limits: Limits(steps: 15_000))
        let diagnostic = try #require(host.failure(Self.source(jobs: jobs)), "the run succeeded: \(host.output.text)")
        #expect(diagnostic.id == .limitExceeded)
        #expect(diagnostic.message.contains("step limit exceeded"), "\(diagnostic.message)")
        #expect(diagnostic.hint == BudgetRefusalTests.limitHint)
        #expect(!host.output.text.contains("points failed"), "\(host.output.text)")
        #expect(host.isUsable)
    }

    @Test(arguments: [1, 4])
    func tryDoesNotCatchABrokenLimitInAPoint(jobs: Int) throws {
        let host = HostileHost(limits: Limits(steps: 15_000))
        let source = Self.source(jobs: jobs).replacingOccurrences(
            of: "let t = sweep({a: range(20)}, f, jobs: \(jobs))",
            with: "try { let t = sweep({a: range(20)}, f, jobs: \(jobs)) } catch e { print(\"caught\", e.message) }")
        let diagnostic = try #require(host.failure(source), "the run succeeded: \(host.output.text)")
        #expect(diagnostic.id == .limitExceeded)
        #expect(!host.output.text.contains("caught"), "\(host.output.text)")
    }

    /// Points that fail with ordinary errors still fail one by one, and the limit still leaves
    /// room for a sweep that fits in it.
    @Test(arguments: [1, 4])
    func ordinaryPointFailuresStayInTheTable(jobs: Int) throws {
        let host = HostileHost(limits: Limits(steps: 1_000_000))
        #expect(host.failure("""
            fn f(p) => {x: [1, 2][p.a]}
            let t = sweep({a: [0, 1, 2, 3]}, f, jobs: \(jobs))
            print(t.status)
            """) == nil)
        #expect(host.output.text.contains("sweep: 2 of 4 points failed"), "\(host.output.text)")
        #expect(host.output.text.hasSuffix("[\"ok\", \"ok\", \"failed\", \"failed\"]\n"), "\(host.output.text)")
    }

    /// A cancel that arrives while a point runs ends the run as cancelled, inside `try` too.
    @Test func aCancelDuringAPointEndsTheRun() async throws {
        let output = OutputBuffer()
        let interpreter = Interpreter(output: { output.append($0) })
        let source = """
            fn f(p) {
              print("started")
              while true {}
            }
            try { let t = sweep({a: [1, 2]}, f, jobs: 1) } catch e { print("caught") }
            """
        let task = Task { await onOwnThread { () -> ScriptFailure? in
            do throws(ScriptFailure) { _ = try interpreter.run(source: source); return nil } catch { return error }
        } }
        try await output.waitForText()
        let failure = await cancelling(interpreter, until: task)
        #expect(failure?.diagnostics.first?.id == .cancelled)
        #expect(output.text == "started\n")
    }
}
