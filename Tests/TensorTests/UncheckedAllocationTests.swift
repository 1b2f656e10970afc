import Testing
import Tensor

/// Allocations under 4 MiB are counted by the thread's budget and checked when they add up to
/// its window (`AvailableMemory.refusal(bytes:for:available:)`, `WorkTally`).
@Suite("Unchecked allocations and tallied work")
struct UncheckedAllocationTests {
    /// A budget with a window of `window` bytes that refuses whatever it is asked about.
    final class Window: ResourceBudget, @unchecked Sendable {
        // Safety: used on the test's thread only.
        let window: Int
        var counted = 0
        var asked: [Int?] = []
        var spent: [Int] = []
        init(window: Int) { self.window = window }
        func memoryRefusal(bytes: Int?, for what: String) -> String? {
            asked.append(bytes)
            return "memory limit exceeded: \(what)"
        }
        func countUnchecked(bytes: Int) -> Int? {
            counted += bytes
            guard counted >= window else { return nil }
            counted = 0
            return window
        }
        var isCancelled: Bool { false }
        func spend(operations: Int?, for what: @autoclosure () -> String) -> String? {
            spent.append(operations ?? -1)
            return nil
        }
        func affords(operations: Int?) -> Bool { true }
    }

    @Test func theSmallRequestThatCompletesTheWindowIsChecked() {
        let budget = Window(window: 10_000)
        let answers = RunBudget.with(budget) {
            (0..<5).map { _ in AvailableMemory.refusal(bytes: 3_000, for: "a small matrix", available: 1 << 30) }
        }
        #expect(answers.map { $0 != nil } == [false, false, false, true, false])
        #expect(answers[3] == "memory limit exceeded: a small matrix")
        #expect(budget.asked == [3_000])
    }

    @Test func theMachineMustHoldTheNextWindow() {
        let budget = Window(window: 10_000)
        let answer = RunBudget.with(budget) {
            (0..<4).compactMap { _ in AvailableMemory.refusal(bytes: 3_000, for: "a small matrix", available: 5_000) }
        }
        #expect(answer.count == 1)
        #expect(answer.first?.contains("but only 5.0 kB of memory is available") == true, "\(answer)")
        #expect(budget.asked.isEmpty, "the machine refused first")
    }

    @Test func aTallyChargesInBatchesAndLeavesTinyWorkFree() throws {
        let budget = Window(window: .max)
        try RunBudget.with(budget) { () throws(TensorError) in
            var tally = WorkTally { "work" }
            for _ in 0..<3 { try tally.add(WorkTally.batch / 2) }
            try tally.settle()
            var tiny = WorkTally { "work" }
            try tiny.add(WorkTally.free - 1)
            try tiny.settle()
            try tiny.add(3 * WorkTally.batch)
        }
        #expect(budget.spent == [WorkTally.batch, WorkTally.batch / 2, 3 * WorkTally.batch + WorkTally.free - 1])
    }
}
