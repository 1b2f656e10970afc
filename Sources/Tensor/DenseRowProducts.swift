import CKernels
import Dispatch

/// The two products of a dense measurement stack, on all cores with results that do not depend
/// on the number of cores: for the `m×p` row-major weights `W` (row `i` is `vec(Aᵢ)`),
///
///     apply    out = W x                 (outᵢ = wᵢ·x, each row's dot product in one piece)
///     adjoint  out = scale · Σᵢ cᵢ wᵢ    (Wᵀc)
///
/// Rows are split into ``chunkCount`` fixed chunks; the adjoint's chunks each sum into their own
/// partial, and the partials are added in chunk order. The loops are CKernels' dispatched row
/// kernels (`KernelLevel`): the same bits on every machine, level and thread count. Problems
/// below ``parallelThreshold`` stored weights run the same chunks on the calling thread.
public enum DenseRowProducts {
    /// Number of row chunks (fixed, independent of the cores).
    public static let chunkCount = 16
    /// Below this many weights (2 MB of doubles) the chunks run on the calling thread.
    public static let parallelThreshold = 1 << 18

    /// `out = W x` for `m` rows of `p` weights.
    public static func apply(
        _ weights: UnsafePointer<Double>, m: Int, p: Int, _ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>
    ) {
        let shared = Shared(weights: weights, x: x, out: out, partials: nil, m: m, p: p, chunks: min(chunkCount, max(m, 1)))
        run(shared) { c in
            let (lo, hi) = shared.bounds(c)
            if hi > lo { msk_dots_f64(shared.weights + lo * shared.p, hi - lo, shared.p, shared.x, shared.out + lo) }
        }
    }

    /// `out = scale · Σᵢ cᵢ wᵢ` (`p` values) for the `m` coefficients `c`.
    public static func adjoint(
        _ weights: UnsafePointer<Double>, m: Int, p: Int, coefficients c: UnsafePointer<Double>, scale: Double,
        into out: UnsafeMutablePointer<Double>
    ) {
        let chunks = min(chunkCount, max(m, 1))
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(chunks * p, 1)) { buffer in
            guard let partials = buffer.baseAddress else { return }
            let shared = Shared(weights: weights, x: c, out: out, partials: partials, m: m, p: p, chunks: chunks)
            run(shared) { c in
                let (lo, hi) = shared.bounds(c)
                guard let partials = shared.partials else { return }
                let partial = partials + c * shared.p
                partial.initialize(repeating: 0, count: shared.p)
                msk_accumulate_f64(shared.weights + lo * shared.p, hi - lo, shared.p, shared.x + lo, partial)
            }
            addPartials(partials, chunks: chunks, p: p, scale: scale, into: out)
        }
    }

    private static func run(_ shared: Shared, _ chunk: @Sendable (Int) -> Void) {
        forEachChunk(shared.chunks, weights: shared.m * shared.p, chunk)
    }

    /// Runs `chunk(c)` for `c` in `0..<chunks`: on the calling thread for a pass over fewer than
    /// ``parallelThreshold`` weights (it fits in cache: threads would cost more than they save),
    /// else on every core. Each chunk writes only its own part, so the bits are the same either
    /// way. Every row pass over a dense stack (these products, the weighted pass, the fused and
    /// residual passes of the packed symmetric runs) splits its work through this.
    public static func forEachChunk(_ chunks: Int, weights: Int, _ chunk: @Sendable (Int) -> Void) {
        if weights < parallelThreshold {
            for c in 0..<chunks { chunk(c) }
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: chunk)
        }
    }

    /// `out = scale · Σ_c partial_c` (`p` values) for the `chunks` partials stored one after
    /// another, added in chunk order: `out[k] = (((0 + partial₀[k]) + partial₁[k]) + …) · scale`.
    /// Eight `k` at a time in SIMD lanes, each lane its own `k` with that order of additions.
    public static func addPartials(
        _ partials: UnsafePointer<Double>, chunks: Int, p: Int, scale: Double, into out: UnsafeMutablePointer<Double>
    ) {
        let rowBytes = p * MemoryLayout<Double>.stride
        var k = 0
        while k + 8 <= p {
            var (low, high) = (SIMD4<Double>(repeating: 0), SIMD4<Double>(repeating: 0))
            var partial = UnsafeRawPointer(partials + k)
            for _ in 0..<chunks {
                low += partial.loadUnaligned(as: SIMD4<Double>.self)
                high += partial.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
                partial += rowBytes
            }
            let target = UnsafeMutableRawPointer(out + k)
            target.storeBytes(of: low * scale, as: SIMD4<Double>.self)
            target.storeBytes(of: high * scale, toByteOffset: 32, as: SIMD4<Double>.self)
            k += 8
        }
        while k < p {
            var sum = 0.0
            for c in 0..<chunks { sum += partials[c * p + k] }
            out[k] = sum * scale
            k += 1
        }
    }

    /// The raw buffers shared with the chunks (each writes disjoint parts).
    private struct Shared: @unchecked Sendable {
        let weights: UnsafePointer<Double>
        let x: UnsafePointer<Double>
        let out: UnsafeMutablePointer<Double>
        let partials: UnsafeMutablePointer<Double>?
        let m: Int
        let p: Int
        let chunks: Int

        /// Rows `lo ..< hi` of chunk `c`.
        func bounds(_ c: Int) -> (Int, Int) { (m * c / chunks, m * (c + 1) / chunks) }
    }
}
