import MSenseCore
import Foundation
import Sweep

/// One `sweep(...)` call in progress: decides, from the interpreter's mode and role, whether to
/// run the points here, hand them to workers, or do one step of a distributed run.
struct SweepCall {
    let function: Value
    let grid: Grid
    let arguments: Arguments
    let context: SweepContext
    let random: RandomState
    let events: RunEvents

    /// The table this call returns (or `ScriptEnd` when the mode ends the script here).
    func run(jobs: Int?) throws -> SweepTable {
        // A sweep inside a point runs serially and is not one of the script's numbered sweeps.
        if context.pointDepth > 0 { return try runHere(jobs: 1, reporting: false) }
        context.ordinal += 1
        let ordinal = context.ordinal
        if let feed = context.feed { return try serveWorker(feed, ordinal: ordinal) }
        let table: SweepTable
        switch context.mode {
        case .prepare(let directory, let target, let prepared) where target == ordinal:
            let store = PointStore(directory: directory)
            try store.prepare(grid: grid, script: context.replay.map { replay in
                replay.path.hasPrefix("<") ? replay.path : URL(fileURLWithPath: replay.path).standardizedFileURL.path
            }, scriptSeed: context.replay?.seed)
            try prepared(grid, store)
            throw ScriptEnd()
        case .point(let index, let directory, let target) where target == ordinal:
            let store = PointStore(directory: directory)
            try store.verify(grid: grid)
            let result = try runPoint(try grid.point(at: index))
            try store.write(result)
            throw ScriptEnd()
        case .merge(let directory, let target, let report) where target == ordinal:
            let store = PointStore(directory: directory)
            try store.verify(grid: grid)
            let merged = try store.merge(grid: grid)
            try report(merged)
            table = merged.table
        default:
            // Local runs, and the sweeps a distributed step does not target, run here.
            var limit: Int?
            if case .local(let hostLimit) = context.mode { limit = hostLimit }
            table = try runHere(jobs: min(jobs ?? Int.max, limit ?? ProcessInfo.processInfo.activeProcessorCount),
                                reporting: true)
        }
        context.finished[ordinal] = table
        context.grids[ordinal] = grid
        return table
    }

    /// Runs every point on this machine: serially in this interpreter, or on worker
    /// interpreters replaying the script when the run can be replayed and `jobs > 1`.
    private func runHere(jobs: Int, reporting: Bool) throws -> SweepTable {
        if reporting { events.send(.started(kind: "sweep", total: grid.count)) }
        var pointsRun = 0, completed = false
        defer {
            if reporting { events.send(.finished(kind: "sweep", done: pointsRun, total: grid.count, completed: completed)) }
        }
        var parallel: [PointResult]?
        if jobs > 1, grid.count > 1, let replay = context.replay, let makeWorker = context.makeWorker {
            // The workers share the steps this run has left, and this run counts what they spent;
            // they share its memory limit too, measured from its start.
            let pool = context.stepsLeft().map { StepPool(total: $0) }
            defer { if let pool { context.countSteps(pool.drawnTotal) } }
            do {
                parallel = try SweepWorkers(grid: grid, ordinal: context.ordinal, earlier: context.finished,
                                            grids: context.grids, replay: replay, events: reporting ? events : nil, steps: pool,
                                            memory: context.memoryToShare())
                    .run(jobs: min(jobs, grid.count, SweepRunner.maximumJobs), pointsRun: &pointsRun,
                         note: arguments.write, makeWorker: makeWorker)
            } catch let ending as SweepWorkers.Ending {
                throw arguments.failure(as: ending.diagnostic)
            }
        }
        let results: [PointResult]
        if let parallel {
            results = parallel
        } else {
            var collected: [PointResult] = []
            for index in 0..<grid.count {
                if events.isCancelled() { throw ScriptError("cancelled after \(collected.count) of \(grid.count) points") }
                collected.append(try runPoint(try grid.point(at: index)))
                pointsRun = collected.count
                if reporting { events.send(.progress(kind: "sweep", done: collected.count, total: grid.count)) }
            }
            results = collected
        }
        pointsRun = results.count
        let table = SweepTable(grid: grid, results: results)
        if let first = table.failedIndices.first, let failure = table.failures.first {
            if table.failedIndices.count == grid.count { throw SweepFailure(point: first, failure: failure) }
            arguments.write("sweep: \(table.failedIndices.count) of \(grid.count) points failed (first, point \(first): \(SweepFailure.quoted(failure))); see the table's status and error columns\n")
        }
        completed = true
        return table
    }

    /// In a worker interpreter: return earlier sweeps' tables as the master computed them, and
    /// at the target sweep take points from the feed until none are left, then end the script.
    private func serveWorker(_ feed: WorkerFeed, ordinal: Int) throws -> SweepTable {
        if ordinal < feed.ordinal, let table = feed.earlier[ordinal] {
            if let expected = feed.grids[ordinal], expected != grid {
                feed.fail(SweepCall.replayProblem(ordinal: ordinal))
                throw ScriptEnd()
            }
            context.finished[ordinal] = table
            return table
        }
        guard ordinal == feed.ordinal, grid == feed.grid else {
            feed.fail(SweepCall.replayProblem(ordinal: ordinal))
            throw ScriptEnd()
        }
        context.reachedTarget = true
        while let index = feed.claim() {
            feed.deliver(try runPoint(try grid.point(at: index)))
        }
        throw ScriptEnd()
    }

    static func replayProblem(ordinal: Int) -> String {
        "sweep call \(ordinal) has a different grid when the script runs again, so its points cannot be shared out; make the statements before it deterministic (call seed(n) first, avoid clock())"
    }

    /// Runs `f` at `point` as ``SweepRunner/runPoint(_:body:)`` does, except that a failure `try`
    /// may not catch (a broken host limit, a cancellation) ends the sweep and the run instead of
    /// failing the point: the rest of the points could not run either.
    private func runPoint(_ point: GridPoint) throws -> PointResult {
        var ending: RuntimeFailure?
        let result = SweepRunner.runPoint(point) { point in
            do {
                return try evaluate(point)
            } catch let failure as RuntimeFailure where !failure.catchable {
                ending = failure
                throw failure
            }
        }
        if let ending { throw ending }
        return result
    }

    /// Runs `f` at `point` in this interpreter with the point's random stream and without run
    /// events (a sweep reports per point, not per step); the script's own stream is restored after.
    func evaluate(_ point: GridPoint) throws -> PointFields {
        context.pointDepth += 1
        let saved = random.snapshot()
        random.reseed(point.seed)
        let handler = events.handler
        events.handler = nil
        defer {
            events.handler = handler
            random.restore(saved)
            context.pointDepth -= 1
        }
        let value: Value
        do {
            value = try arguments.call(function, [SweepLibrary.record(of: point)])
        } catch let failure as RuntimeFailure where failure.catchable {
            if let nested = failure.cause as? SweepFailure { throw nested.failure.enclosed }
            throw PointFailure("\(failure.message) (\(failure.origin.text))", hint: failure.hint)
        }
        return try SweepLibrary.fields(of: value)
    }
}
