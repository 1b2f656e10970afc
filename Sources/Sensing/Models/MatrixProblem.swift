import Tensor

/// A sensing problem on `d₁×d₂` matrices: a truth `M*`, an ensemble `𝒜` of the same shape and
/// observations `y = 𝒜(M*) + σ·ε` (`ε ~ N(0, I_m)`), possibly with outliers.
public struct MatrixProblem: Sendable {
    public let truth: MatrixTruth
    public let ensemble: any MatrixEnsemble
    public let y: [Double]
    /// `σ` used to make `y` (0 for given `y`).
    public let noise: Double
    /// The measurements corrupted by ``withOutliers(fraction:scale:rng:)``, ascending (0-based).
    public let outliers: [Int]

    /// `y = 𝒜(M*) + σ·ε`, drawing `ε` from `rng` only when `σ > 0`.
    public init(truth: MatrixTruth, ensemble: any MatrixEnsemble, noise: Double = 0, rng: inout Xoshiro256) throws(SensingError) {
        try Self.checkShapes(truth, ensemble)
        guard noise.isFinite, noise >= 0 else {
            throw .invalidArgument("the noise level σ must be a finite number ≥ 0, not \(noise)")
        }
        try ensemble.charge(passes: 1, "measuring the ground truth")
        var y = ensemble.applyUnchecked(truth.matrix)
        if noise > 0 { for i in 0..<y.count { y[i] += noise * rng.nextNormal() } }
        self.init(truth: truth, ensemble: ensemble, y: y, noise: noise, outliers: [])
    }

    /// A problem with given observations `y` (`m` finite numbers).
    public init(truth: MatrixTruth, ensemble: any MatrixEnsemble, y: [Double]) throws(SensingError) {
        try Self.checkShapes(truth, ensemble)
        guard y.count == ensemble.m else {
            throw .shapeMismatch("y has \(counted(y.count, "entry", plural: "entries")) but the \(ensemble.name) ensemble makes m = \(ensemble.m) measurements")
        }
        try requireFinite(y, "y")
        self.init(truth: truth, ensemble: ensemble, y: y, noise: 0, outliers: [])
    }

    private init(truth: MatrixTruth, ensemble: any MatrixEnsemble, y: [Double], noise: Double, outliers: [Int]) {
        self.truth = truth
        self.ensemble = ensemble
        self.y = y
        self.noise = noise
        self.outliers = outliers
    }

    private static func checkShapes(_ truth: MatrixTruth, _ ensemble: any MatrixEnsemble) throws(SensingError) {
        guard truth.rows == ensemble.rows, truth.cols == ensemble.cols else {
            throw .shapeMismatch("the ground truth is \(shapeText(truth.rows, truth.cols)) but the \(ensemble.name) measurements are of \(shapeText(ensemble.rows, ensemble.cols)) matrices"
                + axisOrderNote(truth, ensemble))
        }
    }

    /// For a given stack whose axes are in another order than `(m, d₁, d₂)` (a NumPy or MATLAB
    /// `(d₁, d₂, m)` stack, or each `Aᵢ` transposed), a sentence saying so; for an ensemble drawn
    /// with `d₁` and `d₂` swapped, the sizes to draw it with; else "".
    private static func axisOrderNote(_ truth: MatrixTruth, _ ensemble: any MatrixEnsemble) -> String {
        let (d1, d2) = (truth.rows, truth.cols)
        guard ensemble.name == "given_stack" else {
            guard ensemble.rows == d2, ensemble.cols == d1 else { return "" }
            return "; d1 and d2 are swapped: the measurements must be \(shapeText(d1, d2)) matrices (d1: \(d1), d2: \(d2))"
        }
        if ensemble.m == d1, ensemble.rows == d2 {
            return "; the stack looks like (d1, d2, m) = (\(d1), \(d2), \(ensemble.cols)): measurements go first, (m, d1, d2) (NumPy: np.moveaxis(A, -1, 0))"
        }
        if ensemble.rows == d2, ensemble.cols == d1 {
            return "; the two shapes are each other's transposes: the stack must be (m, \(d1), \(d2)) (NumPy: A.transpose(0, 2, 1))"
        }
        return ""
    }

    /// Gross outliers: `n = round(fraction·m)` measurements drawn without replacement (partial
    /// Fisher–Yates) get `C · maxᵢ|yᵢ| · sᵢ` added, `sᵢ = ±1` with probability ½ each (one
    /// uniform draw per outlier, after the indices), `C = scale`.
    public func withOutliers(fraction: Double, scale: Double, rng: inout Xoshiro256) throws(SensingError) -> MatrixProblem {
        guard fraction >= 0, fraction <= 1 else {
            throw .invalidArgument("the outlier fraction must be in [0, 1], not \(fraction)")
        }
        guard scale.isFinite, scale >= 0 else {
            throw .invalidArgument("the outlier scale must be a finite number ≥ 0, not \(scale)")
        }
        let count = Int((fraction * Double(y.count)).rounded())
        let big = scale * (y.map(abs).max() ?? 0)
        let chosen = try sampleWithoutReplacement(count, of: y.count, rng: &rng)
        var out = y
        for i in chosen { out[i] += rng.nextDouble() < 0.5 ? -big : big }
        return MatrixProblem(truth: truth, ensemble: ensemble, y: out, noise: noise,
                             outliers: (outliers + chosen).sorted())
    }

    /// The problem restricted to the measurements at `indices` (in that order), with their `y`.
    public func subset(_ indices: [Int]) throws(SensingError) -> MatrixProblem {
        let sub = try ensemble.subset(indices)
        let corrupted = Set(outliers)
        let kept = indices.indices.filter { corrupted.contains(indices[$0]) }
        return MatrixProblem(truth: truth, ensemble: sub, y: indices.map { y[$0] }, noise: noise, outliers: kept)
    }

    /// A random split into `(train, test)` with `test` measurements held out: a uniform random
    /// subset (partial Fisher–Yates) of that size, both parts in ascending measurement order.
    public func split(test count: Int, rng: inout Xoshiro256) throws(SensingError) -> (train: MatrixProblem, test: MatrixProblem) {
        guard count >= 1, count < y.count else {
            throw .invalidArgument("a split needs 1 ≤ test < m = \(y.count) measurements, not \(count)")
        }
        let held = try sampleWithoutReplacement(count, of: y.count, rng: &rng).sorted()
        let heldSet = Set(held)
        let kept = (0..<y.count).filter { !heldSet.contains($0) }
        return (try subset(kept), try subset(held))
    }

    /// Throws unless the model's `M` has the truth's shape.
    func checkModel(_ model: FactorModel, _ what: String = "the model") throws(SensingError) {
        guard model.rows == truth.rows, model.cols == truth.cols else {
            let names = model.factorNames.enumerated().map { "\($1) \(shapeText(model.factors[$0].rows, model.factors[$0].cols))" }
            throw .shapeMismatch("\(what) makes a \(shapeText(model.rows, model.cols)) matrix (\(names.joined(separator: ", "))) but the ground truth is \(shapeText(truth.rows, truth.cols))"
                + transposedModelNote(model))
        }
    }

    /// When `model` makes `M*`'s transposed shape, a sentence naming the factor shapes `M*`
    /// needs (the factors of a NumPy script written for `Mᵀ`, or `F` and `G` swapped); else "".
    private func transposedModelNote(_ model: FactorModel) -> String {
        let (d1, d2) = (truth.rows, truth.cols)
        guard model.rows == d2, model.cols == d1, d1 != d2 else { return "" }
        switch model.kind {
        case .asymmetric: return "; M = FGᵀ needs F \(d1)×r and G \(d2)×r: swap them, asym(G, F)"
        case .deep: return "; W_N⋯W₁ needs W1 with \(d2) columns and WN with \(d1) rows"
        case .adapted: return "; W0 + BA needs W0 \(d1)×\(d2), B \(d1)×r and A r×\(d2)"
        case .symmetric: return ""
        }
    }

    /// The loss `Σᵢ rᵢ² / (c·m)` (`c` = ``FactorModel/lossDenominator``) and every factor's gradient.
    public func lossAndGradients(_ model: FactorModel) throws(SensingError) -> (loss: Double, gradients: [Matrix]) {
        try checkModel(model)
        var residuals: [Double] = []
        var s = try tensor { () throws(TensorError) in try Matrix(rows: truth.rows, cols: truth.cols) }
        try ensemble.charge(passes: 2, "a loss and gradient")
        let sum = ensemble.residualsAndAdjoint(model.product(), y, residuals: &residuals, adjoint: &s)
        return (sum / (model.lossDenominator * Double(ensemble.m)), model.gradients(adjoint: s))
    }

    /// `𝒜*(y) = (1/m) Σᵢ yᵢ Aᵢ`, whose expectation is `M*` (spectral initialisation): one pass
    /// over the measurements, charged to the host's budget.
    public func spectralEstimate() throws(SensingError) -> Matrix {
        try ensemble.charge(passes: 1, "the spectral estimate 𝒜*(y)")
        return ensemble.adjointUnchecked(y)
    }
}
