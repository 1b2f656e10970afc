import MSenseCore
import Foundation
import Synchronization
import Sweep

/// One interpreter's sweep state: the mode the host chose, the count of top-level sweep calls
/// in the current run, and what parallel workers need to replay the run.
///
/// Used on the interpreter's thread only, except `WorkerFeed`, which synchronises itself.
final class SweepContext: @unchecked Sendable {
    // Safety: read and written on the interpreter's thread (set by the host between runs).
    /// How sweep calls run.
    var mode: SweepMode = .local(jobs: nil)
    /// Top-level sweep calls reached so far in this run.
    var ordinal = 0
    /// How many points are being evaluated right now (nested sweeps run serially inside them).
    var pointDepth = 0
    /// The tables of the top-level sweeps finished in this run, by ordinal (workers reuse them).
    var finished: [Int: SweepTable] = [:]
    /// The grids of those sweeps (a worker checks that its replay reaches the same ones).
    var grids: [Int: Grid] = [:]
    /// The run as workers replay it: its bytes, path and starting seed; nil when the current
    /// run cannot be replayed (a REPL session after its first entry, host-set globals).
    var replay: Replay?
    /// Set in a worker interpreter: where it takes its points from.
    var feed: WorkerFeed?
    /// In a worker: whether its run reached the sweep call it serves.
    var reachedTarget = false
    /// Makes a worker interpreter configured like this one (set by ``LibraryContext/sweepContext``).
    var makeWorker: (@Sendable (WorkerFeed) -> Interpreter)?
    /// The steps the interpreter's run has left (nil: no limit), which parallel workers share,
    /// and how their spending is counted back into the run.
    var stepsLeft: () -> Int? = { nil }
    var countSteps: (Int) -> Void = { _ in }
    /// The run's memory limit as its parallel workers share it (nil: no limit).
    var memoryToShare: () -> MemoryPool? = { nil }

    /// What a worker needs to run the same script to the same sweep call.
    typealias Replay = RunSource

    /// Resets the per-run counters before a run starts.
    func beginRun(replay: Replay?) {
        ordinal = 0
        pointDepth = 0
        finished = [:]
        grids = [:]
        self.replay = replay
    }
}

/// The work queue shared by the worker interpreters of one parallel sweep: the grid they must
/// reach, the earlier sweeps' tables, the next unclaimed point, the results, the first failure,
/// the failure that ends the run, and the workers that could not start.
final class WorkerFeed: Sendable {
    /// The sweep call (top-level ordinal) the workers run points of.
    let ordinal: Int
    /// The grid the master built; a worker whose grid differs fails the sweep.
    let grid: Grid
    /// The tables of the sweeps before `ordinal`, which workers return instead of re-running them.
    let earlier: [Int: SweepTable]
    /// The grids of those sweeps.
    let grids: [Int: Grid]
    /// The steps the workers share (what the master run has left); nil without a step limit.
    let steps: StepPool?
    /// The memory limit the workers share with the master run; nil without a memory limit.
    let memory: MemoryPool?
    private let state: Mutex<State>

    private struct State {
        var next = 0
        var results: [PointResult] = []
        var problem: String?
        var ending: Diagnostic?
        var unstarted: [Diagnostic] = []
    }

    init(ordinal: Int, grid: Grid, earlier: [Int: SweepTable], grids: [Int: Grid], steps: StepPool?, memory: MemoryPool?) {
        self.ordinal = ordinal
        self.steps = steps
        self.memory = memory
        self.grid = grid
        self.earlier = earlier
        self.grids = grids
        state = Mutex(State())
    }

    /// The next unclaimed point index, or nil when none is left or the sweep has failed.
    func claim() -> Int? {
        state.withLock { s in
            guard s.problem == nil, s.next < grid.count else { return nil }
            defer { s.next += 1 }
            return s.next
        }
    }

    /// Records a finished point.
    func deliver(_ result: PointResult) {
        state.withLock { $0.results.append(result) }
    }

    /// Records why a worker could not take part (the first reason wins) and stops handing out points.
    func fail(_ problem: String) {
        state.withLock { s in if s.problem == nil { s.problem = problem } }
    }

    /// Records how a worker's run ended when `try` may not catch it (a broken host limit, a
    /// cancellation; the first wins) and stops handing out points: the master run ends with it.
    func end(_ diagnostic: Diagnostic) {
        state.withLock { s in
            if s.ending == nil { s.ending = diagnostic }
            if s.problem == nil { s.problem = diagnostic.message }
        }
    }

    /// Records a worker that could not start (no thread for its stack); it took no points, and
    /// the other workers take them.
    func standDown(_ diagnostic: Diagnostic) {
        state.withLock { $0.unstarted.append(diagnostic) }
    }

    /// Points finished so far.
    var done: Int { state.withLock { $0.results.count } }
    /// The first worker problem, if any.
    var problem: String? { state.withLock { $0.problem } }
    /// How a worker's run ended that ends the master's too, if one did.
    var ending: Diagnostic? { state.withLock { $0.ending } }
    /// Why each worker that could not start did not.
    var unstarted: [Diagnostic] { state.withLock { $0.unstarted } }
    /// Every finished point.
    var results: [PointResult] { state.withLock { $0.results } }
}
