import MSenseCore
import Foundation
import Sweep

/// How the script's `sweep(...)` calls run: all points here, or one step of a distributed
/// (SLURM) run. Set `Interpreter.sweepMode` before running a script.
///
/// The distributed modes act on one sweep call, the `sweep`-th one the script reaches at top
/// level (1-based, counted in the order they run; sweeps inside a point do not count). Earlier
/// sweep calls run locally as usual. The script runs normally up to that call, so its grid, its
/// function and everything they use are defined exactly as in a local run.
public enum SweepMode: Sendable {
    /// Run every point on this machine with up to `jobs` worker interpreters in parallel
    /// (nil: one per core). The default.
    case local(jobs: Int?)
    /// Prepare the output folder for the sweep call `sweep` (manifest, `points/`, `logs/`), hand
    /// its grid to `prepared` (which writes the job script, submits it, …), then end the script
    /// successfully without running any point.
    case prepare(directory: URL, sweep: Int, prepared: @Sendable (_ grid: Grid, _ store: PointStore) throws -> Void)
    /// Run only point `index` of sweep call `sweep`, write its result file into `directory`
    /// atomically, then end the script successfully (what one SLURM array task does).
    case point(index: Int, directory: URL, sweep: Int)
    /// Make sweep call `sweep` return the table merged from `directory`'s point files instead of
    /// running it; `report` hears what is missing or failed first and may throw to stop the
    /// script (e.g. when points are missing). The rest of the script then runs on the table.
    case merge(directory: URL, sweep: Int, report: @Sendable (SweepMerge) throws -> Void)
}
