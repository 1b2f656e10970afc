import Tensor

/// Full observation: `m = d²` measurements `A_{(j,k)} = d·e_j e_kᵀ`, one per entry, indexed
/// `i = j·d + k` (row-major), so that
///
///     f(U) = 1/(4d²) Σⱼₖ (d·(UUᵀ)ⱼₖ − yⱼₖ)² = ¼‖UUᵀ − Z*‖²_F   when y = 𝒜(Z*),
///     ∇f(U) = (1/d) · sym(R) · U,   Rⱼₖ = d·(UUᵀ)ⱼₖ − yⱼₖ,   sym(R) = (R + Rᵀ)/2
///           = (UUᵀ − Z*) U   without noise.
///
/// Matrix-free: a step costs two `d×d×r` products. Normalisation:
/// `E⟨Aᵢ, Z⟩² = (1/d²) Σⱼₖ d² Zⱼₖ² = ‖Z‖²_F` for `i` uniform.
public struct FullObservationOperator: SensingOperator {
    public let d: Int
    public var m: Int { d * d }
    public var name: String { "full" }

    /// The full-observation operator for `d×d` matrices (`1 ≤ d`, `d² ≤ 2³¹`).
    public init(d: Int) throws(SensingError) {
        guard d >= 1 else { throw .invalidArgument("full observation: the dimension d must be at least 1, not \(d)") }
        guard d <= 46_340 else { throw .invalidArgument("full observation: d = \(d) is too large (d² must be at most 2³¹)") }
        self.d = d
    }

    /// `d·(Zⱼₖ + Zₖⱼ)/2` for `i = j·d + k`.
    public func measure(_ z: Matrix) throws(SensingError) -> [Double] {
        try checkSquare(z)
        var out = [Double](repeating: 0, count: m)
        let s = Double(d)
        for j in 0..<d {
            for k in 0..<d { out[j * d + k] = s * (z[j, k] + z[k, j]) / 2 }
        }
        return out
    }

    /// `(1/d²) Σᵢ rᵢ Sᵢ = (1/d)·sym(R)` with `R` the `d×d` matrix of the weights.
    public func adjoint(_ r: [Double]) throws(SensingError) -> Matrix {
        try checkWeights(r)
        var out = [Double](repeating: 0, count: m)
        let c = 1 / Double(d)
        for j in 0..<d {
            for k in 0..<d { out[j * d + k] = c * (r[j * d + k] + r[k * d + j]) / 2 }
        }
        return Matrix(uncheckedRows: d, cols: d, elements: out)
    }

    public func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix {
        try checkIndex(i)
        var out = [Double](repeating: 0, count: m)
        let (j, k) = (i / d, i % d)
        out[j * d + k] += Double(d) / 2
        out[k * d + j] += Double(d) / 2
        return Matrix(uncheckedRows: d, cols: d, elements: out)
    }

    /// `‖Z‖²_F` (average over the `d²` measurements; here exact, not only in expectation).
    public func expectedSquaredMeasurement(_ z: Matrix) -> Double? {
        let n = z.frobeniusNorm
        return n * n
    }

    /// Kernel: `M = UUᵀ`, `R = d·M − y`, `f = ‖R‖²_F/(4d²)`, `∇f = (1/d)·sym(R)·U`. No allocation.
    public func lossAndGradient(
        _ u: Matrix, _ y: [Double], gradient: inout Matrix, workspace ws: inout SensingWorkspace
    ) throws(SensingError) -> Double {
        let (d, r) = (self.d, u.cols)
        try charge(RunBudget.operations(2, m, r), "a loss and gradient")
        SensingWorkspace.ensure(&ws.gram, d * d)
        SensingWorkspace.ensure(&ws.residuals, d * d)
        let s = Double(d)
        var sumSquares = 0.0
        u.withUnsafeElements { pu in
            ws.gram.withUnsafeMutableBufferPointer { pm in
                gramRaw(pu.baseAddress, d: d, r: r, into: pm.baseAddress)
                ws.residuals.withUnsafeMutableBufferPointer { pr in
                    for t in 0..<(d * d) {
                        let res = s * pm[t] - y[t]
                        pr[t] = res
                        sumSquares += res * res
                    }
                    for j in 0..<d {
                        for k in 0..<d { pm[j * d + k] = (pr[j * d + k] + pr[k * d + j]) / (2 * s) }
                    }
                }
                gradient.withUnsafeMutableElements { pg in
                    gemmRaw(pm.baseAddress, pu.baseAddress, pg.baseAddress, m: d, n: r, k: d)
                }
            }
        }
        return sumSquares / (4 * s * s)
    }
}
