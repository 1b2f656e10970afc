import Tensor

/// A ``LinearMeasurement`` that can measure and take a weighted sum in one pass over its
/// measurements, the coefficients chosen from the measurements as the pass goes:
///
///     zᵢ = ⟨Aᵢ, M⟩,    cᵢ = weigh(zᵢ),    result Σᵢ cᵢ Aᵢ
///
/// ``Tape/sum(_:)`` of an elementwise function `h` of `z` uses it to compute the sum and its
/// gradient `𝒜*(h'(z))` together (docs/autodiff.md, "The fused measurement pass"), reading a dense
/// stack once instead of twice.
public protocol FusedLinearMeasurement: LinearMeasurement {
    /// `z = 𝒜(M)` (`m` numbers) and `Σᵢ cᵢ Aᵢ` (`d₁×d₂`) for a `d₁×d₂` matrix `M`, where `weigh`
    /// writes the coefficients `c` of each block of measurements from their values
    /// (`DenseRowProducts.Weighing`).
    func measurementsAndWeightedSum(of matrix: Matrix, weigh: DenseRowProducts.Weighing) throws
        -> (measurements: [Double], weightedSum: Matrix)
}

extension DenseMeasurementStack: FusedLinearMeasurement {
    /// One pass over the stack (`DenseRowProducts.weightedPass`).
    public func measurementsAndWeightedSum(of matrix: Matrix, weigh: DenseRowProducts.Weighing) throws
        -> (measurements: [Double], weightedSum: Matrix)
    {
        try checkInput(matrix)
        let pass = DenseRowProducts.weightedPass(rowsOfMeasurements.elements, m: rowsOfMeasurements.rows, p: rowsOfMeasurements.cols,
                                                 matrix.elements, weigh: weigh, scale: 1)
        return (pass.products, try Matrix(rows: inputRows, cols: inputCols, elements: pass.sum))
    }
}
