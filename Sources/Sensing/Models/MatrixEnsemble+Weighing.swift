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
        let p = rows * cols
        var z = [Double](repeating: 0, count: m)
        var c = [Double](repeating: 0, count: m)
        var out = [Double](repeating: 0, count: p)
        weights.withUnsafeBufferPointer { pa in
            x.withUnsafeElements { px in
                z.withUnsafeMutableBufferPointer { pz in
                    c.withUnsafeMutableBufferPointer { pc in
                        out.withUnsafeMutableBufferPointer { po in
                            guard let a = pa.baseAddress, let xs = px.baseAddress, let zs = pz.baseAddress,
                                  let cs = pc.baseAddress, let o = po.baseAddress
                            else { return }
                            DenseRowProducts.weightedPass(a, m: m, p: p, xs, products: zs, coefficients: cs,
                                                          weigh: weigh, scale: 1 / Double(m), into: o)
                        }
                    }
                }
            }
        }
        return (z, Matrix(uncheckedRows: rows, cols: cols, elements: out))
    }
}
