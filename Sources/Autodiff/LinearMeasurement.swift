import Tensor

/// A linear map `𝒜: ℝ^{d₁×d₂} → ℝ^m`, `𝒜(M)ᵢ = ⟨Aᵢ, M⟩ = Σⱼₖ (Aᵢ)ⱼₖ Mⱼₖ`, given by its action and
/// its adjoint `𝒜*(w) = Σᵢ wᵢ Aᵢ` (no normalisation: `⟨𝒜(M), w⟩ = ⟨M, 𝒜*(w)⟩`).
///
/// ``Tape/measure(_:_:)`` differentiates through any conforming type; a sensing ensemble conforms
/// by exposing these two maps (``DenseMeasurementStack`` is the explicit case).
public protocol LinearMeasurement: Sendable {
    /// `d₁`, the number of rows of a measured matrix.
    var inputRows: Int { get }
    /// `d₂`, the number of columns of a measured matrix.
    var inputCols: Int { get }
    /// `m`, the number of measurements.
    var measurementCount: Int { get }

    /// `(⟨Aᵢ, M⟩)ᵢ`, `m` numbers, for a `d₁×d₂` matrix `M`.
    func measurements(of matrix: Matrix) throws -> [Double]

    /// `Σᵢ wᵢ Aᵢ`, a `d₁×d₂` matrix, for `m` weights `w`.
    func weightedSum(_ weights: [Double]) throws -> Matrix
}

extension Tape {
    /// `y = 𝒜(M) = (⟨Aᵢ, M⟩)ᵢ` as an `m×1` column, for `M` of shape `d₁×d₂`;
    /// `M̄ = 𝒜*(ȳ) = Σᵢ ȳᵢ Aᵢ`.
    ///
    /// Through a ``FusedLinearMeasurement`` the value is *pending* (PendingValues.swift): nothing
    /// is measured until a sum of an elementwise function of it runs the fused pass, or another
    /// operation needs its values.
    public func measure(_ ensemble: some LinearMeasurement, _ matrix: Variable) throws(AutodiffError) -> Variable {
        let x = try value(matrix)
        let (d1, d2, m) = (ensemble.inputRows, ensemble.inputCols, ensemble.measurementCount)
        guard x.rows == d1, x.cols == d2 else {
            throw .shapeMismatch(
                "measure: the ensemble measures \(shapeText(d1, d2)) matrices, not \(shapeText(x.rows, x.cols))")
        }
        guard let fused = ensemble as? any FusedLinearMeasurement else {
            return try recordMeasurement(ensemble, matrix, x, measured: nil)
        }
        let elements = MeasuredElements(fused, matrix, count: m)
        return recordPending(rows: m, cols: 1, operands: [matrix], elements: elements, step: 0) { t throws(AutodiffError) in
            try t.recordMeasurement(fused, matrix, try t.value(matrix), measured: elements.measured)
        }
    }

    /// Records `y = 𝒜(M)` for the `d₁×d₂` value `x` of `matrix`, measuring it unless a fused pass
    /// already did (`measured`).
    func recordMeasurement(_ ensemble: some LinearMeasurement, _ matrix: Variable, _ x: Matrix, measured: [Double]?) throws(AutodiffError) -> Variable {
        let (d1, d2, m) = (ensemble.inputRows, ensemble.inputCols, ensemble.measurementCount)
        let y: [Double]
        if let measured { y = measured } else {
            do { y = try ensemble.measurements(of: x) } catch { throw .measurement("measure: \(error)") }
        }
        guard y.count == m else {
            throw .measurement("measure: m = \(m) measurements were expected from the ensemble but it returned \(y.count)")
        }
        return record(Matrix(column: y), inputs: [matrix]) { g, _ throws(AutodiffError) in
            let adjoint: Matrix
            do { adjoint = try ensemble.weightedSum(g.elements) } catch {
                throw .measurement("measure (adjoint): \(error)")
            }
            guard adjoint.rows == d1, adjoint.cols == d2 else {
                throw .measurement(
                    "measure: the ensemble's adjoint is \(shapeText(adjoint.rows, adjoint.cols)) instead of \(shapeText(d1, d2))")
            }
            return [adjoint]
        }
    }
}
