import Tensor

/// How the factor `U₀ ∈ ℝ^{d×r}` is chosen.
///
/// | case | `U₀` |
/// | --- | --- |
/// | `smallRandom(alpha: α)` | `α·G`, `Gᵢⱼ ~ N(0, 1)` i.i.d. (row-major draws) |
/// | `orthogonal(alpha: α)` | `α·Q`, `Q` the thin-QR factor of a `d×r` Gaussian matrix (`r ≤ d`) |
/// | `spectral` | `V_r diag(√max(λ_k, 0))`, `(λ_k, v_k)` the top `r` eigenpairs of `Ẑ` |
/// | `explicit(U)` | `U` (checked `d×r`, finite) |
///
/// For `spectral`, `Ẑ` is the operator's ``SensingOperator/spectralEstimate(_:)``: `(1/m) Σᵢ yᵢ Sᵢ`
/// (unbiased for `Z*` for the Gaussian, completion and full ensembles) or its debiased form for
/// the rank-one ensemble, `((1/m) Σᵢ yᵢ aᵢaᵢᵀ − ȳ I)/2`.
public enum Initialization: Sendable {
    case smallRandom(alpha: Double)
    case orthogonal(alpha: Double)
    case spectral
    case explicit(Matrix)

    /// `U₀` (`d×r`) for `problem`; random cases draw from `rng`.
    ///
    /// - Throws: if `r < 0`, `α` is not finite, `r > d` for `orthogonal` or `spectral`, the
    ///   `d×r` matrix does not fit in memory, or an explicit `U₀` has
    ///   the wrong number of rows ("U0 is 20×5 but the ground truth is 30×30") or non-finite entries.
    /// `U₀` (`d×r`) for the cases that need only the dimension (`smallRandom`, `orthogonal`,
    /// `explicit`); `spectral` needs the measurements and throws here.
    public func make(d: Int, rank r: Int, rng: inout Xoshiro256) throws(SensingError) -> Matrix {
        guard d >= 1 else { throw .invalidArgument("the dimension d must be ≥ 1, not \(d)") }
        guard r >= 0 else { throw .invalidArgument("the factor rank r must be ≥ 0, not \(r)") }
        switch self {
        case let .smallRandom(alpha):
            try Self.checkAlpha(alpha)
            var g = try tensor { () throws(TensorError) in try rng.normalMatrix(rows: d, cols: r) }
            g.withUnsafeMutableElements { p in for i in 0..<p.count { p[i] *= alpha } }
            return g
        case let .orthogonal(alpha):
            try Self.checkAlpha(alpha)
            guard r <= d else {
                throw .invalidArgument("an orthogonal initialisation needs r ≤ d, but r = \(r) and d = \(d)")
            }
            let g = try tensor { () throws(TensorError) in try rng.normalMatrix(rows: d, cols: r) }
            var q = try tensor { () throws(TensorError) in try QR(g).q }
            q.withUnsafeMutableElements { p in for i in 0..<p.count { p[i] *= alpha } }
            return q
        case .spectral:
            throw .invalidArgument("a spectral initialisation needs the measurements: use it with a problem")
        case let .explicit(u):
            guard u.rows == d, u.cols == r else {
                throw .shapeMismatch("U0 is \(shapeText(u.rows, u.cols)) but \(shapeText(d, r)) was asked for")
            }
            return u
        }
    }

    public func make(for problem: SensingProblem, rank r: Int, rng: inout Xoshiro256) throws(SensingError) -> Matrix {
        let d = problem.d
        guard r >= 0 else { throw .invalidArgument("the factor rank r must be ≥ 0, not \(r)") }
        switch self {
        case .smallRandom, .orthogonal:
            return try make(d: d, rank: r, rng: &rng)
        case .spectral:
            // Ẑ has only d eigenpairs; more columns would be zeros.
            guard r <= d else {
                throw .invalidArgument("a spectral initialisation needs r ≤ d, but r = \(r) and d = \(d)")
            }
            let est = try problem.measurements.spectralEstimate(problem.y)
            let eig = try tensor { () throws(TensorError) in try SymmetricEigen(symmetrized(est)) }
            var u = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, r) }
            for k in 0..<min(r, d) {
                let s = max(eig.values[k], 0).squareRoot()
                for i in 0..<d { u[i * r + k] = eig.vectors[i, k] * s }
            }
            return Matrix(uncheckedRows: d, cols: r, elements: u)
        case let .explicit(u):
            try problem.checkU(u, name: "U0")
            guard u.cols == r else {
                throw .shapeMismatch("U0 is \(shapeText(u.rows, u.cols)) but rank r = \(r) was asked for")
            }
            return u
        }
    }

    private static func checkAlpha(_ alpha: Double) throws(SensingError) {
        guard alpha.isFinite else { throw .invalidArgument("the initialisation scale α must be finite, not \(alpha)") }
    }
}
