import Tensor

extension NormalEquations {
    /// A recorded step on float64 normal equations: the exact loss with the gradient through `G`.
    ///
    ///     s = G g − b                      (the product every unrecorded step takes)
    ///     rᵢ = wᵢ·g − yᵢ,  f = Σᵢ rᵢ²/(4m)  (``ResidualPass``: the residuals of the rows pass)
    ///     ∇f(U) = unpack(s)/m · U
    ///
    /// The loss has the bits of the rows pass at this `g` (the same residuals, summed in the same
    /// order); the gradient is the normal equations' `s`, as accurate as the rows pass's with
    /// float64 `G` (``NormalEquations``). Reading the rows for the residuals alone does half of the
    /// fused pass's arithmetic. Only for float64 storage (``corrects`` false): a float32 run moves
    /// its reference point to each recorded step, which needs the rows pass's own adjoint.
    ///
    /// Fills `workspace.residuals` as the rows pass does.
    func exactLossAndGradient(
        _ u: Matrix, _ y: [Double], gradient: inout Matrix, workspace ws: inout SensingWorkspace
    ) throws(SensingError) -> Double {
        let (m, p) = (op.m, op.p)
        guard y.count == m else { throw .shapeMismatch("y has \(counted(y.count, "value")) but the ensemble has \(counted(m, "measurement"))") }
        try op.charge(RunBudget.operations(p, p).map { $0 + m * p }, "a loss through the Gram matrix G")
        let sumSquares = SensingWorkspace.withResiduals(&ws, count: m) { pr, ws in
            y.withUnsafeBufferPointer { py in
                reference.withUnsafeBufferPointer { gRef in
                    referenceAdjoint.withUnsafeBufferPointer { sRef in
                        op.packedStep(u, gradient: &gradient, workspace: &ws) { g, s, partials in
                            // s = s_ref + G (g − g_ref), as in lossAndGradient (g_ref = 0, s_ref = −b).
                            for k in 0..<p { s[k] = g[k] - gRef[k] }
                            gram.multiply(s, into: s, partials: partials)
                            for k in 0..<p { s[k] += sRef[k] }
                            return op.withRows { rows in
                                guard let t = py.baseAddress, let res = pr.baseAddress else { return .nan }
                                return ResidualPass.run(rows: rows, m: m, p: p, gram: g, targets: t, residuals: res)
                            } ?? .nan
                        }
                    }
                }
            }
        }
        return sumSquares / (4 * Double(m))
    }
}
