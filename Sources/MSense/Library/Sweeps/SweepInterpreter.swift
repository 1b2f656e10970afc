import MSenseCore

extension LibraryContext {
    /// The sweep state of this context's interpreter, made on first use: it restarts its counters
    /// before each run (keeping the run's source for workers to replay) and makes its workers as
    /// silent replicas of the interpreter that take points from a shared feed.
    var sweepContext: SweepContext {
        state(SweepContext.self) {
            let sweeps = SweepContext()
            onRunStart { source in sweeps.beginRun(replay: source) }
            sweeps.stepsLeft = { [unowned self] in self.stepsLeft }
            sweeps.countSteps = { [unowned self] count in self.countSteps(count) }
            sweeps.memoryToShare = { [unowned self] in self.memoryToShare }
            if let makeReplica {
                sweeps.makeWorker = { feed in
                    let worker = makeReplica()
                    worker.sweeps.feed = feed
                    worker.sharedSteps = feed.steps
                    worker.sharedMemory = feed.memory
                    worker.sweeps.mode = .local(jobs: 1)
                    return worker
                }
            }
            return sweeps
        }
    }
}

extension Interpreter {
    /// Sweep mode, counters and worker replay (`sweep(...)`).
    var sweeps: SweepContext { libraryContext.sweepContext }

    /// How many top-level `sweep(...)` calls the last run reached (a distributed step whose
    /// target the script never reaches did nothing).
    public var sweepCallsReached: Int { sweeps.ordinal }

    /// How `sweep(...)` calls run: locally (the default, one worker per core) or one step of a
    /// distributed run (see ``SweepMode``). Set it before running.
    public var sweepMode: SweepMode {
        get { sweeps.mode }
        set { sweeps.mode = newValue }
    }
}
