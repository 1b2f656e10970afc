import Synchronization
import Tensor

/// The memory limit a parallel sweep's workers share with the run that started them.
///
/// The resident size is the whole process's, so each worker measures the growth since the
/// master run began (not since its own run began, which would let every worker, and each one
/// replaying the script, grow the process by the whole limit again) and adds the requests the
/// other workers were granted but may not have touched yet (a grant is settled at the worker's
/// next check, when its allocation is resident or gone). Together they stay within the limit:
/// growth + others' grants + the request ≤ `Limits.memoryBytes`.
package final class MemoryPool: Sendable {
    /// The process's resident size when the master run began.
    let baseline: Int
    /// The master run's `Limits.memoryBytes`.
    let limit: Int
    private let grants: Mutex<[ObjectIdentifier: Int]>

    init(baseline: Int, limit: Int) {
        self.baseline = baseline
        self.limit = limit
        grants = Mutex([:])
    }

    /// Bytes the process has grown by since the master run began.
    var grown: Int { max(0, ResidentMemory.bytes() - baseline) }

    /// Why `bytes` (nil: more than `Int.max`) more for `what` do not fit the shared limit, or nil,
    /// in which case they are granted to `worker` until its next check. Settles the worker's
    /// earlier grant first (its allocation was made before it asked again).
    func refusal(bytes: Int?, for what: String, worker: ObjectIdentifier) -> String? {
        grants.withLock { grants in
            grants[worker] = nil
            let used = grown + grants.values.reduce(0, +)
            let needed = bytes.map(Double.init) ?? .infinity
            guard Double(used) + needed <= Double(limit) else {
                return "memory limit exceeded: \(what) needs \(AvailableMemory.format(needed)) but the script may use "
                    + "\(AvailableMemory.format(Double(limit))), shared by the sweep's workers, and they have used \(AvailableMemory.format(Double(used)))"
            }
            grants[worker] = bytes
            return nil
        }
    }

    /// Settles `worker`'s grant (at its periodic check) and returns the growth that breaks the
    /// limit, or nil.
    func overrun(worker: ObjectIdentifier) -> Int? {
        settle(worker: worker)
        let grown = self.grown
        return grown > limit ? grown : nil
    }

    /// Forgets what `worker` was granted: its allocation is resident or freed by now (its run ended).
    func settle(worker: ObjectIdentifier) {
        grants.withLock { _ = $0.removeValue(forKey: worker) }
    }
}
