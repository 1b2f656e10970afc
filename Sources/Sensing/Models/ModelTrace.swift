import Tensor

/// The trace of a model run, describing the end-to-end matrix `M` at step `t` (before that
/// step's update). Columns, in order:
///
///     step, loss, rel_err = ‖M − M*‖_F / ‖M*‖_F  (‖M‖_F when M* = 0),
///     sv1…sv_q   singular values of M, descending (q = FactorModel.recordedSingularValues),
///     dist1…dist_k  ‖M − M*ⱼ‖_F, M*ⱼ the best rank-j truncation of M*, j = 1…rank M*,
///     the model's terms (FactorModel.termNames: imbalance; balance_j, norm_j; norm_b, norm_a),
///     grad_norm  = sqrt(Σ_factors ‖∇_X f‖²_F)  (``gradientNorm(_:)``)
struct ModelTraceRecorder {
    let truth: MatrixTruth
    let targets: [Matrix]
    let truthNorm: Double
    let singularValueCount: Int
    let columns: [String]

    init(truth: MatrixTruth, model: FactorModel) throws(SensingError) {
        self.truth = truth
        let t = truth.bestRankApproximations(upTo: truth.rank)
        targets = t
        truthNorm = truth.frobeniusNorm
        singularValueCount = model.recordedSingularValues
        columns = ["step", "loss", "rel_err"] + (0..<singularValueCount).map { "sv\($0 + 1)" }
            + (0..<t.count).map { "dist\($0 + 1)" } + model.termNames + ["grad_norm"]
    }

    /// The row at `step` for `model` (with `M = model.product()`), its loss and gradients.
    func row(step: Int, loss: Double, model: FactorModel, product m: Matrix, gradients: [Matrix]) throws(SensingError) -> [Double] {
        let err = frobeniusDistance(m, truth.matrix)
        let sv = try tensor { () throws(TensorError) in try Self.singularValues(of: m, model: model) }
        var row = [Double(step), loss, truthNorm > 0 ? err / truthNorm : err]
        row += (0..<singularValueCount).map { $0 < sv.count ? sv[$0] : 0 }
        row += targets.map { frobeniusDistance(m, $0) }
        row += model.modelTerms()
        row.append(Self.gradientNorm(gradients))
        return row
    }

    /// `√(Σ_j ‖∇_j‖²_F)` (`Matrix.globalNorm`, the summation `GradientOptimizer.globalNorm`
    /// uses), so that `minimize(problem, …, optimizer: descent(…))` records the same `grad_norm`
    /// as `gd`.
    static func gradientNorm(_ gradients: [Matrix]) -> Double {
        Matrix.globalNorm(gradients)
    }
}

extension ModelTraceRecorder {
    /// The singular values of `M = model.product()`, descending. For `M = FGᵀ` with an inner width
    /// `r < min(d₁, d₂)` they are those of the `r×r` core: with the thin QR factorisations
    /// `F = Q_F R_F` and `G = Q_G R_G`, `M = Q_F (R_F R_Gᵀ) Q_Gᵀ` and `Q_F`, `Q_G` have orthonormal
    /// columns, so `σ(M) = σ(R_F R_Gᵀ)` — two `d×r` QRs and an `r×r` SVD instead of the `d₁×d₂`
    /// SVD, which at `d = 60` is most of a recorded row; the values past `r` are 0. Other models,
    /// and an `M` with a non-finite entry (whose error the SVD of `M` reports): the SVD of `M`.
    static func singularValues(of m: Matrix, model: FactorModel) throws(TensorError) -> [Double] {
        guard model.kind == .asymmetric, model.factors.count == 2 else { return try SVD.singularValues(of: m) }
        let (f, g) = (model.factors[0], model.factors[1])
        let r = f.cols
        guard r == g.cols, r < min(m.rows, m.cols), f.rows == m.rows, g.rows == m.cols, m.firstNonFiniteIndex == nil else {
            return try SVD.singularValues(of: m)
        }
        let core = try QR.upperTriangular(f).matmul(QR.upperTriangular(g).transposed)
        return try SVD.singularValues(of: core) + [Double](repeating: 0, count: min(m.rows, m.cols) - r)
    }
}

/// One recorded row of a model run: the trace's column names and this row's values.
public struct ModelTraceRow: Sendable {
    public let columns: [String]
    public let values: [Double]

    /// The value of column `name`, or `nil` when the trace has no such column.
    public func value(_ name: String) -> Double? {
        columns.firstIndex(of: name).map { values[$0] }
    }
}
