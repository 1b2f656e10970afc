/// Native work done in many small pieces of unknown number (the items of nested containers
/// compared, formatted, encoded), charged to the thread's `RunBudget` in bulk rather than piece
/// by piece.
///
/// A piece of at least ``batch`` operations (a long list, a large matrix) is charged at once,
/// before the work starts, with whatever is held back; smaller ones are held back until they add
/// up to ``batch``, and ``settle()`` charges the rest when the work is done. So the work done
/// but not yet charged stays under one step of the interpreter's meter (2²⁰ operations, about a
/// millisecond), and a run out of steps is refused within that much work. Work of less than
/// ``free`` operations in all is not charged (a comparison of two short strings): like the
/// interpreter's own work for an operator, it is covered by the step of the loop iteration or
/// call around it, and charging it would cost more than the work.
package struct WorkTally {
    /// Operations held back before they are charged: 2²⁰, one step of the interpreter's meter.
    package static let batch = 1 << 20
    /// Work below this many operations (2¹⁰) in all is not charged.
    package static let free = 1 << 10

    /// What the work is, worded only for a refusal ("comparing two lists with ==").
    private let what: () -> String
    /// Operations counted and not yet charged (less than ``batch``).
    private var pending = 0

    /// A tally for the work `what`.
    package init(for what: @escaping () -> String) {
        self.what = what
    }

    /// Charges one piece of work of `operations` at once, before it is done (a string
    /// concatenated or joined), unless it is less than ``free``.
    @inline(__always)
    package static func charge(_ operations: Int, for what: @autoclosure () -> String) throws(TensorError) {
        if operations >= free { try RunBudget.charge(operations, for: what()) }
    }

    /// Counts `operations` about to be done; charges what is held back once it reaches ``batch``.
    /// Throws the budget's refusal (or ``TensorError/cancelled``).
    @inline(__always)
    package mutating func add(_ operations: Int) throws(TensorError) {
        let (total, overflow) = pending.addingReportingOverflow(operations)
        pending = overflow ? .max : total
        if pending >= Self.batch { try settle() }
    }

    /// Charges what is held back (at the end of the work, or once it reaches ``batch``), unless
    /// it is less than ``free``.
    package mutating func settle() throws(TensorError) {
        guard pending >= Self.free else { return }
        let operations = pending
        pending = 0
        try RunBudget.charge(operations, for: what())
    }
}
