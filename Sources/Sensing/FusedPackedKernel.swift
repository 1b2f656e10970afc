import CBLAS
import CKernels
import Dispatch
import Tensor

/// One pass over the packed measurement rows computing residuals and the adjoint together.
///
/// For rows `wᵢ ∈ ℝᵖ` (`m×p`, row-major), the packed Gram `g = pack(UUᵀ)` and targets `y`:
///
///     rᵢ = wᵢ · g − yᵢ          (residual i)
///     s  = Σᵢ rᵢ wᵢ              (packed adjoint, before unpacking and the 1/m)
///
/// Each block of rows is read from memory once and used for both while it is in cache, halving the
/// memory traffic of two matrix-vector products — the step is memory-bound, so this is the
/// speed-up. A block is one call of CKernels' `msk_fused_block_f64`/`_f32` (the CPU's widest
/// vectors, the same bits on every level; `KernelLevel`). Rows are split into ``chunkCount`` fixed chunks (independent of the number of
/// cores); chunk `c` accumulates its own partial `s_c` and the partials are added in chunk
/// order, so the result is bit-identical on every machine and for every thread count.
/// `Σ rᵢ²` is accumulated per chunk and added in the same order.
enum FusedPackedKernel {
    /// Number of row chunks; each runs on whichever core is free.
    static let chunkCount = 16

    /// Rows per cache block (4 rows of d = 100 are 160 KB, in L2); 2, 4, 6, 8, 16, 32, 64 were
    /// measured on the CI machine kind and 4 was fastest (bench/README.md).
    static let blockRows = 4
    /// Below this many stored weights (2 MB) the chunks run on the calling thread.
    static let parallelThreshold = 1 << 18

    /// Where the `m×p` weights are: doubles, or floats widened exactly to doubles in registers,
    /// so float32 storage halves the bytes read while every product and sum stays in float64.
    enum Rows {
        case float64(UnsafePointer<Double>)
        case float32(UnsafePointer<Float>)
    }

    /// Rows per cache block for rows of `p` weights: ~128 KB of doubles, at least ``blockRows``.
    static func rowsPerBlock(p: Int) -> Int { max(blockRows, 16_384 / max(p, 1)) }

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
            let shared = Pointers(rows: rows, m: m, p: p, chunks: chunks, blockRows: rowsPerBlock(p: p), gram: gram,
                                  targets: targets, residuals: residuals, partials: partials, sums: sumsBase)
            // Small problems fit in cache: threads would cost more than they save. The chunks
            // (and so the bits of the result) are the same either way.
            if m * p < parallelThreshold {
                for c in 0..<chunks { chunk(c, shared) }
            } else {
                DispatchQueue.concurrentPerform(iterations: chunks) { c in chunk(c, shared) }
            }
            var total = 0.0
            for c in 0..<chunks { total += sumsBase[c] }
            return total
        }
        adjoint.initialize(repeating: 0, count: p)
        for c in 0..<chunks {
            cblas_daxpy(Int32(p), 1, partials + c * p, 1, adjoint, 1)
        }
        return total
    }

    /// Chunk `c`: its rows in cache blocks, residuals and the partial adjoint `s_c`.
    private static func chunk(_ c: Int, _ shared: Pointers) {
        let (m, p, chunks) = (shared.m, shared.p, shared.chunks)
        let lo = m * c / chunks, hi = m * (c + 1) / chunks
        let partial = shared.partials + c * p
        partial.initialize(repeating: 0, count: p)
        var squares = 0.0
        var i = lo
        while i < hi {
            // A block of rows small enough to stay in the core's L2 cache between the
            // two products: r_B = W_B g − y_B, then s_c += W_Bᵀ r_B.
            let n = min(shared.blockRows, hi - i)
            let r = shared.residuals + i
            switch shared.rows {
            case .float64(let weights):
                msk_fused_block_f64(weights + i * p, n, p, shared.gram, shared.targets + i, r, partial)
            case .float32(let weights):
                msk_fused_block_f32(weights + i * p, n, p, shared.gram, shared.targets + i, r, partial)
            }
            for k in 0..<n { squares += r[k] * r[k] }
            i += n
        }
        shared.sums[c] = squares
    }

    /// The raw buffers shared with the chunks (each writes disjoint parts).
    private struct Pointers: @unchecked Sendable {
        let rows: Rows
        let m: Int
        let p: Int
        let chunks: Int
        let blockRows: Int
        let gram: UnsafePointer<Double>
        let targets: UnsafePointer<Double>
        let residuals: UnsafeMutablePointer<Double>
        let partials: UnsafeMutablePointer<Double>
        let sums: UnsafeMutablePointer<Double>
    }
}
