import Tensor

/// A linear measurement operator `𝒜: ℝ^{d×d} → ℝ^m`, `𝒜(Z)ᵢ = ⟨Aᵢ, Z⟩ = Σⱼₖ (Aᵢ)ⱼₖ Zⱼₖ`.
///
/// Only the symmetric parts `Sᵢ = (Aᵢ + Aᵢᵀ)/2` matter, because every `Z` measured here is
/// symmetric (`⟨Aᵢ, Z⟩ = ⟨Sᵢ, Z⟩`). With residuals `rᵢ = ⟨Aᵢ, UUᵀ⟩ − yᵢ` the loss and its
/// gradient are
///
///     f(U)  = 1/(4m) Σᵢ rᵢ²
///     ∇f(U) = (1/m) Σᵢ rᵢ Sᵢ U = 𝒜*(r) U,   𝒜*(r) = (1/m) Σᵢ rᵢ Sᵢ.
///
/// Conforming types implement ``measure(_:)`` and ``adjoint(_:)``; the built-in ensembles also
/// override ``lossAndGradient(_:_:gradient:workspace:)`` with a kernel that allocates nothing
/// once the workspace is sized (dense packed storage or matrix-free).
public protocol SensingOperator: Sendable {
    /// The dimension `d` of the measured `d×d` matrices.
    var d: Int { get }
    /// The number of measurements `m`.
    var m: Int { get }
    /// A short name of the ensemble, e.g. `"gaussian"`.
    var name: String { get }

    /// `(⟨Aᵢ, Z⟩)ᵢ` for a `d×d` matrix `Z`, computed as `⟨Sᵢ, (Z + Zᵀ)/2⟩`.
    func measure(_ z: Matrix) throws(SensingError) -> [Double]

    /// `𝒜*(r) = (1/m) Σᵢ rᵢ Sᵢ`, a symmetric `d×d` matrix, for `m` weights `r`.
    func adjoint(_ r: [Double]) throws(SensingError) -> Matrix

    /// The symmetric part `Sᵢ` of measurement matrix `i` (0-based), as a dense `d×d` matrix.
    func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix

    /// The ensemble's normalisation `E⟨Aᵢ, Z⟩²` for a fixed symmetric `Z` (over the random draw
    /// of one `Aᵢ`), or `nil` when the operator is not random (an explicit stack).
    func expectedSquaredMeasurement(_ z: Matrix) -> Double?

    /// A matrix whose expectation is `Z*` when `y = 𝒜(Z*)`, used by spectral initialisation.
    /// The default is `𝒜*(y) = (1/m) Σᵢ yᵢ Sᵢ`.
    func spectralEstimate(_ y: [Double]) throws(SensingError) -> Matrix

    /// Writes `∇f(U)` into `gradient` (already `d×r`) and the residuals into `workspace`, and
    /// returns `f(U)`. The caller has checked that `u` is `d×r` and `y` has `m` entries.
    func lossAndGradient(
        _ u: Matrix, _ y: [Double], gradient: inout Matrix, workspace: inout SensingWorkspace
    ) throws(SensingError) -> Double
}

extension SensingOperator {
    public func spectralEstimate(_ y: [Double]) throws(SensingError) -> Matrix {
        try adjoint(y)
    }

    /// The default kernel: `r = 𝒜(UUᵀ) − y`, `f = Σ rᵢ² / (4m)`, `∇f = 𝒜*(r) U` (allocating).
    public func lossAndGradient(
        _ u: Matrix, _ y: [Double], gradient: inout Matrix, workspace: inout SensingWorkspace
    ) throws(SensingError) -> Double {
        var r = try measure(try tensor { () throws(TensorError) in try u.outerGram() })
        for i in 0..<min(r.count, y.count) { r[i] -= y[i] }
        let g = try adjoint(r)
        gradient = try tensor { () throws(TensorError) in try g.matmul(u) }
        workspace.residuals = r
        return r.reduce(0) { $0 + $1 * $1 } / (4 * Double(max(m, 1)))
    }

    /// `f(U) = 1/(4m) Σᵢ (⟨Aᵢ, UUᵀ⟩ − yᵢ)²`, with shapes checked.
    public func loss(_ u: Matrix, _ y: [Double]) throws(SensingError) -> Double {
        try checkFactor(u, y)
        var ws = SensingWorkspace()
        var g = try tensor { () throws(TensorError) in try Matrix(rows: u.rows, cols: u.cols) }
        return try lossAndGradient(u, y, gradient: &g, workspace: &ws)
    }

    /// `∇f(U) = (1/m) Σᵢ rᵢ Sᵢ U`, with shapes checked.
    public func gradient(_ u: Matrix, _ y: [Double]) throws(SensingError) -> Matrix {
        try checkFactor(u, y)
        var ws = SensingWorkspace()
        var g = try tensor { () throws(TensorError) in try Matrix(rows: u.rows, cols: u.cols) }
        _ = try lossAndGradient(u, y, gradient: &g, workspace: &ws)
        return g
    }

    /// Throws unless `u` is `d×r` (any `r ≥ 0`) and finite, and `y` has `m` finite entries.
    func checkFactor(_ u: Matrix, _ y: [Double], name: String = "U") throws(SensingError) {
        guard u.rows == d else {
            throw .shapeMismatch(
                "\(name) is \(shapeText(u.rows, u.cols)) but the measurements are of \(shapeText(d, d)) matrices")
        }
        guard y.count == m else {
            throw .shapeMismatch("y has \(counted(y.count, "entry", plural: "entries")) but the operator makes m = \(m) measurements")
        }
        try requireFinite(u, name)
        try requireFinite(y, "y")
    }

    /// Throws unless `z` is `d×d`.
    func checkSquare(_ z: Matrix, _ what: String = "Z") throws(SensingError) {
        guard z.rows == d, z.cols == d else {
            throw .shapeMismatch("\(what) is \(shapeText(z.rows, z.cols)) but the operator measures \(shapeText(d, d)) matrices")
        }
    }

    /// Throws unless `r` has `m` entries.
    func checkWeights(_ r: [Double]) throws(SensingError) {
        guard r.count == m else {
            throw .shapeMismatch("the adjoint needs m = \(m) weights but \(r.count) were given")
        }
    }

    /// Throws unless `0 ≤ i < m`.
    func checkIndex(_ i: Int) throws(SensingError) {
        guard i >= 0, i < m else {
            throw .invalidArgument("measurement \(i) does not exist; indices run from 0 to \(m - 1)")
        }
    }
}

/// Scratch buffers reused by the per-step kernels so that a gradient step allocates nothing.
///
/// Create one per run; kernels size the buffers on first use.
public struct SensingWorkspace: Sendable {
    /// `UUᵀ` (`d×d`) or other `d×d` scratch.
    var gram: [Double] = []
    /// `d×d` scratch for `𝒜*(r)`.
    var square: [Double] = []
    /// Packed or `m×r` scratch.
    var scratch: [Double] = []
    /// Per-chunk partial adjoints of the fused packed kernel.
    var partials: [Double] = []
    /// The residuals `rᵢ = ⟨Aᵢ, UUᵀ⟩ − yᵢ` of the last evaluation.
    public internal(set) var residuals: [Double] = []

    /// An empty workspace.
    public init() {}

    /// Makes `buffer` hold exactly `count` elements (allocating only when the size changes).
    static func ensure<Element: Numeric>(_ buffer: inout [Element], _ count: Int) {
        if buffer.count != count { buffer = [Element](repeating: 0, count: count) }
    }

    /// Calls `body` with ``residuals`` sized to `count`, taken out of `ws` (a swap, no copy) so
    /// that the rest of the workspace can be lent to a step at the same time.
    static func withResiduals<Result>(
        _ ws: inout SensingWorkspace, count: Int,
        _ body: (UnsafeMutableBufferPointer<Double>, inout SensingWorkspace) -> Result
    ) -> Result {
        var residuals: [Double] = []
        swap(&residuals, &ws.residuals)
        defer { swap(&residuals, &ws.residuals) }
        ensure(&residuals, count)
        return residuals.withUnsafeMutableBufferPointer { body($0, &ws) }
    }
}

/// Checks `d ≥ 1` and `m ≥ 1` for an ensemble constructor.
func checkSizes(m: Int, d: Int, _ what: String) throws(SensingError) {
    guard d >= 1 else { throw .invalidArgument("\(what): the dimension d must be at least 1, not \(d)") }
    guard m >= 1 else { throw .invalidArgument("\(what): the number of measurements m must be at least 1, not \(m)") }
    // BLAS counts in 32-bit integers.
    guard m <= Int(Int32.max) else {
        throw .invalidArgument("\(what): at most \(Int32.max) measurements are supported, not m = \(m)")
    }
}
