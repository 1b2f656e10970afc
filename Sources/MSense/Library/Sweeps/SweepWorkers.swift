import MSenseCore
import Foundation
import Sweep

/// A sweep run in parallel on this machine by worker interpreters.
///
/// Each worker is a fresh interpreter configured like the script's (same libraries, arguments,
/// file access, limits and starting seed; a run with builtins the host registered is never
/// replayed) that runs the script again from the top, on a big stack of its own. Its
/// `print` output is discarded. When it reaches the same sweep call it checks that the grid is
/// the same, then takes points from a shared queue until none are left, and its run ends there.
/// Earlier sweeps are not re-run: workers get the tables the script already computed.
///
/// So the statements before the sweep run once per worker: they should be deterministic (the
/// script's seed is shared, so random data is reproduced exactly) and cheap next to the points.
/// Results are stored by point index, so the table is the same for every number of workers.
struct SweepWorkers {
    let grid: Grid
    let ordinal: Int
    let earlier: [Int: SweepTable]
    let grids: [Int: Grid]
    let replay: SweepContext.Replay
    /// Where progress goes (from this, the interpreter's, thread); nil to stay silent.
    let events: RunEvents?
    /// The steps the workers share; nil without a step limit.
    let steps: StepPool?
    /// The memory limit the workers share with the master run; nil without a memory limit.
    let memory: MemoryPool?

    /// How often the waiting interpreter thread reports progress and checks for cancellation.
    static let pollInterval = 0.05

    /// The stack of a worker's own thread: 1 MiB, since it only waits for the worker's run, which
    /// has a big stack of its own (`Interpreter.run`).
    static let threadStack = 1 << 20

    /// A worker's run ended in a way `try` may not catch (a broken host limit, a cancellation):
    /// the sweep's own run ends with it, at the sweep call (`Arguments.failure(as:)`).
    struct Ending: Error {
        let diagnostic: Diagnostic
    }

    /// Runs every point on `jobs` workers and returns their results (any order), or nil when no
    /// worker could start (no thread, or no stack for its run: the address space is short), for
    /// the caller to run the points itself. A worker that cannot start takes no points; the
    /// others take them, and `note` receives a line saying so for the script's output.
    /// `pointsRun` follows the points the workers finished, also when the run ends by an error or
    /// cancellation (for the sweep's finished event).
    func run(jobs: Int, pointsRun: inout Int, note: (String) -> Void,
             makeWorker: @Sendable (WorkerFeed) -> Interpreter) throws -> [PointResult]? {
        let feed = WorkerFeed(ordinal: ordinal, grid: grid, earlier: earlier, grids: grids, steps: steps, memory: memory)
        let workers = (0..<jobs).map { _ in makeWorker(feed) }
        for worker in workers { worker.seed = replay.seed }
        let group = DispatchGroup()
        let replay = self.replay
        for worker in workers {
            group.enter()
            do {
                try BigStack.start(bytes: Self.threadStack) {
                    defer { group.leave() }
                    Self.serve(worker, replay: replay, feed: feed)
                }
            } catch {
                feed.standDown(error.diagnostic(path: replay.path))
                group.leave()
            }
        }
        var reported = -1
        var cancelled = false, stopping = false
        while group.wait(timeout: .now() + Self.pollInterval) == .timedOut {
            if !cancelled, events?.isCancelled() == true {
                cancelled = true
                for worker in workers { worker.cancel() }
            }
            if !stopping, feed.ending != nil {
                // One worker's run ended the sweep's run: the others stop at their next step.
                stopping = true
                for worker in workers { worker.cancel() }
            }
            let done = feed.done
            if done != reported {
                reported = done
                events?.send(.progress(kind: "sweep", done: done, total: grid.count))
            }
        }
        pointsRun = feed.done
        if cancelled { throw ScriptError("cancelled after \(pointsRun) of \(grid.count) points") }
        if let ending = feed.ending { throw Ending(diagnostic: ending) }
        let unstarted = feed.unstarted
        if let reason = unstarted.first {
            let why = reason.message + (reason.hint.map { "; \($0)" } ?? "")
            if unstarted.count == jobs {
                note("sweep: none of its \(jobs) workers could start, so the points run one at a time in this interpreter: \(why)\n")
                return nil
            }
            note("sweep: \(unstarted.count) of its \(jobs) workers could not start, so the points ran on \(jobs - unstarted.count): \(why)\n")
        }
        let results = feed.results
        if results.count < grid.count {
            throw ScriptError(feed.problem ?? "the sweep's workers stopped after \(results.count) of \(grid.count) points",
                              hint: "run with jobs: 1 to evaluate the points in this interpreter instead")
        }
        events?.send(.progress(kind: "sweep", done: results.count, total: grid.count))
        return results
    }

    /// One worker's part, on its own thread: replay the script, serving points at the sweep call,
    /// and record in `feed` how its run ended when that was not by serving them.
    private static func serve(_ worker: Interpreter, replay: SweepContext.Replay, feed: WorkerFeed) {
        do {
            _ = try worker.run(bytes: replay.bytes, path: replay.path)
            if !worker.sweeps.reachedTarget {
                feed.fail("a worker ran the script to its end without reaching sweep call \(feed.ordinal); make the statements before it deterministic")
            }
        } catch {
            if let first = error.diagnostics.first, first.id == .stackUnavailable {
                feed.standDown(first)
            } else if let first = error.diagnostics.first, !first.id.catchable {
                feed.end(first)
            } else {
                feed.fail("a worker could not run the script again:\n" + error.rendered(color: false))
            }
        }
    }
}
