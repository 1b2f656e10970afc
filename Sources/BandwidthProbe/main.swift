// bandwidth-probe: the machine's read bandwidth, STREAM-style, the way the dense kernels read.
//
//     .build/release/BandwidthProbe [MB] [REPEATS]
//
// Sums a buffer of MB megabytes (10⁶ bytes; a decimal number, e.g. 25.92 for the exact size of a
// stack that may stay in the last-level cache; default 800, far beyond any cache) of doubles with
// CKernels' dispatched read loops, split into the same fixed chunks the row kernels use
// (`DenseRowProducts.chunkCount`) and run through `DispatchQueue.concurrentPerform` on the same
// threads (one per core): `ReadBandwidthProbe`. Two read patterns are timed, alternately, best of
// REPEATS (default 15) each: one stream per chunk (`msk_read_sum`) and four streams in lockstep
// (`msk_read_sum4`, the row kernels' four-row sweeps). The faster is the bound, `read_gbps` (a
// kernel that read faster than every pattern the probe tries would show the probe is not a
// bound); each pattern's own figure is printed too, with the thread count and the kernel level.
// `KernelBench` times the same probe interleaved with the kernels themselves.
import Foundation
import Tensor

/// Argument `k` as a number in `range` (and a whole one when `whole`), or the usage and exit 2.
func argument(_ k: Int, default value: Double, in range: ClosedRange<Double>, whole: Bool) -> Double {
    let arguments = CommandLine.arguments
    guard k < arguments.count else { return value }
    guard let given = Double(arguments[k]), range.contains(given), !whole || given == given.rounded() else {
        FileHandle.standardError.write(Data("usage: BandwidthProbe [MB] [REPEATS] (MB from 0.001 to 100000, REPEATS a whole number from 1 to 10000)\n".utf8))
        exit(2)
    }
    return given
}

let megabytes = argument(1, default: 800, in: 0.001...100_000, whole: false)
let repeats = Int(argument(2, default: 15, in: 1...10_000, whole: true))
let probe = ReadBandwidthProbe(count: max(1, Int(megabytes * 1_000_000 / 8)))
let patterns = ReadBandwidthProbe.patterns
for pattern in patterns {
    let total = probe.read(pattern)
    guard total == Double(probe.count) else {
        FileHandle.standardError.write(Data("BandwidthProbe: the \(pattern.name) sum is \(total), not \(probe.count): the read loop is wrong\n".utf8))
        exit(1)
    }
}
var best = [Double](repeating: .infinity, count: patterns.count)
for _ in 0..<repeats {
    for (k, pattern) in patterns.enumerated() { best[k] = min(best[k], probe.seconds(pattern)) }
}
let gbps = best.map { Double(probe.bytes) / $0 / 1e9 }
print("read_gbps \(gbps.max() ?? 0)")
for (k, pattern) in patterns.enumerated() { print("\(pattern.name)_gbps \(gbps[k])") }
print("threads \(ProcessInfo.processInfo.activeProcessorCount)")
print("level \(KernelLevel.active)")
print("bytes \(probe.bytes)")
probe.deallocate()
