import CKernels

/// The forward half of the rows pass: the residuals and their sum of squares, without the adjoint.
///
/// For rows `wᵢ ∈ ℝᵖ` (`m×p`, row-major), the packed Gram `g = pack(UUᵀ)` and targets `y`:
///
///     rᵢ = wᵢ · g − yᵢ,      Σᵢ rᵢ²
///
/// computed exactly as ``FusedPackedKernel`` computes them — the same dot products
/// (`msk_dots_f64`, `msk_dot_f32`), the same ``FusedPackedKernel/chunkCount`` chunks, the squares
/// summed in row order within a chunk and the chunks' sums in chunk order — so the residuals and
/// `Σ rᵢ²` have the bits the fused pass gives at the same `g`. It reads the
/// weights once, as the fused pass does, but does half its arithmetic: the normal-equations route
/// takes its recorded losses from it (``NormalEquations/exactLossAndGradient(_:_:gradient:workspace:)``),
/// where the rows are in cache and the arithmetic is the cost.
enum ResidualPass {
    /// Fills `residuals` (m) and returns `Σ rᵢ²`. Sizes are the caller's responsibility.
    static func run(
        rows: FusedPackedKernel.Rows, m: Int, p: Int, gram: UnsafePointer<Double>,
        targets: UnsafePointer<Double>, residuals: UnsafeMutablePointer<Double>
    ) -> Double {
        let chunks = min(FusedPackedKernel.chunkCount, max(m, 1))
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: FusedPackedKernel.chunkCount) { sums -> Double in
            guard let sumsBase = sums.baseAddress else { return .nan }
            let shared = Pointers(rows: rows, m: m, p: p, chunks: chunks, gram: gram, targets: targets,
                                  residuals: residuals, sums: sumsBase)
            return FusedPackedKernel.sumOverChunks(chunks, weights: m * p, sums: sumsBase) { c in chunk(c, shared) }
        }
    }

    /// Chunk `c`: the residuals of its rows and their sum of squares.
    private static func chunk(_ c: Int, _ shared: Pointers) {
        let (m, p, chunks) = (shared.m, shared.p, shared.chunks)
        let lo = m * c / chunks, hi = m * (c + 1) / chunks
        let r = shared.residuals + lo
        switch shared.rows {
        case .float64(let weights):
            msk_dots_f64(weights + lo * p, hi - lo, p, shared.gram, r)
        case .float32(let weights):
            for k in 0..<(hi - lo) { r[k] = msk_dot_f32(weights + (lo + k) * p, shared.gram, p) }
        }
        var squares = 0.0
        for k in 0..<(hi - lo) {
            r[k] = r[k] - shared.targets[lo + k]
            squares += r[k] * r[k]
        }
        shared.sums[c] = squares
    }

    /// The raw buffers shared with the chunks (each writes disjoint parts).
    private struct Pointers: @unchecked Sendable {
        let rows: FusedPackedKernel.Rows
        let m: Int
        let p: Int
        let chunks: Int
        let gram: UnsafePointer<Double>
        let targets: UnsafePointer<Double>
        let residuals: UnsafeMutablePointer<Double>
        let sums: UnsafeMutablePointer<Double>
    }
}
