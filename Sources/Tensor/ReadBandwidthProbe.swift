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

    /// The data movement of a one-read pass over `m` rows of `p` doubles at `rows`
    /// (`msk_read_rows_twice`: each group of four rows read from memory, then again from cache
    /// while the next group streams), over the same fixed chunks on every core; returns the sum of
    /// every element counted twice, the chunks' sums added in chunk order. A fused
    /// residual-and-adjoint pass over rows longer than L1 moves at least this much: its bytes (one
    /// read of the rows) over this time bound the pass's share of the probe.
    @discardableResult
    package static func readRowsTwice(_ rows: UnsafePointer<Double>, m: Int, p: Int) -> Double {
        let chunks = min(DenseRowProducts.chunkCount, max(m, 1))
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: chunks) { buffer in
            guard let sums = buffer.baseAddress else { return 0 }
            sums.initialize(repeating: 0, count: chunks)
            let shared = RowsTwice(rows: rows, sums: sums, m: m, p: p, chunks: chunks)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in shared.chunk(c) }
            return (0..<chunks).reduce(0.0) { $0 + sums[$1] }
        }
    }

    /// The chunks of ``readRowsTwice(_:m:p:)``: chunk `c` takes rows `m·c/chunks ..< m·(c+1)/chunks`.
    private struct RowsTwice: @unchecked Sendable {
        let rows: UnsafePointer<Double>
        let sums: UnsafeMutablePointer<Double>
        let m: Int
        let p: Int
        let chunks: Int

        func chunk(_ c: Int) {
            let lo = m * c / chunks, hi = m * (c + 1) / chunks
            sums[c] = msk_read_rows_twice(rows + lo * p, hi - lo, p)
        }
    }

    /// The wall-clock seconds of one read in `pattern`.
    package func seconds(_ pattern: Pattern) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        read(pattern)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
