// bandwidth-probe: the machine's read bandwidth, STREAM-style, the way the dense kernels read.
//
//     .build/release/BandwidthProbe [MB] [REPEATS]
//
// Sums a buffer of MB megabytes (10⁶ bytes; a decimal number, e.g. 25.92 for the exact size of a
// stack that may stay in the last-level cache) of doubles (default 800, far beyond any cache) with
// CKernels'
// dispatched read loops, split into the same fixed chunks the row kernels use
// (`DenseRowProducts.chunkCount`) and run through `DispatchQueue.concurrentPerform` on the same
// threads (one per core). Two read patterns are timed, alternately, best of REPEATS (default 7)
// each: one stream per chunk (`msk_read_sum`) and four streams in lockstep (`msk_read_sum4`, the
// row kernels' four-row sweeps). The faster is the bound, `read_gbps` (a kernel that read faster
// than every pattern the probe tries would show the probe is not a bound); each pattern's own
// figure is printed too, with the thread count and the kernel level. bench/run.sh divides each
// kernel's bytes per second by `read_gbps`.
import CKernels
import Dispatch
import Foundation
import Tensor

func positiveArgument(_ k: Int, default value: Double) -> Double {
    let arguments = CommandLine.arguments
    guard k < arguments.count else { return value }
    guard let given = Double(arguments[k]), given.isFinite, given > 0, given < 1e9 else {
        FileHandle.standardError.write(Data("usage: BandwidthProbe [MB] [REPEATS] (positive numbers, REPEATS a whole one)\n".utf8))
        exit(2)
    }
    return given
}

/// The buffer and the chunks' partial sums, shared with the worker threads.
struct Probe: @unchecked Sendable {
    let data: UnsafeMutablePointer<Double>
    let count: Int
    let sums: UnsafeMutablePointer<Double>
    let chunks = DenseRowProducts.chunkCount

    /// One pass over the buffer, each chunk read by `read` on the worker threads.
    func run(_ read: @convention(c) (UnsafePointer<Double>?, Int) -> Double) {
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            sums[c] = read(data + lo, hi - lo)
        }
    }

    /// Σ of the chunks' sums: `count` when the pass read every element (they are all 1).
    var total: Double { (0..<chunks).reduce(0.0) { $0 + sums[$1] } }
}

let megabytes = positiveArgument(1, default: 800)
let repeats = max(1, Int(positiveArgument(2, default: 15)))
let count = max(1, Int(megabytes * 1_000_000 / 8))
let data = UnsafeMutablePointer<Double>.allocate(capacity: count)
let sums = UnsafeMutablePointer<Double>.allocate(capacity: DenseRowProducts.chunkCount)
// Written first, so every page is mapped before the clock starts.
data.initialize(repeating: 1, count: count)
let probe = Probe(data: data, count: count, sums: sums)
let patterns: [(name: String, read: @convention(c) (UnsafePointer<Double>?, Int) -> Double)] = [
    ("one_stream", msk_read_sum), ("four_streams", msk_read_sum4),
]
var best = [Double](repeating: .infinity, count: patterns.count)
for pattern in patterns {
    probe.run(pattern.read)
    guard probe.total == Double(count) else {
        FileHandle.standardError.write(Data("BandwidthProbe: the \(pattern.name) sum is \(probe.total), not \(count): the read loop is wrong\n".utf8))
        exit(1)
    }
}
for _ in 0..<repeats {
    for (k, pattern) in patterns.enumerated() {
        let start = DispatchTime.now().uptimeNanoseconds
        probe.run(pattern.read)
        best[k] = min(best[k], Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
let gbps = best.map { Double(count * 8) / $0 / 1e9 }
print("read_gbps \(gbps.max() ?? 0)")
for (k, pattern) in patterns.enumerated() { print("\(pattern.name)_gbps \(gbps[k])") }
print("threads \(ProcessInfo.processInfo.activeProcessorCount)")
print("level \(KernelLevel.active)")
print("bytes \(count * 8)")
