import Tensor

/// The fused measurement pass: the sum of an elementwise function of a measured vector and its
/// gradient, from one pass over the measurements.
///
/// For a pending `h(z)`, `z = 𝒜(M)` and `h` elementwise (in `z` and external operands `e`, e.g.
/// `h(z) = (z − y)²`), `s = (1/n) Σᵢ h(zᵢ)` has
///
///     ∂s/∂M = (1/n) 𝒜*(h'(z)) = (1/n) Σᵢ h'(zᵢ) Aᵢ,       ∂s/∂eᵢ = (1/n) ∂h/∂eᵢ (zᵢ)
///
/// where `h'` is the derivative in `z`. The pass computes, block of measurements by block, `z_B`,
/// then `h` and `h'` at `z_B` in forward mode (MeasuredElements), then accumulates `Σ h'(zᵢ) Aᵢ`
/// while the block is in cache: `s` and `𝒜*(h'(z))` for the price of reading the measurements
/// once. The backward pass only scales that gradient by `s̄` (the gradient is computed whether or
/// not it is asked for). External operands' derivatives are computed from the stored `z` when
/// the backward pass asks for them, without reading the measurements.
extension Tape {
    /// `(1/divisor) Σᵢ h(zᵢ)` (with `h` followed by a square when `squared`) for a pending `a`,
    /// recorded with its gradient from one fused pass; nil when `a` is not pending.
    func fusedSum(_ a: Variable, divisor: Double, squared: Bool) throws(AutodiffError) -> Variable? {
        guard let pending = pendingValue(of: a) else { return nil }
        let elements = pending.elements
        let last = squared ? elements.append(.unary(pending.step, .square)) : pending.step
        let (evaluation, externals) = elements.evaluation(of: last)
        let m = elements.count
        let matrix = try value(elements.matrix)
        let values = SharedBuffer(count: m)
        defer { values.release() }
        let pass: (measurements: [Double], weightedSum: Matrix)
        do {
            pass = try elements.ensemble.measurementsAndWeightedSum(of: matrix) { rows, z, c in
                // An ensemble passing rows beyond its m is caught by the count check below.
                guard rows.lowerBound >= 0, rows.upperBound <= m else { return }
                evaluation.run(rows, z: z, seed: .measured, values: values.base, tangents: c)
            }
        } catch { throw .measurement("measure: \(error)") }
        let z = pass.measurements, gradient = pass.weightedSum
        guard z.count == m else {
            throw .measurement("measure: m = \(m) measurements were expected from the ensemble but it returned \(z.count)")
        }
        guard gradient.rows == matrix.rows, gradient.cols == matrix.cols else {
            throw .measurement(
                "measure: the ensemble's adjoint is \(shapeText(gradient.rows, gradient.cols)) instead of \(shapeText(matrix.rows, matrix.cols))")
        }
        if elements.measured == nil { elements.measured = z }
        var total = 0.0
        for i in 0..<m { total += values.base[i] }
        recordedFusedSum = true
        return record(Matrix(column: [total / divisor]), inputs: [elements.matrix] + externals) { g, needed in
            let s = g.elements[0] / divisor
            var adjoints: [Matrix?] = [needed[0] ? gradient.mapped { s * $0 } : nil]
            for (e, external) in externals.enumerated() {
                guard needed[e + 1] else {
                    adjoints.append(nil)
                    continue
                }
                var tangents = [Double](repeating: 0, count: m)
                z.withUnsafeBufferPointer { pz in
                    tangents.withUnsafeMutableBufferPointer { pt in
                        guard let zs = pz.baseAddress, let ts = pt.baseAddress else { return }
                        evaluation.run(0..<m, z: zs, seed: .external(e), values: nil, tangents: ts)
                    }
                }
                adjoints.append(Matrix(uncheckedRows: external.rows, cols: external.cols, elements: tangents.map { s * $0 }))
            }
            return adjoints
        }
    }
}

/// Scratch doubles written by the blocks of a pass (each block its own elements).
private struct SharedBuffer: @unchecked Sendable {
    // Safety: the blocks write disjoint elements; read after the pass has joined.
    let base: UnsafeMutablePointer<Double>

    init(count: Int) {
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    func release() { base.deallocate() }
}
