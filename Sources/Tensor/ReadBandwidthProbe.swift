import CKernels
import Dispatch

/// A STREAM-style read of a buffer of doubles far larger than any cache, the way the dense row
/// kernels read: CKernels' dispatched read loops over ``DenseRowProducts/chunkCount`` fixed
/// chunks, through `DispatchQueue.concurrentPerform` (one thread per core). Two patterns:
/// one stream per chunk (`msk_read_sum`) and four streams in lockstep (`msk_read_sum4`, the row
/// kernels' four-row sweeps). The faster of the two is the bound the benches divide a kernel's
/// bytes per second by (`BandwidthProbe`, `KernelBench`). The caller owns the instance and calls
/// ``deallocate()`` when done.
package struct ReadBandwidthProbe: @unchecked Sendable {
    /// A read pattern: its name and its loop (`Σ a[k]` over a chunk).
    package struct Pattern: Sendable {
        package let name: String
        let read: @convention(c) (UnsafePointer<Double>?, Int) -> Double
    }

    /// One stream per chunk, then four streams in lockstep.
    package static let patterns = [Pattern(name: "one_stream", read: msk_read_sum), Pattern(name: "four_streams", read: msk_read_sum4)]

    let data: UnsafeMutablePointer<Double>
    let sums: UnsafeMutablePointer<Double>
    /// Doubles in the buffer.
    package let count: Int
    let chunks = DenseRowProducts.chunkCount

    /// Bytes one read of the buffer reads.
    package var bytes: Int { count * 8 }

    /// A buffer of `count` ones, written first so every page is mapped before any timing.
    package init(count: Int) {
        self.count = count
        data = UnsafeMutablePointer<Double>.allocate(capacity: count)
        data.initialize(repeating: 1, count: count)
        sums = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
        sums.initialize(repeating: 0, count: chunks)
    }

    package func deallocate() {
        data.deallocate()
        sums.deallocate()
    }

    /// One read of the whole buffer in `pattern`; returns `Σ a[k]`, which is ``count`` when the
    /// loop read every element once (they are all 1), summed over the chunks in chunk order.
    @discardableResult
    package func read(_ pattern: Pattern) -> Double {
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = self.count * c / self.chunks, hi = self.count * (c + 1) / self.chunks
            self.sums[c] = pattern.read(self.data + lo, hi - lo)
        }
        return (0..<chunks).reduce(0.0) { $0 + sums[$1] }
    }

    /// The wall-clock seconds of one read in `pattern`.
    package func seconds(_ pattern: Pattern) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        read(pattern)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
