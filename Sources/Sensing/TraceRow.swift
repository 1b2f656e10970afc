import Tensor

/// One recorded row of a run, as passed to the progress callback and stored in the ``Trace``.
///
/// With `M = UUᵀ` at step `t` (before the update of that step):
/// - `loss = f(U)`, `relErr = ‖M − Z*‖_F / ‖Z*‖_F` (or `‖M‖_F` when `Z* = 0`),
/// - `eigenvalues` = `λ₁(M) ≥ … ≥ λ_K(M)`, `K = max(r, 1)` (zeros beyond the current rank),
/// - `distances[k−1] = ‖M − Z*ₖ‖_F` for `k = 1…r*`,
/// - `targetDistances[j−1] = ‖M − Tⱼ‖_F` for the extra targets `Tⱼ` of ``RunOptions/targets``,
/// - `gradNorm = ‖∇f(U)‖_F`, `effRank = (Σλ)²/Σλ² = ‖U‖_F⁴/‖UᵀU‖²_F` (0 when `U = 0`),
/// - `rank` = the number of columns of `U` (GLRL traces only).
public struct TraceRow: Sendable, Equatable {
    public let step: Int
    public let loss: Double
    public let relErr: Double
    public let eigenvalues: [Double]
    public let distances: [Double]
    public let targetDistances: [Double]
    public let gradNorm: Double
    public let effRank: Double
    public let rank: Int?

    /// The row's values in the order of the trace columns.
    public var values: [Double] {
        var v = [Double(step), loss, relErr] + eigenvalues + distances + targetDistances + [gradNorm, effRank]
        if let rank { v.append(Double(rank)) }
        return v
    }

    /// The columns of ``values``, in the same order.
    public var columns: [TraceColumn] {
        TraceColumn.ofRun(eigenvalues: eigenvalues.count, distances: distances.count, targets: targetDistances.count,
                          rank: rank != nil)
    }
}

/// Computes ``TraceRow``s for one problem: holds `Z*`, `‖Z*‖_F` and the targets `Z*ₖ`.
struct TraceRecorder {
    let truth: GroundTruth
    let targets: [Matrix]
    let extraTargets: [Matrix]
    let truthNorm: Double
    let eigenCount: Int
    let recordsRank: Bool

    init(truth: GroundTruth, eigenCount: Int, recordsRank: Bool, extraTargets: [Matrix] = []) throws(SensingError) {
        for (j, target) in extraTargets.enumerated() where target.rows != truth.d || target.cols != truth.d {
            throw .shapeMismatch("target \(j + 1) is \(shapeText(target.rows, target.cols)) but the ground truth is \(shapeText(truth.d, truth.d))")
        }
        self.extraTargets = extraTargets
        self.truth = truth
        targets = try truth.bestRankApproximations(upTo: truth.rank)
        truthNorm = truth.frobeniusNorm
        self.eigenCount = max(eigenCount, 1)
        self.recordsRank = recordsRank
    }

    /// `step, loss, rel_err, eig1…eigK, dist1…distR, [target1…targetJ,] grad_norm, eff_rank[, rank]`.
    var columns: [String] {
        TraceColumn.ofRun(eigenvalues: eigenCount, distances: targets.count, targets: extraTargets.count,
                          rank: recordsRank).map(\.name)
    }

    /// The row at `step` for factor `u`, loss `loss` and gradient `gradient`.
    func row(step: Int, loss: Double, u: Matrix, gradient: Matrix) throws(SensingError) -> TraceRow {
        let m = try tensor { () throws(TensorError) in try u.outerGram() }.symmetrized
        let gram = try tensor { () throws(TensorError) in try u.innerGram() }.symmetrized  // UᵀU, r×r
        var eig = [Double](repeating: 0, count: eigenCount)
        if u.cols > 0 {
            let values = try tensor { () throws(TensorError) in try SymmetricEigen(gram, computeVectors: false).values }
            for k in 0..<min(eigenCount, values.count) { eig[k] = values[k] }
        }
        let err = frobeniusDistance(m, truth.matrix)
        let relErr = truthNorm > 0 ? err / truthNorm : err
        let u2 = u.frobeniusNorm
        let g2 = gram.frobeniusNorm
        let effRank = g2 > 0 ? (u2 * u2) * (u2 * u2) / (g2 * g2) : 0
        return TraceRow(
            step: step, loss: loss, relErr: relErr, eigenvalues: eig,
            distances: targets.map { frobeniusDistance(m, $0) },
            targetDistances: extraTargets.map { frobeniusDistance(m, $0) },
            gradNorm: gradient.frobeniusNorm, effRank: effRank, rank: recordsRank ? u.cols : nil)
    }
}
