import Tensor

/// Every way recording on a ``Tape``, differentiating it or running a ``GradientOptimizer`` can
/// refuse its inputs.
///
/// Nothing in `Autodiff` traps on shapes or values a user supplies: each failure is one of these
/// cases, and the description is a sentence a user can act on.
public enum AutodiffError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Operands whose shapes do not fit an operation, e.g. "elementwise sum: shapes 2×3 and 3×2 do
    /// not match".
    case shapeMismatch(String)
    /// A parameter outside its domain (a negative learning rate, a clip range with lo > hi, …).
    case invalidArgument(String)
    /// A variable of another tape, or one that does not exist.
    case foreignVariable(String)
    /// A linear measurement (``LinearMeasurement``) that failed or returned the wrong size.
    case measurement(String)
    /// An optimizer state that does not belong to the optimizer it is restored into.
    case incompatibleState(String)
    /// A failure of the underlying matrix runtime (a shape it refuses, memory it cannot get).
    case tensor(TensorError)

    public var description: String {
        switch self {
        case let .shapeMismatch(message), let .invalidArgument(message), let .foreignVariable(message),
             let .measurement(message), let .incompatibleState(message):
            return message
        case let .tensor(error): return error.description
        }
    }
}

/// The language reports an `AutodiffError` through the same bridge as every module's errors:
/// the description is the message, with a hint where a fix is known.
extension AutodiffError: ExplainedError {
    public var hint: String? {
        switch self {
        case .shapeMismatch: "shape(X) shows a value's shape; '@' is the matrix product, '*' and '+' are elementwise"
        case .tensor(let error): error.hint
        case .invalidArgument, .foreignVariable, .measurement, .incompatibleState: nil
        }
    }
}

/// Runs a `Tensor` operation, reporting its failure as ``AutodiffError/tensor(_:)``.
func tensor<T>(_ body: () throws(TensorError) -> T) throws(AutodiffError) -> T {
    do { return try body() } catch { throw .tensor(error) }
}

/// `2×3`, the way every message in msense writes a shape.
func shapeText(_ rows: Int, _ cols: Int) -> String { TensorError.format([rows, cols]) }
