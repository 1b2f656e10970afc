import Foundation

/// What the work running on the current thread may still spend, installed by whoever runs it
/// (the interpreter installs its `Limits` for each run) and consulted by the native runtime
/// without knowing who set it.
///
/// Two questions are asked of it:
/// - **memory**: before every checked allocation (`AvailableMemory/refusal(bytes:for:available:)`,
///   which every large allocation in `Tensor` and `Sensing` goes through), whether that many
///   more bytes fit; the small ones that skip the check are counted
///   (`countUnchecked(bytes:)`), and one is checked whenever they add up to the budget's window;
/// - **work**: before native work whose cost grows with its input (`RunBudget/charge(_:for:)`:
///   filling a new matrix, products, factorisations, and in `Sensing` every pass over the
///   measurements), whether that many more elementary operations fit, and whether the run was
///   cancelled.
package protocol ResourceBudget: AnyObject, Sendable {
    /// Why allocating `bytes` more (nil: more than `Int.max`) for `what` does not fit, or nil.
    func memoryRefusal(bytes: Int?, for what: String) -> String?
    /// Counts an allocation of `bytes` too small to be checked on its own (at most
    /// `AvailableMemory.uncheckedBytes`). Returns nil until the bytes counted since the last
    /// memory check reach the room that check left (at least the budget's window,
    /// ``leaveRoom(_:)``); then the window, in bytes (the count starts
    /// again), and this allocation is checked as a large one would be, so that small
    /// allocations grow the process by at most about one window past a limit.
    func countUnchecked(bytes: Int) -> Int?
    /// After the machine was found to have `available` bytes at such a check (before the
    /// budget's own limit is asked): the budget may count that much more before the next.
    func leaveRoom(_ available: Int)
    /// Whether the run was cancelled: no native work starts then.
    var isCancelled: Bool { get }
    /// Spends `operations` elementary operations (nil: more than `Int.max`) on `what`; returns
    /// why they cannot be spent (the limit they would break), or nil. `what` is worded only for
    /// a refusal.
    func spend(operations: Int?, for what: @autoclosure () -> String) -> String?
    /// Whether `operations` (nil: more than `Int.max`) could be spent now, spending nothing:
    /// for choosing between two ways of doing the work.
    func affords(operations: Int?) -> Bool
}

extension ResourceBudget {
    /// Never asks for a check: a budget without a memory window leaves small allocations unchecked.
    package func countUnchecked(bytes: Int) -> Int? { nil }
    /// Ignores the room: such a budget never asks for a check.
    package func leaveRoom(_ available: Int) {}
}

/// The `ResourceBudget` of the current thread and the checks that consult it.
package enum RunBudget {
    /// The budget installed on this thread, or nil (nothing beyond available memory is checked).
    package static var current: (any ResourceBudget)? {
        guard let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<Holder>.fromOpaque(raw).takeUnretainedValue().budget
    }

    /// Runs `body` with `budget` installed on this thread (nil: none), then restores the
    /// previous one.
    package static func with<R, E: Error>(_ budget: (any ResourceBudget)?, _ body: () throws(E) -> R) throws(E) -> R {
        let previous = pthread_getspecific(key)
        let holder = Unmanaged.passRetained(Holder(budget))
        pthread_setspecific(key, holder.toOpaque())
        defer {
            pthread_setspecific(key, previous)
            holder.release()
        }
        return try body()
    }

    /// Throws ``TensorError/cancelled`` when the run was cancelled, and
    /// ``TensorError/limitExceeded(_:)`` unless the installed budget can spend `operations`
    /// (nil: overflowed `Int`) on `what` (worded only for a refusal); free without a budget.
    package static func charge(_ operations: Int?, for what: @autoclosure () -> String) throws(TensorError) {
        guard let budget = current else { return }
        if budget.isCancelled { throw .cancelled }
        if let problem = budget.spend(operations: operations, for: what()) { throw .limitExceeded(problem) }
    }

    /// Whether the installed budget could spend `operations` (nil: overflowed `Int`) now, spending
    /// nothing; true without a budget. `kernel: "auto"` asks it before taking a route whose
    /// set-up would be refused.
    package static func affords(_ operations: Int?) -> Bool {
        current?.affords(operations: operations) ?? true
    }

    /// `a · b · c` (each at least 1, so loops over empty dimensions still count), or nil when
    /// it overflows `Int`: the operation count of a product or a loop nest.
    package static func operations(_ factors: Int...) -> Int? {
        var total = 1
        for factor in factors {
            let (product, overflow) = total.multipliedReportingOverflow(by: max(factor, 1))
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// `a · b`, as the variadic `operations` counts it, without building an array: charges
    /// made every iteration of an optimizer use the two- and three-factor forms.
    package static func operations(_ a: Int, _ b: Int) -> Int? {
        let (product, overflow) = max(a, 1).multipliedReportingOverflow(by: max(b, 1))
        return overflow ? nil : product
    }

    /// `a · b · c`, as the variadic `operations` counts it, without building an array.
    package static func operations(_ a: Int, _ b: Int, _ c: Int) -> Int? {
        guard let ab = operations(a, b) else { return nil }
        let (product, overflow) = ab.multipliedReportingOverflow(by: max(c, 1))
        return overflow ? nil : product
    }

    private final class Holder {
        let budget: (any ResourceBudget)?
        init(_ budget: (any ResourceBudget)?) { self.budget = budget }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}
