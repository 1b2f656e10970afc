import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// What a host sees when the interpreter's 512 MiB stack cannot be had (a process whose address
/// space is limited, `ulimit -v`): an error before anything runs, never a run on a smaller stack.
/// A stack no machine can give stands for the limit here; python/tests/test_sandbox.py and
/// Tests/CAPI/capi_test.c lower the process's real limit.
@Suite("Interpreter stack reservation")
struct InterpreterStackTests {
    /// 2⁶⁰ bytes: more address space than any process has.
    static let impossible = 1 << 60

    /// Nesting that needs the big stack's room in the parser, resolver and compiler.
    static let deep = "let x = " + String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)

    @Test func aRunWithoutItsStackFailsBeforeRunningAnything() throws {
        let output = OutputBuffer()
        let interpreter = Interpreter(output: { output.append($0) })
        interpreter.stackBytes = Self.impossible
        do {
            _ = try interpreter.run(source: "print(\"ran\")\n" + Self.deep, path: "deep.msense")
            Issue.record("the run went ahead without its stack")
        } catch {
            let diagnostic = try #require(error.diagnostics.first)
            #expect(diagnostic.id == .stackUnavailable)
            #expect(diagnostic.path == "deep.msense")
            #expect(diagnostic.message.hasPrefix("the interpreter could not reserve its \(Self.impossible >> 20) MiB stack ("),
                    "\(diagnostic.message)")
            #expect(diagnostic.hint?.contains("ulimit -v") == true)
            #expect(diagnostic.hint?.contains("fewer sweep jobs") == true)
        }
        #expect(output.text.isEmpty)
        #expect(interpreter.global("x") == nil)
        #expect(interpreter.check(source: Self.deep).map(\.id) == [.stackUnavailable])

        interpreter.stackBytes = BigStack.size
        #expect(try interpreter.run(source: Self.deep + "\nx").doubleValue == 1)
    }

    /// Sweep workers whose stacks cannot be had take no points: the run evaluates them itself,
    /// on its own big stack, and says why in its output. The table is the one `jobs: 1` makes.
    @Test func sweepWorkersWithoutTheirStacksLeaveThePointsToTheRun() throws {
        let source = Self.deep + """

            fn f(p) {
              let total = 0
              for i in 0..p.a { total = total + i }
              return {total: total}
            }
            let t = sweep({a: [10, 5000, 30, 40]}, f, jobs: JOBS)
            print(t.total)
            """
        let serial = runScript(source.replacingOccurrences(of: "JOBS", with: "1"))
        #expect(serial.failure == nil)

        let output = OutputBuffer()
        let interpreter = Interpreter(output: { output.append($0) })
        interpreter.replicaStackBytes = Self.impossible
        interpreter.sweepMode = .local(jobs: 4)  // four workers, however many cores there are
        _ = try interpreter.run(source: source.replacingOccurrences(of: "JOBS", with: "4"), path: "sweep.msense")
        let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("sweep: none of its 4 workers could start, so the points run one at a time in this interpreter: the interpreter could not reserve its") == true,
                "\(output.text)")
        #expect(output.text.contains("ulimit -v"))
        #expect(lines.dropFirst().joined(separator: "\n") == serial.output)
    }
}
