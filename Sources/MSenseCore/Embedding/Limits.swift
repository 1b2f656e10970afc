import Foundation
import Synchronization
import Tensor

/// What one run of a script may consume, for hosts that run scripts they did not write.
/// Set ``Interpreter/limits`` before running; a run that goes over stops with an error naming
/// the limit (a ``ScriptFailure`` like any other), and the interpreter stays usable.
public struct Limits: Sendable, Equatable {
    /// Evaluation steps per run: every loop iteration, every call of a function or builtin, and
    /// every iteration of an optimizer (`gd`, `glrl`, …) counts one, and native work one per
    /// 2²⁰ elementary operations (multiply-adds), charged before it starts (refused when it
    /// cannot fit), fractions carried to the next charge: products, factorisations, fills, lists
    /// built (one per item), sorts (`n·⌈log₂ n⌉`), figures drawn, work over a whole value (one
    /// per item, element or byte: `==`, text and JSON written, text read, strings copied), and
    /// every pass over the
    /// measurements (`m·p` to measure a matrix or take the adjoint of a
    /// dense ensemble of `p` weights per measurement, `2·m·p` for an optimizer's loss and
    /// gradient or the tape's fused pass, `m·p(p+1)/2` to build a Gram matrix and `p²` per
    /// step through it, one per number drawn for an ensemble; docs/embedding.md § Steps lists
    /// them all). The workers of a parallel sweep share what the run has left. nil: no limit.
    public var steps: Int?
    /// Bytes of memory the run may add to the process: every allocation of more than 4 MiB whose
    /// size comes from the script (matrices, products, factorisations' work, ensembles, lists,
    /// strings, text, loaded files, figures) is checked first, the resident growth so far plus the
    /// request, and refused if it would not fit; the smaller ones are counted, and the one that
    /// brings them to `min(64 MiB, memoryBytes / 16)` since the last check (or to what was left
    /// under the limit then, when more) is checked the same way; the resident size is also
    /// checked every 4096 steps. The workers of a parallel sweep share the run's limit, measured from the run's
    /// start. nil: no limit.
    public var memoryBytes: Int?

    /// Limits with the given values (nil: unlimited).
    public init(steps: Int? = nil, memoryBytes: Int? = nil) {
        self.steps = steps
        self.memoryBytes = memoryBytes
    }

    /// No limits (the default).
    public static let none = Limits()
}

/// The running tally behind ``Limits``: steps taken and resident memory at the start of the
/// run. Lives in the runtime; touched on the interpreter's thread only (the `StepPool` and
/// `MemoryPool` of a parallel sweep synchronise themselves).
final class LimitMeter: @unchecked Sendable {
    // Safety: used only on the thread running the script.
    var limits = Limits.none {
        didSet { rearm() }
    }
    /// Native work costs one step per this many elementary operations (2²⁰ ≈ 10⁶): a product
    /// of `m×k` by `k×n` is `m·k·n` operations, a factorisation of an `n×n` matrix `n³`
    /// (`m·n·min(m, n)` for `m×n`), filling a new matrix one per element, building a list one per
    /// item (``LengthLimits/requireList(_:operations:hint:)``), sorting `n` values `n·⌈log₂ n⌉`,
    /// a pass over the measurements one per weight read (Sensing's `MeasurementCharge`).
    static let operationsPerStep = 1 << 20
    /// Steps a sweep worker draws from its `StepPool` at a time.
    static let poolChunk = 1024

    private(set) var steps = 0
    /// Operations charged since the last whole step (less than `operationsPerStep`), carried
    /// into the next charge so that many small passes (an optimizer's, every iteration) add up.
    private var owedOperations = 0
    private var baseline = 0
    /// The step count at which something must be looked at next (the step limit, the next
    /// memory check); `Int.max` without limits, so the hot path is one add and one compare.
    private var checkpoint = Int.max
    /// In a parallel sweep's worker: the master's remaining steps, shared by all its workers
    /// (replacing `limits.steps`), and how many this worker has drawn from it so far.
    var pool: StepPool? {
        didSet { rearm() }
    }
    private var drawn = 0
    /// In a parallel sweep's worker: the memory limit it shares with the master run and the
    /// other workers, measured from the master run's start (replacing this run's own baseline).
    var memoryPool: MemoryPool? {
        didSet { rearm() }
    }
    /// Bytes of allocations too small to be checked one by one (`AvailableMemory.uncheckedBytes`)
    /// made since the last memory check.
    private var uncheckedBytes = 0
    /// The window of small allocations: `min(64 MiB, limit / 16)` (64 MiB without a limit, for
    /// the machine's memory alone), the least that are counted between two checks, so small
    /// allocations take the process at most about `limit / 16` past the limit.
    private var uncheckedWindow = LimitMeter.maxUncheckedWindow
    /// The unchecked bytes after which the next small allocation is checked: the window, or
    /// more when the last check found more room (``leaveRoom(_:)``), since allocations cannot
    /// grow the process by more than their bytes: a loop making and dropping small matrices
    /// far below the limit reads `/proc` rarely.
    private var uncheckedRoom = LimitMeter.maxUncheckedWindow
    /// The largest window of unchecked bytes: 64 MiB.
    static let maxUncheckedWindow = 64 << 20

    /// The memory this run shares with a parallel sweep's workers: its limit, measured from its
    /// start (a worker passes on its own pool); nil without a memory limit.
    var memoryToShare: MemoryPool? {
        if let memoryPool { return memoryPool }
        return limits.memoryBytes.map { MemoryPool(baseline: baseline, limit: $0) }
    }

    /// Starts counting a new run.
    func begin() {
        steps = 0
        owedOperations = 0
        drawn = 0
        uncheckedBytes = 0
        baseline = memoryPool?.baseline ?? (limits.memoryBytes == nil ? 0 : ResidentMemory.bytes())
        rearm()
    }

    /// Ends a run: in a sweep's worker, what the shared memory granted it is settled.
    func end() {
        memoryPool?.settle(worker: ObjectIdentifier(self))
    }

    /// Counts one step; returns the error message once a limit is exceeded.
    @inline(__always)
    func take() -> String? {
        steps &+= 1
        return steps < checkpoint ? nil : check()
    }

    /// Steps left under the limit (nil: unlimited).
    var remainingSteps: Int? {
        if let pool { return max(0, drawn - steps) + pool.remaining }
        return limits.steps.map { max(0, $0 - steps) }
    }

    /// Counts `count` steps at once (e.g. those a sweep's workers spent); no check.
    func add(steps count: Int) {
        let (total, overflow) = steps.addingReportingOverflow(count)
        steps = overflow ? Int.max : total
    }

    /// The slow path of `take`: checks the limits due now and sets the next checkpoint.
    private func check() -> String? {
        if let pool {
            if steps > drawn {
                let granted = pool.draw(Self.poolChunk)
                guard granted > 0 else { return "step limit exceeded: the sweep's workers together ran more than the \(counted(pool.total, "step")) left" }
                drawn += granted
            }
        } else if let limit = limits.steps, steps > limit {
            return "step limit exceeded: the script ran more than \(counted(limit, "step"))"
        }
        if let problem = memoryProblem() { return problem }
        rearm()
        return nil
    }

    private func rearm() {
        let stepCheck = pool != nil ? drawn &+ 1 : limits.steps.map { $0 < Int.max ? $0 + 1 : Int.max } ?? Int.max
        let memoryCheck = limits.memoryBytes == nil ? Int.max : steps &+ 4096
        checkpoint = min(stepCheck, memoryCheck)
        let limit = memoryPool?.limit ?? limits.memoryBytes ?? .max
        uncheckedWindow = min(Self.maxUncheckedWindow, max(limit / 16, 1))
        uncheckedRoom = uncheckedWindow
    }

    /// Counts a small allocation of `bytes` (`ResourceBudget.countUnchecked(bytes:)`): nil, or
    /// the window when the bytes counted since the last check reach the room it left (counting
    /// starts again, with the window as the room until the checks that follow say more).
    @inline(__always)
    func countUnchecked(bytes: Int) -> Int? {
        uncheckedBytes &+= bytes
        guard uncheckedBytes >= uncheckedRoom else { return nil }
        uncheckedBytes = 0
        uncheckedRoom = uncheckedWindow
        return uncheckedWindow
    }

    /// After a check of a small allocation, the machine's available memory
    /// (`ResourceBudget.leaveRoom(_:)`): the next check may wait for half of it to be allocated.
    func leaveRoom(_ available: Int) {
        uncheckedRoom = max(uncheckedWindow, available / 2)
    }

    /// The error message when the process has grown past the memory limit since the run began
    /// (in a sweep's worker: since the master run began).
    func memoryProblem() -> String? {
        if let memoryPool {
            return memoryPool.overrun(worker: ObjectIdentifier(self)).map {
                "memory limit exceeded: the script and its sweep's workers grew the process by \(amount($0)) (limit \(amount(memoryPool.limit)))"
            }
        }
        guard let limit = limits.memoryBytes else { return nil }
        let grown = ResidentMemory.bytes() - baseline
        return grown > limit
            ? "memory limit exceeded: the script grew the process by \(amount(grown)) (limit \(amount(limit)))"
            : nil
    }

    /// The error message when allocating `bytes` (nil: more than `Int.max`) more for `what`
    /// would break the memory limit: the resident growth since the run began plus `bytes` (in a
    /// sweep's worker, the shared ``MemoryPool``'s answer).
    /// The check is also one of the small allocations': their count starts again, and the next
    /// check may wait for what is left under the limit (at least the window).
    func memoryRefusal(bytes: Int?, for what: String) -> String? {
        uncheckedBytes = 0
        if let memoryPool {
            uncheckedRoom = uncheckedWindow
            return memoryPool.refusal(bytes: bytes, for: what, worker: ObjectIdentifier(self))
        }
        guard let limit = limits.memoryBytes else { return nil }
        let grown = max(0, ResidentMemory.bytes() - baseline)
        let needed = bytes.map(Double.init) ?? .infinity
        guard Double(grown) + needed > Double(limit) else {
            uncheckedRoom = min(uncheckedRoom, max(uncheckedWindow, limit - grown - (bytes ?? 0)))
            return nil
        }
        return "memory limit exceeded: \(what) needs \(amount(needed)) but the script may use \(amount(limit)) and has used \(amount(grown))"
    }

    /// Spends the steps of `operations` (nil: more than `Int.max`) of native work on `what`, or
    /// returns why they do not fit in the steps left (nothing is spent then): the work needs
    /// `⌊operations / 2²⁰⌋` steps. The fractions of a step carry over: `⌊(owed + operations) / 2²⁰⌋`
    /// steps are taken (at most those left) and the rest is owed to the next charge, so that
    /// many small passes (an optimizer's, every iteration) add up.
    func spend(operations: Int?, for what: @autoclosure () -> String) -> String? {
        // Without a step limit (the command line's default) only the count moves: the same
        // quotient and remainder, 2²⁰ being a power of two.
        if pool == nil, limits.steps == nil, let operations {
            let (total, overflow) = operations.addingReportingOverflow(owedOperations)
            if !overflow {
                owedOperations = total & (Self.operationsPerStep - 1)
                add(steps: total >> Self.operationsPerStep.trailingZeroBitCount)
                return nil
            }
        }
        let total = operations.flatMap { operations -> Int? in
            let (sum, overflow) = operations.addingReportingOverflow(owedOperations)
            return overflow ? nil : sum
        }
        let cost = operations.map { $0 / Self.operationsPerStep }
        let owed = total.map { $0 % Self.operationsPerStep } ?? 0
        let taken = total.map { $0 / Self.operationsPerStep } ?? cost
        guard let left = remainingSteps else {
            owedOperations = owed
            add(steps: taken ?? Int.max)
            return nil
        }
        guard let cost, cost <= left, let taken else {
            let needed = cost.map { counted($0, "step") } ?? "more than \(Int.max) steps"
            return "step limit exceeded: \(what()) needs \(needed) (one per \(Self.operationsPerStep) operations), more than the \(left) left"
        }
        owedOperations = owed
        let charged = min(taken, left)
        if let pool, charged > drawn - steps {
            drawn += pool.draw(charged - (drawn - steps))
        }
        add(steps: charged)
        return nil
    }

    /// Whether `spend(operations:for:)` would spend `operations` (nil: more than `Int.max`) now,
    /// spending nothing: `⌊operations / 2²⁰⌋` steps fit in those left.
    func affords(operations: Int?) -> Bool {
        guard let left = remainingSteps else { return true }
        guard let operations else { return false }
        return operations / Self.operationsPerStep <= left
    }

    /// A byte count as every memory message writes it (``AvailableMemory/format(_:)``).
    private func amount(_ bytes: some BinaryInteger) -> String { AvailableMemory.format(Double(bytes)) }
    private func amount(_ bytes: Double) -> String { AvailableMemory.format(bytes) }
}

/// The steps a parallel sweep's workers share: what the master run had left when the sweep
/// began. Workers draw from it in chunks; the master then counts what they drew as its own.
package final class StepPool: Sendable {
    /// The steps there were to share.
    package let total: Int
    private let left: Mutex<Int>

    package init(total: Int) {
        self.total = total
        left = Mutex(total)
    }

    /// Steps not yet drawn.
    package var remaining: Int { left.withLock { $0 } }
    /// Steps drawn so far.
    package var drawnTotal: Int { total - remaining }

    /// Takes up to `count` steps; returns how many were granted (0 when the pool is empty).
    func draw(_ count: Int) -> Int {
        left.withLock { left in
            let granted = min(max(count, 0), left)
            left -= granted
            return granted
        }
    }
}

/// The process's resident set size, in bytes (0 where it cannot be read).
enum ResidentMemory {
    static func bytes() -> Int {
        #if os(Linux)
        // /proc/self/statm: size resident shared … in pages.
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .ascii) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        var info = mach_task_basic_info()
        var count = mach_msg_type_number_t(MemoryLayout<mach_task_basic_info>.size / MemoryLayout<natural_t>.size)
        let status = withUnsafeMutablePointer(to: &info) { pointer in
            pointer.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
                task_info(mach_task_self_, task_flavor_t(MACH_TASK_BASIC_INFO), $0, &count)
            }
        }
        return status == KERN_SUCCESS ? Int(info.resident_size) : 0
        #endif
    }
}
