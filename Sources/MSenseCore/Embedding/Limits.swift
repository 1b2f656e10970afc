import Foundation

/// What one run of a script may consume, for hosts that run scripts they did not write.
/// Set ``Interpreter/limits`` before running; a run that goes over stops with an error naming
/// the limit (a ``ScriptFailure`` like any other), and the interpreter stays usable.
public struct Limits: Sendable, Equatable {
    /// Evaluation steps per run: every loop iteration, every call of a function or builtin, and
    /// every iteration of an optimizer (`gd`, `glrl`, …) counts one. nil: no limit.
    public var steps: Int?
    /// Bytes of memory the run may add to the process: checked before a builtin allocates a
    /// large matrix or ensemble (the request is refused if it would not fit), and against the
    /// process's resident size every 4096 steps and at every optimizer iteration's check.
    /// nil: no limit.
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
/// run. Lives in the runtime; touched on the interpreter's thread only.
final class LimitMeter: @unchecked Sendable {
    // Safety: used only on the thread running the script.
    var limits = Limits.none {
        didSet { rearm() }
    }
    private(set) var steps = 0
    private var baseline = 0
    /// The step count at which something must be looked at next (the step limit, the next
    /// memory check); `Int.max` without limits, so the hot path is one add and one compare.
    private var checkpoint = Int.max

    /// Starts counting a new run.
    func begin() {
        steps = 0
        baseline = limits.memoryBytes == nil ? 0 : ResidentMemory.bytes()
        rearm()
    }

    /// Counts one step; returns the error message once a limit is exceeded.
    @inline(__always)
    func take() -> String? {
        steps &+= 1
        return steps < checkpoint ? nil : check()
    }

    /// The slow path of `take`: checks the limits due now and sets the next checkpoint.
    private func check() -> String? {
        if let limit = limits.steps, steps > limit {
            return "step limit exceeded: the script ran more than \(limit) steps"
        }
        if let problem = memoryProblem() { return problem }
        rearm()
        return nil
    }

    private func rearm() {
        let stepCheck = limits.steps.map { $0 < Int.max ? $0 + 1 : Int.max } ?? Int.max
        let memoryCheck = limits.memoryBytes == nil ? Int.max : steps &+ 4096
        checkpoint = min(stepCheck, memoryCheck)
    }

    /// The error message when the process has grown past the memory limit since the run began.
    func memoryProblem() -> String? {
        guard let limit = limits.memoryBytes else { return nil }
        let grown = ResidentMemory.bytes() - baseline
        return grown > limit
            ? "memory limit exceeded: the script grew the process by \(megabytes(grown)) (limit \(megabytes(limit)))"
            : nil
    }

    /// The error message when allocating `bytes` more for `what` would break the memory limit.
    func refusal(bytes: Double, for what: String) -> String? {
        guard let limit = limits.memoryBytes else { return nil }
        let grown = max(0, ResidentMemory.bytes() - baseline)
        guard Double(grown) + bytes > Double(limit) else { return nil }
        return "memory limit exceeded: \(what) needs \(megabytes(bytes)) but the script may use \(megabytes(limit)) and has used \(megabytes(grown))"
    }

    private func megabytes(_ bytes: some BinaryInteger) -> String { megabytes(Double(bytes)) }
    private func megabytes(_ bytes: Double) -> String { String(format: "%.1f MB", bytes / 1e6) }
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
