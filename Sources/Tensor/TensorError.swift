/// Every way a tensor operation can refuse its inputs.
///
/// Operations in `Tensor` never trap on bad shapes or bad data: they throw one of these, and the
/// description is a complete sentence a user can act on.
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two operands whose shapes do not fit an operation, e.g. `matmul` of 2×3 and 2×3.
    case shapeMismatch(operation: String, lhs: [Int], rhs: [Int])
    /// A shape that cannot exist or does not match the number of elements given.
    case invalidShape(String)
    /// An index outside a matrix or vector.
    case indexOutOfRange(String)
    /// A LAPACK routine reported failure (`info != 0`).
    case lapackFailure(routine: String, info: Int)
    /// A matrix that an operation requires to be square, symmetric, non-singular, ….
    case invalidArgument(String)
    /// A file that cannot be read or written, or whose contents are malformed.
    case file(path: String, problem: String)
    /// An allocation larger than the memory the process can still get (`AvailableMemory`);
    /// the message states the bytes needed and available.
    case insufficientMemory(String)
    /// Work refused by the thread's `RunBudget` because it does not fit in the host's limits;
    /// the message names the limit, the work and what is left.
    case limitExceeded(String)
    /// Work not started because the host cancelled the run (`RunBudget`).
    case cancelled

    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs):
            return "\(op): shapes \(Self.format(lhs)) and \(Self.format(rhs)) do not match"
        case let .invalidShape(message): return "invalid shape: \(message)"
        case let .indexOutOfRange(message): return "index out of range: \(message)"
        case let .lapackFailure(routine, info):
            return "\(routine) failed (info = \(info))"
        case let .invalidArgument(message): return message
        case let .file(path, problem): return "\(path): \(problem)"
        case let .insufficientMemory(message): return message
        case let .limitExceeded(message): return message
        case .cancelled: return "cancelled"
        }
    }

    /// Formats a shape as `2×3`, the way every message in msense writes shapes.
    public static func format(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
    }
}
