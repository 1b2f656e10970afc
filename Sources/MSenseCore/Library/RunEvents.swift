import Foundation

/// What a host hears while a long builtin (`gd`, `glrl`, `sweep`, `minimize`) runs.
public enum RunEvent: Sendable {
    /// A run started: its kind (`"gd"`, `"glrl"`, …) and its step budget.
    case started(kind: String, total: Int)
    /// A trace row was recorded: column names and values (the same as the final trace's row).
    case row(kind: String, columns: [String], values: [Double])
    /// Progress, reported at most about ten times a second: steps done out of the budget.
    case progress(kind: String, done: Int, total: Int)
    /// The run ended after `done` of its `total` steps; `completed` tells whether it returned its
    /// result (a stop rule ending it early included) or ended by an error, a limit or
    /// cancellation.
    case finished(kind: String, done: Int, total: Int, completed: Bool)
}

/// The channel between running builtins and the host: forwards the run events the host asked
/// for to its handler and answers "should this run stop?" from the interpreter's cancellation flag.
package final class RunEvents: @unchecked Sendable {
    // Safety: `handler`, `kinds`, `progressInterval` and `isCancelled` are set before scripts run
    // and only read afterwards.
    /// Receives events; `nil` when the host does not listen.
    package var handler: (@Sendable (RunEvent) -> Void)?
    /// The kinds of events the host hears (default: all).
    package var kinds: RunEventKinds = .all
    /// The least time between two progress events of one run, in nanoseconds (about ten a second).
    package var progressInterval: UInt64 = 100_000_000
    /// True once the host asked the interpreter to stop.
    package var isCancelled: @Sendable () -> Bool = { false }
    /// Counts one optimizer iteration against the host's limits; the message once one is exceeded.
    package var takeStep: @Sendable () -> String? = { nil }

    /// The handler, when the host listens to events of `kind`; `nil` otherwise.
    package func handler(for kind: RunEventKinds) -> (@Sendable (RunEvent) -> Void)? {
        kinds.contains(kind) ? handler : nil
    }

    /// Sends `event` to the host if it listens to events of its kind.
    package func send(_ event: RunEvent) {
        handler(for: event.eventKind)?(event)
    }

    /// Starts reporting a run of `total` steps, `done` of them already made (a run resumed
    /// from a checkpoint).
    package func begin(label: String, total: Int, done: Int = 0) -> RunProgress {
        send(.started(kind: label, total: total))
        return RunProgress(label: label, total: total, done: done, events: self)
    }
}

/// Reporting for one run: counts steps, throttles progress events, polls cancellation.
package final class RunProgress {
    package let label: String
    package let total: Int
    private let events: RunEvents
    private var done: Int
    private var lastReport = DispatchTime.now().uptimeNanoseconds
    private var columns: [String]?
    /// Whether the run stopped because the host cancelled it or a limit was reached.
    package private(set) var wasCancelled = false
    /// Why the run was stopped by a limit (nil: cancelled by the host, or not stopped).
    package private(set) var limitMessage: String?
    /// Whether the run returned its result (`complete()`).
    private var completed = false

    package init(label: String, total: Int, done: Int = 0, events: RunEvents) {
        self.label = label
        self.total = total
        self.done = done
        self.events = events
    }

    /// Called once per step: reports progress now and then; returns true to stop the run.
    package func tick() -> Bool {
        done += 1
        if done & 63 == 0, let handler = events.handler(for: .progress) {
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastReport >= events.progressInterval {
                lastReport = now
                // A run polls once more than its steps (the loss at the last iterate), so
                // the count is capped at the budget.
                handler(.progress(kind: label, done: min(done, total), total: total))
            }
        }
        if events.isCancelled() {
            wasCancelled = true
            return true
        }
        if let problem = events.takeStep() {
            limitMessage = problem
            wasCancelled = true
            return true
        }
        return false
    }

    /// Whether the host hears rows. When it does not, a run passes no row callback at all, so
    /// no column names or values are gathered for it.
    package var wantsRows: Bool { events.handler(for: .row) != nil }

    /// Forwards a recorded row: its column names (given with the first row, kept for the
    /// others) and values; neither is evaluated when the host does not hear rows.
    package func row(columns names: @autoclosure () -> [String]?, values: @autoclosure () -> [Double]) {
        guard let handler = events.handler(for: .row) else { return }
        if columns == nil { columns = names() }
        handler(.row(kind: label, columns: columns ?? [], values: values()))
    }

    /// Marks the run as having returned its result; call it just before returning it, so that
    /// `finish` reports every other way out (an error, a limit, cancellation) as not completed.
    package func complete() {
        completed = true
    }

    /// Reports the end of the run: the steps made (a run polls once per step and once more, for
    /// the loss at the last iterate; at most the budget) and whether it completed.
    package func finish() {
        let made = min(max(done - 1, 0), total)
        events.send(.finished(kind: label, done: made, total: total, completed: completed))
    }
}
