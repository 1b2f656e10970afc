import Foundation

/// How much memory this process can still allocate, and the check made before a large allocation.
///
/// The available bytes are the smaller of
/// - what the system reports as available (`MemAvailable` in `/proc/meminfo`, or the physical
///   memory where that file does not exist), and
/// - what is left of the process's address-space limit (`RLIMIT_AS`, what `ulimit -v` sets): the
///   soft limit minus the virtual size already mapped (`/proc/self/statm`), when a limit is set.
///
/// Allocating more than either fails inside the allocator and aborts the process, so requests
/// that do not fit are refused with an error stating the bytes needed instead. Requests of at
/// most ``uncheckedBytes`` are not checked one by one (reading `/proc` would cost more than they
/// do): the thread's `RunBudget` counts them, and the one that brings the count to the room the
/// last check left (at least the budget's window, itself at most 64 MiB, `LimitMeter`; the room
/// may be as much as half the machine's available memory) is checked, with the window as the
/// room the machine must have.
package enum AvailableMemory {
    /// Allocations up to 4 MiB are made without a check of their own.
    package static let uncheckedBytes = 1 << 22

    /// Bytes the process can still allocate: `min(MemAvailable, RLIMIT_AS − mapped)`.
    package static var bytes: UInt64 {
        min(systemBytes, addressSpaceLeft ?? .max)
    }

    /// `MemAvailable` from `/proc/meminfo`, or the physical memory where it cannot be read.
    package static var systemBytes: UInt64 {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                let fields = line.split(separator: " ")
                if fields.count >= 2, let kib = UInt64(fields[1]) { return kib.multipliedReportingOverflow(by: 1024).partialValue }
            }
        }
        return ProcessInfo.processInfo.physicalMemory
    }

    /// The soft `RLIMIT_AS` minus the virtual size already mapped, or `nil` without a limit.
    package static var addressSpaceLeft: UInt64? {
        var limit = rlimit()
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_AS.rawValue)
        #else
        let resource = RLIMIT_AS
        #endif
        // RLIM_INFINITY is all ones (Linux) or 2⁶³ − 1 (macOS): both at least Int.max.
        guard getrlimit(resource, &limit) == 0, UInt64(limit.rlim_cur) < UInt64(Int.max) else { return nil }
        let cap = UInt64(limit.rlim_cur)
        return cap > mappedBytes ? cap - mappedBytes : 0
    }

    /// The process's virtual size (first field of `/proc/self/statm`, in pages); 0 where unknown.
    static var mappedBytes: UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .ascii),
              let first = text.split(separator: " ").first, let pages = UInt64(first) else { return 0 }
        return pages.multipliedReportingOverflow(by: UInt64(max(sysconf(Int32(_SC_PAGESIZE)), 1))).partialValue
    }

    /// Why allocating `needed` bytes (nil: more than `Int.max`) for `what` cannot succeed, or nil
    /// if it fits (or is a small request that is only counted). `available` defaults to ``bytes``.
    /// `what` is worded only when the request is checked.
    ///
    /// The message: "`what` needs 16.9 GB, but only 7.5 GB of memory is available".
    ///
    /// A request that fits the process is then put to the thread's `RunBudget` (the host's
    /// memory limit for the run), whose refusal is returned as it words it. A request of at most
    /// ``uncheckedBytes`` is only counted by the budget, unless it completes the budget's window
    /// (``windowRefusal(bytes:window:for:available:budget:)``).
    package static func refusal(bytes needed: Int?, for what: @autoclosure () -> String, available: UInt64? = nil) -> String? {
        if let needed, needed >= 0, needed <= uncheckedBytes {
            guard let budget = RunBudget.current, let window = budget.countUnchecked(bytes: needed) else { return nil }
            return windowRefusal(bytes: needed, window: window, for: what(), available: available, budget: budget)
        }
        if let problem = machineRefusal(bytes: needed, for: what(), available: available) { return problem }
        return RunBudget.current?.memoryRefusal(bytes: needed, for: what())
    }

    /// The check of a small request (`needed` ≤ ``uncheckedBytes``) that completed `budget`'s
    /// window of `window` bytes of small allocations: the machine must have room for the next
    /// window (the allocations made before the next such check), and the budget's limit for the
    /// request itself (the resident size already holds the earlier ones).
    private static func windowRefusal(bytes needed: Int, window: Int, for what: String, available: UInt64?,
                                      budget: any ResourceBudget) -> String? {
        let have = available ?? bytes
        if UInt64(max(window, needed)) > have {
            return "\(what) needs \(format(Double(needed))); with the small allocations checked together with it the process may grow by "
                + "\(format(Double(window))) before the next check, but only \(format(Double(have))) of memory is available"
        }
        budget.leaveRoom(Int(min(have, UInt64(Int.max))))
        return budget.memoryRefusal(bytes: needed, for: what)
    }

    /// The machine's part of ``refusal(bytes:for:available:)``: why `needed` bytes do not fit the
    /// memory the process can still get, or nil (the host's limit is not consulted).
    package static func machineRefusal(bytes needed: Int?, for what: @autoclosure () -> String, available: UInt64? = nil) -> String? {
        if let needed, needed >= 0, needed <= uncheckedBytes { return nil }
        let have = available ?? bytes
        guard let needed, needed >= 0, UInt64(needed) <= have else {
            return "\(what()) needs \(format(needed.map(Double.init) ?? .infinity)), but only \(format(Double(have))) "
                + "of memory is available"
        }
        return nil
    }

    /// Throws ``TensorError/insufficientMemory(_:)`` unless the working memory of a LAPACK
    /// routine fits: `doubles` float64 values (copies, results, and the column-major copies
    /// LAPACKE makes of row-major arrays), each term of the sum checked for overflow by the
    /// caller through ``doubles(_:)``. `what` names the operation, e.g. "svd of a 9000×9000 matrix".
    ///
    /// `operations` is the routine's cost, charged to the thread's `RunBudget` before it starts
    /// (e.g. `n³` for an eigendecomposition), so a run that cannot afford it is refused up front.
    package static func requireWorkspace(doubles: Int?, operations: Int?, for what: String) throws(TensorError) {
        let bytes = doubles.flatMap { d -> Int? in
            let (b, overflow) = d.multipliedReportingOverflow(by: MemoryLayout<Double>.stride)
            return overflow ? nil : b
        }
        if let problem = refusal(bytes: bytes, for: what) { throw .insufficientMemory(problem) }
        try RunBudget.charge(operations, for: what)
    }

    /// `Σ factors[i].0 · factors[i].1`, or nil when it overflows `Int`.
    package static func doubles(_ terms: (Int, Int)...) -> Int? {
        var total = 0
        for (a, b) in terms {
            let (product, o1) = a.multipliedReportingOverflow(by: b)
            let (sum, o2) = total.addingReportingOverflow(product)
            if o1 || o2 { return nil }
            total = sum
        }
        return total
    }

    /// `6.4 GB`, `512.0 MB`, `12 bytes`: decimal units, one decimal.
    package static func format(_ bytes: Double) -> String {
        if !bytes.isFinite { return "more than \(Int.max) bytes" }
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (scale, name) in units where bytes >= scale {
            return String(format: "%.1f %@", bytes / scale, name)
        }
        return "\(Int(bytes)) bytes"
    }
}
