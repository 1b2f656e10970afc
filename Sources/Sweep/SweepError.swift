import Tensor

/// Every way a sweep can refuse its inputs, lose its files, or stop early.
///
/// Each case's `description` is a complete sentence a user can act on; nothing in `Sweep` traps
/// on a grid, an index, or a file read from disk.
public enum SweepError: Error, Sendable, CustomStringConvertible {
    /// A grid that cannot be run: an empty axis, a duplicate or reserved name, too many points, …
    case invalidGrid(String)
    /// A point index outside `0..<count`.
    case indexOutOfRange(index: Int, count: Int)
    /// A parameter outside its domain (`jobs = 0`, a SLURM time with a newline, …).
    case invalidArgument(String)
    /// A file or folder that could not be read, written, or understood.
    case file(path: String, problem: String)
    /// An output folder whose `manifest.json` describes a different grid.
    case manifestMismatch(String)
    /// The run was cancelled; `partial` holds the points that finished before.
    case cancelled(completed: Int, total: Int, partial: SweepTable)
    /// `sbatch` is missing or refused the script; the message carries its standard error.
    case slurm(String)

    public var description: String {
        switch self {
        case let .invalidGrid(message), let .invalidArgument(message),
            let .manifestMismatch(message), let .slurm(message):
            return message
        case let .indexOutOfRange(index, count):
            return count == 1
                ? "point index \(index) is out of range: the grid has 1 point, index 0"
                : "point index \(index) is out of range: the grid has \(count) points, indices 0 to \(count - 1)"
        case let .file(path, problem):
            return "\(path): \(problem)"
        case let .cancelled(completed, total, _):
            return "the sweep was cancelled after \(completed) of \(total) points; the finished points are kept"
        }
    }
}

extension SweepError: ExplainedError {}
