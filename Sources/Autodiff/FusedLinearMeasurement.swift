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
        let (m, p) = (rowsOfMeasurements.rows, rowsOfMeasurements.cols)
        var z = [Double](repeating: 0, count: m)
        var c = [Double](repeating: 0, count: m)
        var out = [Double](repeating: 0, count: p)
        rowsOfMeasurements.withUnsafeElements { pa in
            matrix.withUnsafeElements { px in
                z.withUnsafeMutableBufferPointer { pz in
                    c.withUnsafeMutableBufferPointer { pc in
                        out.withUnsafeMutableBufferPointer { po in
                            guard let a = pa.baseAddress, let x = px.baseAddress, let zs = pz.baseAddress,
                                  let cs = pc.baseAddress, let o = po.baseAddress
                            else { return }
                            DenseRowProducts.weightedPass(a, m: m, p: p, x, products: zs, coefficients: cs,
                                                          weigh: weigh, scale: 1, into: o)
                        }
                    }
                }
            }
        }
        return (z, try Matrix(rows: inputRows, cols: inputCols, elements: out))
    }
}
