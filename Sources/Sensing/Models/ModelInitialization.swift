import Foundation
import Tensor

/// Initialisations of the factor models beyond a given list of factors. (Small random factors
/// with a scale each, and zero factors, are the matrices `α·N(0,1)` and `0` given to
/// ``FactorModel/asymmetric(f:g:)`` and friends directly.)
public enum ModelInitialization {
    /// How the factors of a depth-N model start (all inner widths `h`):
    ///
    ///     small(α)       W_j = α·N(0,1), drawn in the order W₁, …, W_N
    ///     identity(α)    W_j = α·I (rectangular: ones on the main diagonal)
    ///     orthogonal(α)  W_j = α·(the top-left block of Q), Q the QR factor of an n×n N(0,1) matrix,
    ///                    n = max(rows, cols): orthonormal rows or columns
    ///     balanced(α)    α·N(0,1)^{d₁×d₂} = P Σ Qᵀ (SVD, q = min(d₁, d₂, h) values kept),
    ///                    W_N = P Σ^{1/N}, W_j = Σ^{1/N} (inner), W₁ = Σ^{1/N} Qᵀ, zero-padded to width h:
    ///                    W_{j+1}ᵀW_{j+1} = W_jW_jᵀ for every j and W_N⋯W₁ = P Σ Qᵀ.
    public enum DeepKind: String, Sendable, CaseIterable {
        case small, identity, orthogonal, balanced
    }

    /// The factor shapes of depth `N` with end widths `d₁`, `d₂` and inner width `h`:
    /// `W₁` h×d₂, `W_j` h×h, `W_N` d₁×h (`N = 1`: the single `d₁×d₂` factor).
    public static func deepShapes(rows: Int, cols: Int, depth: Int, width: Int) throws(SensingError) -> [(Int, Int)] {
        guard depth >= 1 else { throw .invalidArgument("a deep model needs depth N ≥ 1, not \(depth)") }
        guard rows >= 1, cols >= 1, width >= 1 else {
            throw .invalidArgument("the dimensions d1, d2 and the width must be at least 1, not \(rows), \(cols) and \(width)")
        }
        if depth == 1 { return [(rows, cols)] }
        return [(width, cols)] + Array(repeating: (width, width), count: depth - 2) + [(rows, width)]
    }

    /// A depth-`N` model of `d₁×d₂` matrices, inner width `h`, started as `kind` says.
    public static func deep(rows: Int, cols: Int, depth: Int, width: Int, kind: DeepKind, alpha: Double,
                            rng: inout Xoshiro256) throws(SensingError) -> FactorModel {
        guard alpha.isFinite else { throw .invalidArgument("the scale α must be a finite number, not \(alpha)") }
        let shapes = try deepShapes(rows: rows, cols: cols, depth: depth, width: width)
        var ws: [Matrix] = []
        switch kind {
        case .small:
            for (r, c) in shapes { ws.append(alpha * (try tensor { () throws(TensorError) in try rng.normalMatrix(rows: r, cols: c) })) }
        case .identity:
            for (r, c) in shapes {
                var w = try tensor { () throws(TensorError) in try Matrix(rows: r, cols: c) }
                for i in 0..<min(r, c) { w[i, i] = alpha }
                ws.append(w)
            }
        case .orthogonal:
            for (r, c) in shapes {
                let n = max(r, c)
                let q = try MatrixTruth.orthonormalColumns(n, n, rng: &rng)
                ws.append(alpha * (try tensor { () throws(TensorError) in try q.submatrix(rows: 0..<r, cols: 0..<c) }))
            }
        case .balanced:
            let g = alpha * (try tensor { () throws(TensorError) in try rng.normalMatrix(rows: rows, cols: cols) })
            let svd = try tensor { () throws(TensorError) in try SVD(g) }
            let q = min(rows, cols, depth == 1 ? Int.max : width)
            let root = svd.singularValues.prefix(q).map { exp(log($0) / Double(depth)) }
            for (j, (r, c)) in shapes.enumerated() {
                var w = try tensor { () throws(TensorError) in try Matrix(rows: r, cols: c) }
                if depth == 1 {
                    w = g
                } else if j == 0 {
                    for k in 0..<q { for col in 0..<c { w[k, col] = root[k] * svd.vt[k, col] } }
                } else if j == depth - 1 {
                    for row in 0..<r { for k in 0..<q { w[row, k] = svd.u[row, k] * root[k] } }
                } else {
                    for k in 0..<q { w[k, k] = root[k] }
                }
                ws.append(w)
            }
        }
        return try FactorModel.deep(ws)
    }

    /// Balanced `FGᵀ`: `α·N(0,1)^{d₁×d₂} = P Σ Qᵀ`, `F = P_r Σ_r^{1/2}`, `G = Q_r Σ_r^{1/2}` (columns
    /// beyond `min(d₁, d₂)` zero), so `FᵀF = GᵀG`.
    public static func balancedAsymmetric(rows: Int, cols: Int, rank: Int, alpha: Double, rng: inout Xoshiro256) throws(SensingError) -> FactorModel {
        guard rows >= 1, cols >= 1, rank >= 1 else {
            throw .invalidArgument("balanced_asym needs d1, d2, r ≥ 1, not \(rows), \(cols), \(rank)")
        }
        guard alpha.isFinite else { throw .invalidArgument("the scale α must be a finite number, not \(alpha)") }
        let g = alpha * (try tensor { () throws(TensorError) in try rng.normalMatrix(rows: rows, cols: cols) })
        return try splitSVD(g, rank: rank)
    }

    /// Spectral `FGᵀ`: the top-`r` SVD of `𝒜*(y) = (1/m) Σᵢ yᵢ Aᵢ = P Σ Qᵀ`, `F = P_r Σ_r^{1/2}`,
    /// `G = Q_r Σ_r^{1/2}` (balanced; columns beyond `min(d₁, d₂)` zero).
    public static func spectralAsymmetric(_ problem: MatrixProblem, rank: Int) throws(SensingError) -> FactorModel {
        guard rank >= 1 else { throw .invalidArgument("the rank r must be at least 1, not \(rank)") }
        return try splitSVD(try problem.spectralEstimate(), rank: rank)
    }

    private static func splitSVD(_ m: Matrix, rank: Int) throws(SensingError) -> FactorModel {
        let svd = try tensor { () throws(TensorError) in try SVD(m) }
        var f = try tensor { () throws(TensorError) in try Matrix(rows: m.rows, cols: rank) }
        var g = try tensor { () throws(TensorError) in try Matrix(rows: m.cols, cols: rank) }
        for k in 0..<min(rank, svd.singularValues.count) {
            let root = svd.singularValues[k].squareRoot()
            for i in 0..<m.rows { f[i, k] = svd.u[i, k] * root }
            for i in 0..<m.cols { g[i, k] = svd.vt[k, i] * root }
        }
        return try FactorModel.asymmetric(f: f, g: g)
    }
}
