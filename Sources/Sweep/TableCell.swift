import Tensor

/// One cell of a ``SweepTable``.
public enum TableCell: Sendable, Hashable, CustomStringConvertible {
    /// A grid coordinate or a returned number.
    case number(Double)
    /// A 64-bit seed: kept as an integer because a `Double` would round it.
    case integer(UInt64)
    /// A grid coordinate, a returned string, a status or an error message.
    case string(String)
    /// A field this point did not return (or returned empty), or `error` on a point that succeeded.
    case empty

    /// The cell from a value that may be absent.
    init(_ value: GridValue?) {
        switch value {
        case let .number(x)?: self = .number(x)
        case let .string(s)?: self = .string(s)
        case nil: self = .empty
        }
    }

    /// The cell's text: numbers by `NumberText.compact`, integers in decimal, strings as they
    /// are, empty as "".
    public var description: String {
        switch self {
        case let .number(x): return NumberText.compact(x)
        case let .integer(n): return String(n)
        case let .string(s): return s
        case .empty: return ""
        }
    }
}
