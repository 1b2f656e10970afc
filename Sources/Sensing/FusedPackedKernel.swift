import CBLAS
import CKernels
import Tensor

/// One pass over the packed measurement rows computing residuals and the adjoint together.
///
/// For rows `wᵢ ∈ ℝᵖ` (`m×p`, row-major), the packed Gram `g = pack(UUᵀ)` and targets `y`:
///
///     rᵢ = wᵢ · g − yᵢ          (residual i)
///     s  = Σᵢ rᵢ wᵢ              (packed adjoint, before unpacking and the 1/m)
///
/// Each row is read from memory once and used for both: CKernels' `msk_fused_block_f64`/`_f32`
/// takes four rows at a time, their four dot products in one sweep, then their accumulation
/// while the four rows are still in the core's L2 cache — halving the memory traffic of two
/// matrix-vector products; the step is memory-bound, so this is the speed-up (the CPU's widest
/// vectors, the same bits on every level; `KernelLevel`). Rows are split into ``chunkCount``
/// fixed chunks (independent of the number of cores), one call each; chunk `c` accumulates its
/// own partial `s_c` and the partials are added in chunk order, so the result is bit-identical
/// on every machine and for every thread count. `Σ rᵢ²` is accumulated per chunk and added in
/// the same order.
enum FusedPackedKernel {
    /// Number of row chunks; each runs on whichever core is free.
    static let chunkCount = 16

    /// Runs `chunk(c)` for `c` in `0..<chunks`, each writing its own `sums[c]` (split as
    /// `DenseRowProducts.forEachChunk` splits every row pass), and returns `Σ_c sums[c]` added in
    /// chunk order.
    static func sumOverChunks(
        _ chunks: Int, weights: Int, sums: UnsafeMutablePointer<Double>, _ chunk: @Sendable (Int) -> Void
    ) -> Double {
        DenseRowProducts.forEachChunk(chunks, weights: weights, chunk)
        var total = 0.0
        for c in 0..<chunks { total += sums[c] }
        return total
    }

    /// Where the `m×p` weights are: doubles, or floats widened exactly to doubles in registers,
    /// so float32 storage halves the bytes read while every product and sum stays in float64.
    enum Rows {
        case float64(UnsafePointer<Double>)
        case float32(UnsafePointer<Float>)
    }

    /// Fills `residuals` (m) and `adjoint` (p) and returns `Σ rᵢ²`. `partials` must hold
    /// `chunkCount·p` doubles (scratch). Sizes are the caller's responsibility (checked once
    /// when the operator is built and the workspace sized).

    static func run(
        rows: Rows, m: Int, p: Int, gram: UnsafePointer<Double>,
        targets: UnsafePointer<Double>, residuals: UnsafeMutablePointer<Double>,
        adjoint: UnsafeMutablePointer<Double>, partials: UnsafeMutablePointer<Double>
    ) -> Double {
        // The chunks already use every core; the step's BLAS products around this pass run on
        // one thread (threads inside the chunks would oversubscribe, and a fixed thread count
        // keeps results exact).
        BLASThreads.useOne()
        let chunks = min(chunkCount, max(m, 1))
        // Per-chunk Σ rᵢ² on the stack, and closures passed straight to the calls: nothing is
        // allocated per step.
        let total = withUnsafeTemporaryAllocation(of: Double.self, capacity: chunkCount) { sums -> Double in
            guard let sumsBase = sums.baseAddress else { return .nan }
            let shared = Pointers(rows: rows, m: m, p: p, chunks: chunks, gram: gram,
                                  targets: targets, residuals: residuals, partials: partials, sums: sumsBase)
            return sumOverChunks(chunks, weights: m * p, sums: sumsBase) { c in chunk(c, shared) }
        }
        adjoint.initialize(repeating: 0, count: p)
        for c in 0..<chunks {
            cblas_daxpy(Int32(p), 1, partials + c * p, 1, adjoint, 1)
        }
        return total
    }

    /// Chunk `c`: its rows' residuals and the partial adjoint `s_c`, in one kernel call.
    private static func chunk(_ c: Int, _ shared: Pointers) {
        let (m, p, chunks) = (shared.m, shared.p, shared.chunks)
        let lo = m * c / chunks, hi = m * (c + 1) / chunks
        let partial = shared.partials + c * p
        partial.initialize(repeating: 0, count: p)
        let r = shared.residuals + lo
        switch shared.rows {
        case .float64(let weights):
            msk_fused_block_f64(weights + lo * p, hi - lo, p, shared.gram, shared.targets + lo, r, partial)
        case .float32(let weights):
            msk_fused_block_f32(weights + lo * p, hi - lo, p, shared.gram, shared.targets + lo, r, partial)
        }
        var squares = 0.0
        for k in 0..<(hi - lo) { squares += r[k] * r[k] }
        shared.sums[c] = squares
    }

    /// The raw buffers shared with the chunks (each writes disjoint parts).
    private struct Pointers: @unchecked Sendable {
        let rows: Rows
        let m: Int
        let p: Int
        let chunks: Int
        let gram: UnsafePointer<Double>
        let targets: UnsafePointer<Double>
        let residuals: UnsafeMutablePointer<Double>
        let partials: UnsafeMutablePointer<Double>
        let sums: UnsafeMutablePointer<Double>
    }
}
