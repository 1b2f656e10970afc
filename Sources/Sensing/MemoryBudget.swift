import Foundation

/// The check made before allocating dense measurement storage.
///
/// The bytes needed are `count × 8` (float64). They are compared with the memory the system
/// reports as available (`MemAvailable` in `/proc/meminfo`, or the physical memory where that
/// file does not exist); a request that does not fit is refused with an error stating both.
enum MemoryBudget {
    /// Bytes the system can still give us.
    static var availableBytes: UInt64 {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                let fields = line.split(separator: " ")
                if fields.count >= 2, let kib = UInt64(fields[1]) { return kib * 1024 }
            }
        }
        return ProcessInfo.processInfo.physicalMemory
    }

    /// Throws ``SensingError/insufficientMemory(_:)`` unless `count` float64 values fit.
    ///
    /// - Parameters:
    ///   - count: number of doubles, already checked for overflow by the caller (or `nil` when
    ///     the product overflowed `Int`).
    ///   - formula: how `count` was computed, e.g. `m·d(d+1)/2`, quoted in the message.
    ///   - what: the object being stored, e.g. "the symmetric Gaussian ensemble with m = 5000, d = 100".
    static func require(
        doubles count: Int?, formula: String, for what: String, available: UInt64 = availableBytes
    ) throws(SensingError) {
        let needed: Double = count.map { Double($0) * 8 } ?? .infinity
        if let count, count >= 0, UInt64(count) <= available / 8 { return }
        throw .insufficientMemory(
            "\(what) needs \(formatBytes(needed)) for \(formula) float64 values, but only "
                + "\(formatBytes(Double(available))) of memory is available; use a matrix-free "
                + "ensemble (rank-one, completion, full observation) or a smaller m")
    }

    /// `6.4 GB`, `512.0 MB`, `12 bytes`: decimal units, one decimal.
    static func formatBytes(_ bytes: Double) -> String {
        if !bytes.isFinite { return "more than \(Int.max) bytes" }
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (scale, name) in units where bytes >= scale {
            return String(format: "%.1f %@", bytes / scale, name)
        }
        return "\(Int(bytes)) bytes"
    }
}
