import Tensor

/// A linear measurement operator on `d₁×d₂` matrices, with nothing assumed symmetric:
///
///     apply    𝒜(M)ᵢ = ⟨Aᵢ, M⟩ = Σⱼₖ (Aᵢ)ⱼₖ Mⱼₖ,        i = 1…m
///     adjoint  𝒜*(w) = (1/m) Σᵢ wᵢ Aᵢ                   (d₁×d₂)
///
/// Every model's gradient goes through `S = 𝒜*(r)` with residuals `rᵢ = ⟨Aᵢ, M⟩ − yᵢ`
/// (``FactorModel/gradients(adjoint:)``); ``residualsAndAdjoint(_:_:residuals:adjoint:)`` computes
/// both in one pass that reads each measurement once. The random ensembles are normalised so that
/// `E⟨Aᵢ, M⟩² = ‖M‖²_F` for every `d₁×d₂` matrix `M` (docs/sensing.md).
public protocol MatrixEnsemble: Sendable {
    /// `d₁`, the rows of the measured matrices.
    var rows: Int { get }
    /// `d₂`, the columns of the measured matrices.
    var cols: Int { get }
    /// The number of measurements `m`.
    var m: Int { get }
    /// A short name, e.g. `"iid_gaussian"`.
    var name: String { get }
    /// Elementary operations of one pass over the measurements (measuring a matrix, or the
    /// adjoint), charged to the host's step limit before it starts (`MeasurementCharge`); nil:
    /// more than `Int.max`.
    var passOperations: Int? { get }

    /// `(⟨Aᵢ, M⟩)ᵢ` for a `d₁×d₂` matrix `M` whose shape the caller has checked.
    func applyUnchecked(_ x: Matrix) -> [Double]

    /// `(1/m) Σᵢ wᵢ Aᵢ` for `m` weights `w` the caller has checked.
    func adjointUnchecked(_ w: [Double]) -> Matrix

    /// Writes `rᵢ = ⟨Aᵢ, M⟩ − yᵢ` into `residuals` (sized `m`) and `S = (1/m) Σᵢ rᵢ Aᵢ` into
    /// `adjoint` (sized `d₁×d₂`), and returns `Σᵢ rᵢ²`. Shapes are the caller's to check.
    func residualsAndAdjoint(_ x: Matrix, _ y: [Double], residuals: inout [Double], adjoint: inout Matrix) -> Double

    /// `zᵢ = ⟨Aᵢ, M⟩` and `(1/m) Σᵢ cᵢ Aᵢ`, the coefficients `c` chosen from `z` by `weigh` block of
    /// measurements by block (`DenseRowProducts.Weighing`): the fused pass with any weights, which
    /// a dense ensemble makes in one read of its stack. Shapes are the caller's to check.
    func measurementsAndWeightedAdjoint(_ x: Matrix, weigh: DenseRowProducts.Weighing) -> (measurements: [Double], adjoint: Matrix)

    /// Measurement matrix `Aᵢ` (0-based) as a dense `d₁×d₂` matrix.
    func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix

    /// The ensemble restricted to the measurements at `indices` (in that order; each in `0..<m`).
    func subset(_ indices: [Int]) throws(SensingError) -> any MatrixEnsemble
}

extension MatrixEnsemble {
    /// The default fused pass: `r = 𝒜(M) − y`, then `S = 𝒜*(r)`.
    public func residualsAndAdjoint(_ x: Matrix, _ y: [Double], residuals: inout [Double], adjoint: inout Matrix) -> Double {
        var r = applyUnchecked(x)
        var sum = 0.0
        for i in 0..<min(r.count, y.count) {
            r[i] -= y[i]
            sum += r[i] * r[i]
        }
        residuals = r
        adjoint = adjointUnchecked(r)
        return sum
    }

    /// `(⟨Aᵢ, M⟩)ᵢ`, refusing a matrix of another shape.
    public func apply(_ x: Matrix) throws(SensingError) -> [Double] {
        try checkMeasured(x, "the measured matrix")
        try charge(passes: 1, "measuring a matrix")
        return applyUnchecked(x)
    }

    /// `(1/m) Σᵢ wᵢ Aᵢ`, refusing a weight vector of another length.
    public func adjoint(_ w: [Double]) throws(SensingError) -> Matrix {
        guard w.count == m else {
            throw .shapeMismatch("the adjoint needs m = \(m) weights but \(w.count) were given")
        }
        try charge(passes: 1, "the adjoint")
        return adjointUnchecked(w)
    }

    /// `d₁×d₂` as text.
    public var shapeDescription: String { shapeText(rows, cols) }

    /// Throws unless `x` is `d₁×d₂`, naming `what` and both shapes.
    func checkMeasured(_ x: Matrix, _ what: String) throws(SensingError) {
        guard x.rows == rows, x.cols == cols else {
            throw .shapeMismatch("\(what) is \(shapeText(x.rows, x.cols)) but the \(name) measurements are of \(shapeText(rows, cols)) matrices")
        }
    }

    /// Throws unless every index is in `0..<m`.
    func checkIndices(_ indices: [Int]) throws(SensingError) {
        if let bad = indices.first(where: { $0 < 0 || $0 >= m }) {
            throw .invalidArgument("measurement \(bad) does not exist; indices run from 0 to \(m - 1)")
        }
        guard !indices.isEmpty else { throw .invalidArgument("a subset of an ensemble needs at least one measurement") }
    }
}

/// Checks `d₁, d₂ ≥ 1` and `1 ≤ m ≤ 2³¹ − 1` for an ensemble constructor. The message names
/// no ensemble: each constructor is one builtin, whose name the interpreter puts in front.
func checkSizes(m: Int, rows: Int, cols: Int) throws(SensingError) {
    guard rows >= 1, cols >= 1 else {
        throw .invalidArgument("the dimensions d1 and d2 must be at least 1, not \(rows) and \(cols)")
    }
    guard m >= 1 else { throw .invalidArgument("the number of measurements m must be at least 1, not \(m)") }
    guard m <= Int(Int32.max), rows <= Int(Int32.max) / cols else {
        throw .invalidArgument("at most \(Int32.max) measurements and matrix entries are supported")
    }
}
