import Tensor

/// The update rule of a gradient run. With `G_t = ∇f(U_t)` and step size `η_t`:
///
/// | case | update |
/// | --- | --- |
/// | `gd` | `U_{t+1} = U_t − η_t G_t` |
/// | `momentum(beta: β)` | `U_{t+1} = U_t − η_t G_t + β (U_t − U_{t−1})`, `U_{−1} = U_0` (heavy ball) |
/// | `scaledGD` | `U_{t+1} = U_t − η_t G_t (U_tᵀU_t)⁻¹` |
/// | `precGD(lambda: λ)` | `U_{t+1} = U_t − η_t G_t (U_tᵀU_t + λ I)⁻¹` |
/// | `alternating` | factor by factor, each from the gradient at the factors updated so far (models with ≥ 2 factors) |
/// | `alternatingGaussNewton` | AGN on `FGᵀ`: `F ← F − η S (Gᵀ)†`, then `G ← G − η S'ᵀ (F⁺ᵀ)†`, `S'` at `(F⁺, G)` |
///
/// The `r×r` systems of ScaledGD and PrecGD are solved by Cholesky; a singular or indefinite
/// `UᵀU (+ λI)` stops the run with an error. The alternating rules are defined on the factor
/// models (``MatrixProblem/run(from:optimizer:options:)``), whose formulas they state.
public enum Optimizer: Sendable, Equatable {
    case gd
    case momentum(beta: Double)
    case scaledGD
    case precGD(lambda: Double)
    case alternating
    case alternatingGaussNewton

    /// Throws unless the parameters are in range (`0 ≤ β < 1`, `λ ≥ 0`, both finite).
    func validate() throws(SensingError) {
        switch self {
        case .gd, .scaledGD, .alternating, .alternatingGaussNewton: return
        case let .momentum(beta):
            guard beta.isFinite, beta >= 0, beta < 1 else {
                throw .invalidArgument("the momentum β must be in [0, 1), not \(beta)")
            }
        case let .precGD(lambda):
            guard lambda.isFinite, lambda >= 0 else {
                throw .invalidArgument("the PrecGD damping λ must be a finite number ≥ 0, not \(lambda)")
            }
        }
    }

    /// The name used in messages.
    var name: String {
        switch self {
        case .gd: "GD"
        case .momentum: "heavy-ball GD"
        case .scaledGD: "ScaledGD"
        case .precGD: "PrecGD"
        case .alternating: "alternating GD"
        case .alternatingGaussNewton: "AGN"
        }
    }

    /// Whether the factors are updated one after another, each from a fresh residual.
    var isAlternating: Bool {
        switch self {
        case .alternating, .alternatingGaussNewton: true
        default: false
        }
    }
}

/// Replaces each row `g` of the row-major `d×r` buffer `grad` by `g P⁻¹`, where
/// `P = UᵀU + λI` (`r×r`, symmetric positive definite), via the Cholesky factor `P = LLᵀ`.
///
/// `chol` is `r×r` scratch. `grad` has `gradRows` rows (default `d`, the rows of `U`; the
/// factor models precondition `∇_F` (d₁×r) by `GᵀG` of a `d₂×r` `G`).
/// Returns `nil` on success or the first non-positive pivot.
func rightSolveGram(
    u: UnsafeBufferPointer<Double>, grad: UnsafeMutableBufferPointer<Double>,
    chol l: UnsafeMutableBufferPointer<Double>, d: Int, r: Int, lambda: Double, gradRows: Int? = nil
) -> Double? {
    guard r > 0 else { return nil }
    gemmRaw(u.baseAddress, u.baseAddress, l.baseAddress, m: r, n: r, k: d, transposeA: true)
    for i in 0..<r { l[i * r + i] += lambda }
    // In-place Cholesky on the lower triangle (column by column, Cholesky–Crout).
    for j in 0..<r {
        var s = l[j * r + j]
        for k in 0..<j { s -= l[j * r + k] * l[j * r + k] }
        guard s > 0, s.isFinite else { return s }
        let pivot = s.squareRoot()
        l[j * r + j] = pivot
        for i in (j + 1)..<max(r, j + 1) {
            var t = l[i * r + j]
            for k in 0..<j { t -= l[i * r + k] * l[j * r + k] }
            l[i * r + j] = t / pivot
        }
    }
    // P xᵀ = gᵀ for each row: forward L z = g, backward Lᵀ x = z.
    for row in 0..<(gradRows ?? d) {
        let b = row * r
        for i in 0..<r {
            var t = grad[b + i]
            for k in 0..<i { t -= l[i * r + k] * grad[b + k] }
            grad[b + i] = t / l[i * r + i]
        }
        for i in stride(from: r - 1, through: 0, by: -1) {
            var t = grad[b + i]
            for k in (i + 1)..<r { t -= l[k * r + i] * grad[b + k] }
            grad[b + i] = t / l[i * r + i]
        }
    }
    return nil
}
