import Testing
import Tensor

/// `RunBudget.charge` tells a refusal by the host's limits from a cancelled run, so each gets
/// its own error and hint, and `affords` answers without spending.
@Suite("Limits: run budget")
struct RunBudgetTests {
    /// A budget of `left` operations, cancelled or not.
    final class Allowance: ResourceBudget, @unchecked Sendable {
        // Safety: used on the test's thread only.
        var left: Int
        let isCancelled: Bool
        init(left: Int, cancelled: Bool = false) {
            self.left = left
            isCancelled = cancelled
        }
        func memoryRefusal(bytes: Int?, for what: String) -> String? { nil }
        func spend(operations: Int?, for what: @autoclosure () -> String) -> String? {
            guard affords(operations: operations), let operations else { return "step limit exceeded: \(what())" }
            left -= operations
            return nil
        }
        func affords(operations: Int?) -> Bool { operations.map { $0 <= left } ?? false }
    }

    @Test func aRefusalByTheLimitCarriesTheLimitHint() {
        let budget = Allowance(left: 10)
        #expect(throws: TensorError.limitExceeded("step limit exceeded: a pass")) {
            try RunBudget.with(budget) { () throws(TensorError) in try RunBudget.charge(11, for: "a pass") }
        }
        #expect(budget.left == 10)
        #expect(TensorError.limitExceeded("step limit exceeded: a pass").hint == "the host set this limit (Interpreter.limits)")
    }

    @Test func aCancelReadsAsACancel() {
        let budget = Allowance(left: 10, cancelled: true)
        #expect(throws: TensorError.cancelled) {
            try RunBudget.with(budget) { () throws(TensorError) in try RunBudget.charge(1, for: "a pass") }
        }
        #expect(budget.left == 10)
        #expect(TensorError.cancelled.description == "cancelled")
        #expect(TensorError.cancelled.hint == "the run was interrupted by the host")
    }

    @Test func affordsSpendsNothing() {
        let budget = Allowance(left: 10)
        RunBudget.with(budget) {
            #expect(RunBudget.affords(10))
            #expect(!RunBudget.affords(11))
            #expect(!RunBudget.affords(nil))
        }
        #expect(budget.left == 10)
        #expect(RunBudget.affords(Int.max))
    }
}
