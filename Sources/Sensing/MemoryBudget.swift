import Tensor

/// The check made before allocating dense measurement storage, completion index pairs, or a
/// run's trace.
///
/// The bytes needed (`count × 8` for float64 values) are compared with the memory the process can
/// still get (`AvailableMemory`: `MemAvailable` in `/proc/meminfo`, or the physical memory where
/// that file does not exist, and what is left of the address-space limit `RLIMIT_AS` set by
/// `ulimit -v`); a request that does not fit is refused with an error stating both.
enum MemoryBudget {
    /// Bytes the process can still get (`AvailableMemory.bytes`).
    static var availableBytes: UInt64 { AvailableMemory.bytes }

    /// Throws ``SensingError/insufficientMemory(_:)`` unless `count` float64 values fit. Without
    /// `available`, a request of at most `AvailableMemory.uncheckedBytes` is not looked at:
    /// reading the memory the process can get means parsing `/proc/meminfo`, which would cost
    /// more than a small model's whole step.
    ///
    /// - Parameters:
    ///   - count: number of doubles, already checked for overflow by the caller (or `nil` when
    ///     the product overflowed `Int`).
    ///   - formula: how `count` was computed, e.g. `m·d(d+1)/2`, quoted in the message.
    ///   - what: the object being stored, e.g. "the symmetric Gaussian ensemble with m = 5000, d = 100".
    ///   - advice: what the user can do instead, appended after a semicolon.
    static func require(
        doubles count: Int?, formula: String, for what: String, available: UInt64? = nil,
        advice: String = "use a matrix-free ensemble (rank-one, completion, full observation) or a smaller m"
    ) throws(SensingError) {
        let needed: Double = count.map { Double($0) * 8 } ?? .infinity
        if available == nil, let count, count >= 0, count <= AvailableMemory.uncheckedBytes / 8 { return }
        let available = available ?? availableBytes
        if let count, count >= 0, UInt64(count) <= available / 8 { return }
        throw .insufficientMemory(
            "\(what) needs \(formatBytes(needed)) for \(formula) float64 values, but only "
                + "\(formatBytes(Double(available))) of memory is available; \(advice)")
    }

    /// Throws ``SensingError/insufficientMemory(_:)`` unless `bytes` (nil: more than `Int.max`)
    /// fit, with the message "`what` needs …, but only … of memory is available; `advice`".
    static func require(
        bytes: Int?, for what: String, available: UInt64? = nil, advice: String
    ) throws(SensingError) {
        if let problem = AvailableMemory.refusal(bytes: bytes, for: what, available: available) {
            throw .insufficientMemory(problem + "; " + advice)
        }
    }

    /// `6.4 GB`, `512.0 MB`, `12 bytes`: decimal units, one decimal.
    static func formatBytes(_ bytes: Double) -> String { AvailableMemory.format(bytes) }
}
