import Foundation
import Synchronization

/// Runs the points of a grid on this machine, across worker threads.
///
/// **Scheduling.** `jobs` threads each repeatedly take the next unclaimed index from a shared
/// counter and run that point, until none are left (or the run is cancelled). Results are stored
/// at their point's index, so the table does not depend on which thread ran what or in which
/// order: with a deterministic `body` (one that uses only the point's values and seed) the table
/// is identical for every `jobs`.
///
/// **Failures.** A point whose `body` throws is recorded as failed with the error's description;
/// the other points run on.
///
/// **Threads.** Workers are plain threads with an 8 MiB stack (a script interpreter may recurse
/// deeply); `body` must not share mutable state between points. When `body` calls a
/// multi-threaded BLAS, set `OPENBLAS_NUM_THREADS=1` so `jobs` workers do not oversubscribe the
/// cores.
public enum SweepRunner {
    /// The most worker threads a run may ask for.
    public static let maximumJobs = 1024

    /// The stack size of each worker thread, in bytes.
    public static let workerStackSize = 8 << 20

    /// Runs every point of `grid` and returns the table of their results.
    ///
    /// - Parameters:
    ///   - grid: the points, run in any order and reported in grid order.
    ///   - jobs: worker threads, `1…maximumJobs` (more than `grid.count` are not started).
    ///   - isCancelled: polled before each point is taken; once it returns true no new point
    ///     starts and the run throws after the running points finish.
    ///   - progress: called after each point with the counts so far; calls are serial (never
    ///     two at once) and `done` increases by one each time.
    ///   - body: computes one point's fields; may throw to fail that point only.
    /// - Throws: ``SweepError/invalidArgument(_:)`` for a bad `jobs`;
    ///   ``SweepError/cancelled(completed:total:partial:)`` with the finished points when cancelled.
    public static func run(
        grid: Grid,
        jobs: Int,
        isCancelled: @escaping @Sendable () -> Bool = { false },
        progress: (@Sendable (SweepProgress) -> Void)? = nil,
        body: @escaping @Sendable (GridPoint) throws -> PointFields
    ) throws(SweepError) -> SweepTable {
        let results = try runPoints(
            grid: grid, indices: Array(0..<grid.count), jobs: jobs,
            isCancelled: isCancelled, progress: progress, body: body)
        let table = SweepTable(grid: grid, results: results)
        guard results.count == grid.count else {
            throw .cancelled(completed: results.count, total: grid.count, partial: table)
        }
        return table
    }

    /// Runs the points `indices` of `grid` (e.g. the missing ones of a distributed run) and
    /// returns their results in the order of `indices`; a cancelled run returns only the points
    /// that finished. The parameters are those of ``run(grid:jobs:isCancelled:progress:body:)``.
    ///
    /// - Throws: ``SweepError/indexOutOfRange(index:count:)`` for an index outside the grid,
    ///   ``SweepError/invalidArgument(_:)`` for a bad `jobs`.
    public static func runPoints(
        grid: Grid,
        indices: [Int],
        jobs: Int,
        isCancelled: @escaping @Sendable () -> Bool = { false },
        progress: (@Sendable (SweepProgress) -> Void)? = nil,
        body: @escaping @Sendable (GridPoint) throws -> PointFields
    ) throws(SweepError) -> [PointResult] {
        guard jobs >= 1, jobs <= maximumJobs else {
            throw .invalidArgument("jobs is \(jobs); use between 1 and \(maximumJobs) worker threads")
        }
        let points = try indices.map { index throws(SweepError) in try grid.point(at: index) }
        let board = Board(total: points.count)
        let workerCount = min(jobs, points.count)
        let work: @Sendable () -> Void = {
            while !isCancelled(), let slot = board.claim() {
                let result = runPoint(points[slot], body: body)
                board.store(result, at: slot, progress: progress)
            }
        }
        if workerCount <= 1 {
            work()
        } else {
            let group = DispatchGroup()
            for _ in 0..<workerCount {
                group.enter()
                let thread = Thread {
                    work()
                    group.leave()
                }
                thread.stackSize = workerStackSize
                thread.start()
            }
            group.wait()
        }
        return board.finished()
    }

    /// Runs one point and records its outcome and wall-clock time; a thrown error becomes a
    /// failed result carrying the error's description. This is what one SLURM task runs.
    public static func runPoint(
        _ point: GridPoint, body: (GridPoint) throws -> PointFields
    ) -> PointResult {
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome: PointResult.Outcome
        do {
            outcome = .ok(try body(point))
        } catch let failure as PointFailure {
            outcome = .failed(failure)
        } catch {
            outcome = .failed(PointFailure(String(describing: error)))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e9
        return PointResult(point: point, outcome: outcome, elapsedSeconds: seconds)
    }
}

/// The shared state of one run: the next slot to claim, the results by slot, the counts.
private final class Board: Sendable {
    private struct State {
        var next = 0
        var results: [PointResult?]
        var done = 0
        var failed = 0
    }

    private let total: Int
    private let state: Mutex<State>

    init(total: Int) {
        self.total = total
        state = Mutex(State(results: Array(repeating: nil, count: total)))
    }

    /// The next unclaimed slot, or nil when all are claimed.
    func claim() -> Int? {
        state.withLock { s in
            guard s.next < total else { return nil }
            defer { s.next += 1 }
            return s.next
        }
    }

    /// Stores a finished point and reports progress (inside the lock, so reports are serial).
    func store(_ result: PointResult, at slot: Int, progress: (@Sendable (SweepProgress) -> Void)?) {
        state.withLock { s in
            s.results[slot] = result
            s.done += 1
            if result.isFailure { s.failed += 1 }
            progress?(SweepProgress(done: s.done, total: total, failed: s.failed))
        }
    }

    /// The finished results in slot order.
    func finished() -> [PointResult] {
        state.withLock { s in s.results.compactMap { $0 } }
    }
}
