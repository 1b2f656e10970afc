/// A value recorded on a ``Tape``: a handle (the tape and the position of its node) plus the
/// value's shape, so shapes can be reported without asking the tape.
///
/// A scalar is a `1×1` variable. Variables are only meaningful on the tape that made them; every
/// tape operation checks that and throws ``AutodiffError/foreignVariable(_:)`` otherwise.
public struct Variable: Hashable, Sendable {
    /// The identity of the tape that recorded the variable (kept alive by its variables, so no
    /// later tape can take its place).
    let tape: TapeIdentity
    /// The position of the variable's node on its tape.
    let index: Int
    /// Number of rows of the value.
    public let rows: Int
    /// Number of columns of the value.
    public let cols: Int

    /// The shape as `[rows, cols]`.
    public var shape: [Int] { [rows, cols] }

    public static func == (a: Variable, b: Variable) -> Bool { a.tape === b.tape && a.index == b.index }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(tape))
        hasher.combine(index)
    }

    /// True for a `1×1` variable, which reductions return and scalar operations expect.
    public var isScalar: Bool { rows == 1 && cols == 1 }
}

/// The identity of one ``Tape``, shared by the tape and its variables.
final class TapeIdentity: Sendable {}
