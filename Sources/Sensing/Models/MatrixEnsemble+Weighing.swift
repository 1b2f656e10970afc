import Tensor

extension MatrixEnsemble {
    /// The plain route of ``measurementsAndWeightedAdjoint(_:weigh:)``: `z = 𝒜(M)`, the
    /// coefficients `c` from all of `z` at once, then `(1/m) Σᵢ cᵢ Aᵢ` — two passes over the
    /// measurements, for ensembles whose `apply` and `adjoint` are not one pass over stored rows.
    public func measurementsAndWeightedAdjoint(
        _ x: Matrix, weigh: DenseRowProducts.Weighing
    ) -> (measurements: [Double], adjoint: Matrix) {
        let z = applyUnchecked(x)
        return (z, adjointUnchecked(DenseRowProducts.coefficients(of: z, weigh: weigh)))
    }
}

extension DenseMatrixEnsemble {
    /// `zᵢ = ⟨Aᵢ, M⟩`, `cᵢ` chosen by `weigh` block by block, and `(1/m) Σᵢ cᵢ Aᵢ`, reading the
    /// stack once (`DenseRowProducts.weightedPass`: the fused pass's blocks and chunks).
    public func measurementsAndWeightedAdjoint(
        _ x: Matrix, weigh: DenseRowProducts.Weighing
    ) -> (measurements: [Double], adjoint: Matrix) {
        let pass = DenseRowProducts.weightedPass(weights, m: m, p: rows * cols, x.elements, weigh: weigh, scale: 1 / Double(m))
        return (pass.products, Matrix(uncheckedRows: rows, cols: cols, elements: pass.sum))
    }
}
