import Foundation
import Synchronization
import Testing
@testable import MSense
@testable import MSenseCore

/// The host chooses which run events it hears (`Interpreter.runEventKinds`): the others are not
/// sent, and rows the host does not hear are not even gathered.
@Suite("Run event kinds")
struct RunEventKindsTests {
    /// The events a handler received, in order.
    final class Heard: Sendable {
        private let events = Mutex<[RunEvent]>([])
        var all: [RunEvent] { events.withLock { $0 } }
        func append(_ event: RunEvent) { events.withLock { $0.append(event) } }

        func count(_ kind: RunEventKinds) -> Int { all.filter { $0.eventKind == kind }.count }
        var progress: [(kind: String, done: Int, total: Int)] {
            all.compactMap { if case let .progress(kind, done, total) = $0 { (kind, done, total) } else { nil } }
        }
        var finished: [String] {
            all.compactMap {
                if case let .finished(kind, done, total, completed) = $0 { "\(kind) \(done)/\(total) \(completed)" } else { nil }
            }
        }
        var labels: Set<String> {
            Set(all.map {
                switch $0 {
                case let .started(kind, _), let .row(kind, _, _), let .progress(kind, _, _), let .finished(kind, _, _, _): kind
                }
            })
        }
    }

    /// An interpreter whose handler hears `kinds`, with progress reported every 64 steps (no
    /// time throttle, so the count does not depend on the machine's speed).
    func listening(_ kinds: RunEventKinds?) -> (Interpreter, Heard) {
        let heard = Heard()
        let interpreter = Interpreter(output: { _ in })
        interpreter.onRunEvent = { heard.append($0) }
        if let kinds { interpreter.runEventKinds = kinds }
        interpreter.events.progressInterval = 0
        return (interpreter, heard)
    }

    static let setup = """
        seed(1)
        let problem = sensing(psd(6, eigs: [1.0, 0.5]), gaussian(m: 120, d: 6))
        let rect = sensing(lowrank(6, 5, svals: [1, 0.5]), iid_gaussian(m: 150, d1: 6, d2: 5))

        """

    static let runs: [(name: String, call: String)] = [
        ("gd", "gd(problem, init: small(6, 3, alpha: 1e-3), lr: 0.1, steps: 640, every: 10)"),
        ("gd", "gd(rect, init: asym(small(6, 2, alpha: 0.1), small(5, 2, alpha: 0.1)), lr: 0.2, steps: 640, every: 10)"),
        ("glrl", "glrl(problem, rank: 2, lr: 0.1, eps: 1e-3, stage_steps: 320, every: 10)"),
        ("minimize", "minimize(fn(x) => (x - 3) ^ 2, init: 1, optimizer: descent(lr: 1e-4), steps: 640, every: 10)"),
    ]

    @Test("by default the host hears every kind: started, rows, progress, finished", arguments: runs)
    func everythingByDefault(_ run: (name: String, call: String)) throws {
        let (interpreter, heard) = listening(nil)
        #expect(interpreter.runEventKinds == .all)
        let value = try interpreter.run(source: Self.setup + "let r = \(run.call)\nr.trace.count")
        #expect(heard.count(.started) == 1 && heard.count(.finished) == 1)
        #expect(value == .number(Double(heard.count(.row))), "one row event per trace row")
        #expect(heard.progress.count >= 10, "progress every 64 steps")
        #expect(heard.progress.allSatisfy { $0.done % 64 == 0 && $0.kind == run.name })
        #expect(heard.labels == [run.name])
    }

    @Test("progress never counts past the budget (a run evaluates its last iterate once more)")
    func progressStopsAtTheBudget() throws {
        let (interpreter, heard) = listening([.progress])
        _ = try interpreter.run(source: Self.setup + "gd(problem, init: small(6, 3, alpha: 1e-3), lr: 0.1, steps: 127, every: 127)")
        #expect(heard.progress.map(\.done) == [64, 127])
        #expect(heard.progress.allSatisfy { $0.total == 127 })
    }

    @Test("a host that leaves out rows hears none, and still hears progress", arguments: runs)
    func noRows(_ run: (name: String, call: String)) throws {
        let (interpreter, heard) = listening([.started, .progress, .finished])
        _ = try interpreter.run(source: Self.setup + "let r = \(run.call)")
        #expect(heard.count(.row) == 0)
        #expect(heard.count(.started) == 1 && heard.count(.finished) == 1 && heard.progress.count >= 10)
    }

    @Test("a host that asks for rows alone hears nothing else", arguments: runs)
    func rowsAlone(_ run: (name: String, call: String)) throws {
        let (interpreter, heard) = listening(.row)
        let value = try interpreter.run(source: Self.setup + "let r = \(run.call)\nr.trace.count")
        #expect(value == .number(Double(heard.count(.row))))
        #expect(heard.all.count == heard.count(.row))
    }

    @Test("a minimize resumed from a checkpoint counts its progress from the checkpoint's step")
    func resumedMinimize() throws {
        try withScratchFolder("events") { folder in
            let (interpreter, heard) = listening(.progress)
            interpreter.fileAccess = FileAccess(canRead: true, canWrite: true, root: folder)
            let run = "minimize(fn(x) => (x - 3) ^ 2, init: 1, optimizer: descent(lr: 1e-4), steps: 1000, every: 100"
            _ = try interpreter.run(source: "\(run), checkpoint: \"c.npz\", stop: fn(s) => s.step >= 500)")
            #expect(heard.progress.last?.done == 448)
            let before = heard.progress.count
            _ = try interpreter.run(source: "\(run), resume: \"c.npz\")")
            let resumed = heard.progress.dropFirst(before)
            #expect(resumed.first?.done == 512 && resumed.last?.done == 960, "\(resumed.map(\.done))")
        }
    }

    @Test("a sweep reports only the kinds asked for")
    func sweepKinds() throws {
        let (interpreter, heard) = listening(.progress)
        _ = try interpreter.run(source: "let t = sweep({a: [1, 2, 3]}, fn(p) => {b: p.a * 2}, jobs: 1)")
        #expect(heard.all.count == 3 && heard.progress.map(\.done) == [1, 2, 3])
    }

    @Test("without rows the run passes no row callback, and a row's names and values are never evaluated")
    func rowsCostNothingWhenNotHeard() {
        let events = RunEvents()
        events.handler = { _ in }
        events.kinds = [.started, .progress, .finished]
        let progress = events.begin(label: "gd", total: 10)
        #expect(!progress.wantsRows && progress.traceRows == nil && progress.modelRows == nil)
        var evaluated = false
        progress.row(columns: { evaluated = true; return ["step"] }(), values: { evaluated = true; return [0] }())
        #expect(!evaluated)
        events.kinds = .all
        #expect(events.begin(label: "gd", total: 10).traceRows != nil)
        events.handler = nil
        #expect(events.begin(label: "gd", total: 10).traceRows == nil, "no handler, no rows")
    }

    @Test("the finished event tells the steps made and whether the run returned its result")
    func finishedTellsTheOutcome() throws {
        let (interpreter, heard) = listening([.finished])
        _ = try interpreter.run(source: Self.setup + Self.runs.map(\.call).joined(separator: "\n"))
        #expect(heard.finished == ["gd 640/640 true", "gd 640/640 true", "glrl 640/640 true", "minimize 640/640 true"])
        let early = "gd(problem, init: small(6, 3, alpha: 1e-3), lr: 0.1, steps: 640, every: 10, stop: fn(r) => r.step >= 20)"
        let diverging = "gd(problem, init: small(6, 3, alpha: 1e-3), lr: 1e6, steps: 640, every: 10)"
        let sweeps = """
            sweep({a: [1, 2, 3]}, fn(p) => {x: p.a})
            sweep({a: [1, 2, 3]}, fn(p) => {x: p.a / (p.a - 2)})
            """
        _ = try interpreter.run(source: early + "\n" + sweeps)
        #expect(Array(heard.finished.suffix(3)) == ["gd 20/640 true", "sweep 3/3 true", "sweep 3/3 true"],
                "a stop rule and failed points are runs that completed")
        #expect(throws: (any Error).self) { try interpreter.run(source: diverging) }
        #expect(heard.finished.last?.hasPrefix("gd ") == true && heard.finished.last?.hasSuffix("/640 false") == true)
        #expect(throws: (any Error).self) { try interpreter.run(source: "sweep({a: [1, 2]}, fn(p) => {x: [1, 2][p.a * 10]})") }
        #expect(heard.finished.last == "sweep 2/2 false", "every point failed: the sweep is an error")
    }

    /// Building the Gram matrix polls for cancellation between its panels without counting
    /// those polls as steps (against the host's step limit, or in the finished event).
    @Test("a factor-model run that builds G reports the steps it made, not the build's polls")
    func gramBuildIsNotSteps() throws {
        let (interpreter, heard) = listening([.finished])
        let model = "balanced_asym(6, 5, r: 2, alpha: 0.1)"
        _ = try interpreter.run(source: Self.setup + """
            gd(rect, init: \(model), lr: 0.1, steps: 640, every: 10, kernel: "gram", stop: fn(r) => r.step >= 20)
            minimize(rect, init: \(model), optimizer: descent(lr: 0.1), steps: 640, every: 10, kernel: "gram", stop: fn(s) => s.step >= 20)
            """)
        #expect(heard.finished == ["gd 20/640 true", "minimize 20/640 true"])
    }

    /// GLRL evaluates the grown iterate at the start of each stage at the step the stage before
    /// ended on, and polls that step once: its finished event counts the steps of its trace.
    @Test("a GLRL run whose stages converge early reports the steps it made")
    func glrlCountsItsSteps() throws {
        let (interpreter, heard) = listening([.finished])
        let last = try interpreter.run(source: Self.setup + """
            let run = glrl(problem, rank: 3, lr: 0.1, eps: 1e-3, stage_steps: 3000, stage_tol: 1e-6, every: 10)
            run.trace.last.step
            """)
        let steps = try #require(last.doubleValue.map { Int($0) })
        #expect(steps > 0 && steps < 3000)
        #expect(heard.finished == ["glrl \(steps)/9000 true"])
    }

    /// Cancelled once its workers have finished a point, a parallel sweep's finished event
    /// counts the points they finished, at least as many as its last progress event did.
    @Test("a parallel sweep cancelled mid-way reports the points its workers finished")
    func cancelledParallelSweepCountsItsPoints() throws {
        let heard = Heard()
        let interpreter = Interpreter(output: { _ in })
        interpreter.onRunEvent = { event in
            heard.append(event)
            if case let .progress("sweep", done, _) = event, done >= 1 { interpreter.cancel() }
        }
        let sweep = "sweep({a: range(40)}, fn(p) => {e: gd(problem, init: small(6, 3, alpha: 1e-3), lr: 0.1, steps: 4000).rel_err}, jobs: 2)"
        #expect(throws: ScriptFailure.self) { try interpreter.run(source: Self.setup + sweep, path: "<sweep>") }
        let reported = heard.progress.filter { $0.kind == "sweep" }.map(\.done).max() ?? 0
        let finished = try #require(heard.all.compactMap { event -> (done: Int, completed: Bool)? in
            if case let .finished("sweep", done, _, completed) = event { (done, completed) } else { nil }
        }.last)
        #expect(!finished.completed)
        #expect(finished.done >= max(reported, 1) && finished.done <= 40, "\(finished.done) after progress \(reported)")
    }

    @Test("each event names its kind")
    func eventKinds() {
        #expect(RunEvent.started(kind: "gd", total: 1).eventKind == .started)
        #expect(RunEvent.row(kind: "gd", columns: [], values: []).eventKind == .row)
        #expect(RunEvent.progress(kind: "gd", done: 1, total: 2).eventKind == .progress)
        #expect(RunEvent.finished(kind: "gd", done: 1, total: 2, completed: true).eventKind == .finished)
        #expect(RunEventKinds.all.rawValue == 0b1111, "bit 1 << code of the C API's MSENSE_EVENT_* codes")
    }
}
