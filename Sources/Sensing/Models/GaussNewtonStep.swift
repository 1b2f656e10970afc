import Tensor

/// The step of one factor in alternating Gauss–Newton (AGN, Jia, Feng, Meng, Sun 2024, eqs.
/// (33)–(34)) on `M = FGᵀ`: with the other factor `X` (`n×r`) held fixed, the minimum-norm
/// least-squares solution of
///
///     min_Δ ‖Δ Xᵀ − S‖_F    is    Δ = S (Xᵀ)† = S X (XᵀX)† = S P_k Σ_k⁻¹ V_kᵀ,
///
/// where `X = P Σ Vᵀ` is the thin SVD and `k` counts the singular values kept:
/// `σ_l > ε · max(n, r) · σ₁` (`ε = 2⁻⁵²`, NumPy's `lstsq(rcond=None)` cut-off). The others are
/// treated as zero, so a rank-deficient `X` (over-parameterised `r > n`, or a factor that lost
/// rank) gives the minimum-norm solution instead of an unchecked inverse; `X = 0` gives `Δ = 0`.
enum GaussNewtonStep {
    /// `S (Xᵀ)†` (`S` is `d×n`), or with `transposeS` `Sᵀ (Xᵀ)†` (`S` is `n×d`); the result is `d×r`.
    static func direction(_ s: Matrix, transposeS: Bool = false, partner x: Matrix) throws(SensingError) -> Matrix {
        let inverse = try pseudoInverseTransposed(x)
        return Matrix.gemmUnchecked(s, inverse, transposeA: transposeS)
    }

    /// `(Xᵀ)† = P_k Σ_k⁻¹ V_kᵀ` (`n×r`), with the cut-off above.
    static func pseudoInverseTransposed(_ x: Matrix) throws(SensingError) -> Matrix {
        let svd = try tensor { () throws(TensorError) in try SVD(x) }
        let sigma = svd.singularValues
        let cutoff = Double.ulpOfOne * Double(max(x.rows, x.cols)) * (sigma.first ?? 0)
        let kept = sigma.prefix { $0 > cutoff }.count
        let q = sigma.count
        // P_k Σ_k⁻¹ (n×k) times the first k rows of Vᵀ (k×r).
        var left = [Double](repeating: 0, count: x.rows * kept)
        for i in 0..<x.rows {
            for l in 0..<kept { left[i * kept + l] = svd.u.elements[i * q + l] / sigma[l] }
        }
        let right = Array(svd.vt.elements.prefix(kept * x.cols))
        return Matrix.gemmUnchecked(Matrix(uncheckedRows: x.rows, cols: kept, elements: left),
                                    Matrix(uncheckedRows: kept, cols: x.cols, elements: right))
    }
}
