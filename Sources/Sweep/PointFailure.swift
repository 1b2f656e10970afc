import Tensor

/// Why a point failed, as a value: the cause, and how many sweeps deep inside the point it
/// arose (0 when the point's own function failed; 2 when a sweep inside a sweep inside the
/// point had a failing point). A sweep whose points fail because of a sweep nested in them
/// quotes the innermost cause once, with this depth, instead of every level's message.
public struct PointFailure: Error, Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The innermost error message (with where it was raised, when known).
    public let cause: String
    /// How many sweeps nested inside the point the cause lies.
    public let nesting: Int
    /// The cause's own advice (`did you mean 'alpha'?`), when it had some; not part of the
    /// table's `error` cell, which holds ``description``.
    public let hint: String?

    /// A failure of the point's own function (`nesting` 0) or of a sweep `nesting` levels inside it.
    public init(_ cause: String, nesting: Int = 0, hint: String? = nil) {
        self.cause = cause
        self.nesting = max(nesting, 0)
        self.hint = hint
    }

    public init(stringLiteral cause: String) { self.init(cause) }

    /// The failure one sweep further out: the same cause and hint, one level deeper.
    public var enclosed: PointFailure { PointFailure(cause, nesting: nesting + 1, hint: hint) }

    /// `cause [in a sweep nested N levels deep]` (the table's `error` cell).
    public var description: String { cause + nestingNote }

    /// ` [in a sweep nested N level(s) deep]`, or nothing for the point's own failure.
    public var nestingNote: String {
        nesting == 0 ? "" : " [in a sweep nested \(counted(nesting, "level")) deep]"
    }
}
