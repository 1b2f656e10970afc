// bandwidth-probe: the machine's read bandwidth, STREAM-style, the way the dense kernels read.
//
//     .build/release/BandwidthProbe [MB] [REPEATS]
//
// Sums a buffer of MB megabytes of doubles (default 800, far beyond any cache) with CKernels'
// dispatched read loop, split into the same fixed chunks the row kernels use
// (`DenseRowProducts.chunkCount`) and run through `DispatchQueue.concurrentPerform` on the same
// threads (one per core); prints the best of REPEATS (default 7) as `read_gbps`, with the thread
// count and the kernel level. bench/run.sh divides each kernel's bytes per second by this figure.
import CKernels
import Dispatch
import Foundation
import Tensor

func positiveArgument(_ k: Int, default value: Int) -> Int {
    let arguments = CommandLine.arguments
    guard k < arguments.count else { return value }
    guard let given = Int(arguments[k]), given > 0 else {
        FileHandle.standardError.write(Data("usage: BandwidthProbe [MB] [REPEATS] (positive integers)\n".utf8))
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

    func run() {
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            sums[c] = msk_read_sum(data + lo, hi - lo)
        }
    }
}

let megabytes = positiveArgument(1, default: 800)
let repeats = positiveArgument(2, default: 7)
let count = megabytes * 1_000_000 / 8
let data = UnsafeMutablePointer<Double>.allocate(capacity: count)
let sums = UnsafeMutablePointer<Double>.allocate(capacity: DenseRowProducts.chunkCount)
// Written first, so every page is mapped before the clock starts.
data.initialize(repeating: 1, count: count)
let probe = Probe(data: data, count: count, sums: sums)
probe.run()
var best = Double.infinity
for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    probe.run()
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
let total = (0..<probe.chunks).reduce(0.0) { $0 + sums[$1] }
guard total == Double(count) else {
    FileHandle.standardError.write(Data("BandwidthProbe: the sum is \(total), not \(count): the read loop is wrong\n".utf8))
    exit(1)
}
print("read_gbps \(Double(count * 8) / best / 1e9)")
print("threads \(ProcessInfo.processInfo.activeProcessorCount)")
print("level \(KernelLevel.active)")
print("bytes \(count * 8)")
