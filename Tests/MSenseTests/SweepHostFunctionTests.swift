import Foundation
import Synchronization
import Testing
@testable import MSense
@testable import MSenseCore

/// Functions the host registers (`Interpreter.register`, `msense_register`, Python's `register`)
/// run on the run's thread, one call at a time, once per call the script makes: a sweep that may
/// reach one runs its points in the interpreter whatever its `jobs`. A library's builtins are
/// made anew for each worker interpreter, so they may run on the workers in parallel.
@Suite("Sweep and host functions")
struct SweepHostFunctionTests {
    /// What the calls of a probing builtin saw: their threads, how many ran at once, how many.
    final class CallLog: Sendable {
        private struct State {
            var threads: Set<ObjectIdentifier> = []
            var inside = 0
            var mostAtOnce = 0
            var calls = 0
        }
        private let state = Mutex(State())

        /// A builtin `probe(x)` returning `x * 10` after 20 ms, recording each call here.
        var probe: Builtin {
            Builtin(name: "probe", doc: "x * 10, slowly, recording the call.", parameters: [Parameter("x")]) { [self] args in
                let x = try args.number(0)
                state.withLock { s in
                    s.calls += 1
                    s.inside += 1
                    s.mostAtOnce = max(s.mostAtOnce, s.inside)
                    s.threads.insert(ObjectIdentifier(Thread.current))
                }
                Thread.sleep(forTimeInterval: 0.02)
                state.withLock { $0.inside -= 1 }
                return .number(x * 10)
            }
        }

        var threads: Int { state.withLock { $0.threads.count } }
        var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
        var calls: Int { state.withLock { $0.calls } }
    }

    /// A library holding `probe`.
    struct ProbeLibrary: MSenseLibrary {
        let log: CallLog
        var name: String { "probe" }
        func builtins(_ context: LibraryContext) -> [Builtin] { [log.probe] }
    }

    static let source = """
        let first = probe(0)
        fn f(p) => {y: probe(p.a) + first}
        let t = sweep({a: [1, 2, 3, 4, 5, 6, 7, 8]}, f, jobs: 4)
        print(t.y)
        """
    static let table = "[10, 20, 30, 40, 50, 60, 70, 80]\n"

    @Test func aRegisteredFunctionRunsOnTheRunThreadOnly() throws {
        let log = CallLog()
        let output = OutputBuffer()
        let interpreter = Interpreter(output: { output.append($0) })
        interpreter.register(log.probe)
        interpreter.sweepMode = .local(jobs: 4)  // four workers, however many cores there are
        _ = try interpreter.run(source: Self.source)
        #expect(output.text == Self.table)
        #expect(log.mostAtOnce == 1)
        #expect(log.threads == 1)
        #expect(log.calls == 9, "the call before the sweep ran again on workers")
    }

    @Test func aLibraryFunctionRunsOnTheWorkers() throws {
        let log = CallLog()
        let output = OutputBuffer()
        let interpreter = Interpreter(output: { output.append($0) }, libraries: StandardLibrary.all + [ProbeLibrary(log: log)])
        interpreter.sweepMode = .local(jobs: 4)
        _ = try interpreter.run(source: Self.source)
        #expect(output.text == Self.table)
        #expect(log.threads == 5, "the run's thread and four workers'")
        #expect(log.calls == 13, "the run and each of four workers call probe before the sweep")
    }
}
