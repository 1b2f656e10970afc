import Tensor

/// Settings of a model run: as ``RunOptions`` (step sizes, budget, recording, stopping rules and
/// callbacks), with rows described by their column names.
public struct ModelRunOptions {
    public var lr: Schedule
    public var steps: Int
    public var every: Int
    public var tolerance: Double?
    /// Stop when this returns true for a recorded row.
    public var stopWhen: ((ModelTraceRow) -> Bool)?
    /// Called with every recorded row, in order.
    public var onRow: ((ModelTraceRow) -> Void)?
    /// Polled once per step; returning true stops the run (the result is returned, not thrown).
    public var shouldCancel: (() -> Bool)?
    /// Polled between batches of the set-up's work (building the Gram matrix); returning true
    /// abandons it, and the run takes the rows pass and polls ``shouldCancel`` at its first step.
    public var shouldCancelSetUp: (() -> Bool)?
    /// How `S` is computed on unrecorded steps of a dense ensemble: ``StepKernel/rows`` (the fused
    /// pass), ``StepKernel/gram`` (`G vec(M) − b`, `DenseNormalEquations`) or
    /// ``StepKernel/automatic`` (the Gram route when it pays).
    public var kernel: StepKernel = .automatic
    /// Asked before the Gram matrix of the given number of bytes is built: why it may not be, or `nil`.
    public var gramAllowance: ((Double) -> String?)?
    /// The blow-up guard's multiple (`BlowupGuard`, reference `max(f(X₀), Σyᵢ²/(2m))`); `nil` turns it off.
    public var blowup: Double?
    /// User metrics and a stopping rule that see the factors at recorded steps (``RunWatch``).
    public var watch: RunWatch?

    public init(lr: Schedule, steps: Int, every: Int = 1, tolerance: Double? = nil) {
        self.lr = lr
        self.steps = steps
        self.every = every
        self.tolerance = tolerance
    }

    var runOptions: RunOptions {
        var options = RunOptions(lr: lr, steps: steps, every: every, tolerance: tolerance)
        options.blowup = blowup
        return options
    }
}

/// The result of a model run: the final model (every factor), the trace, the phases detected
/// on the singular values of `M`, why it stopped and the last step.
public struct ModelRunResult: Sendable {
    public let model: FactorModel
    public let trace: Trace
    public let phases: [Phase]
    public let stopReason: StopReason
    public let lastStep: Int
}

extension MatrixProblem {
    /// Runs `optimizer` on the factors of `model`. With `∇ⱼ` the gradient of factor `j`
    /// (``FactorModel/gradients(adjoint:)``) and `S = (1/m) Σᵢ rᵢ Aᵢ`, the simultaneous rules
    /// update every factor from the same iterate:
    ///
    ///     gd         Xⱼ ← Xⱼ − η_t ∇ⱼ
    ///     momentum   Vⱼ ← β Vⱼ − η_t ∇ⱼ,  Xⱼ ← Xⱼ + Vⱼ   (V = 0 at the start)
    ///     scaledGD   UUᵀ: U ← U − η ∇_U (UᵀU)⁻¹;  FGᵀ: F ← F − η ∇_F (GᵀG)⁻¹,  G ← G − η ∇_G (FᵀF)⁻¹
    ///     precGD(λ)  the same with (·ᵀ· + λI)⁻¹
    ///
    /// and the alternating rules one factor after another, in the order of ``FactorModel/factorNames``
    /// (F then G; W₁ up to W_N; B then A), `S` recomputed at the factors updated so far:
    ///
    ///     alternating  Xⱼ ← Xⱼ − η_t ∇ⱼ(X₁⁺, …, X_{j−1}⁺, Xⱼ, …)
    ///     AGN (FGᵀ)    F⁺ = F − η_t S G (GᵀG)†,  then with S' at (F⁺, G):  G⁺ = G − η_t S'ᵀ F⁺ (F⁺ᵀF⁺)†
    ///
    /// (`GaussNewtonStep`). ScaledGD and PrecGD are defined for `UUᵀ` and `FGᵀ`, the alternating
    /// rules for models of two or more factors, AGN for `FGᵀ`. Stopping and recording follow
    /// ``RunOptions``; a non-finite loss throws ``SensingError/diverged(step:loss:trace:)``, a loss
    /// above the blow-up limit ``SensingError/blewUp(step:loss:multiple:reference:)``; a failure
    /// after the run started is wrapped in ``SensingError/interrupted(_:partial:)`` with the trace
    /// so far and the last model.
    public func run(from model: FactorModel, optimizer: Optimizer = .gd, options: ModelRunOptions) throws(SensingError) -> ModelRunResult {
        try options.runOptions.validate()
        try optimizer.validate()
        try checkModel(model, "the initial model")
        try Self.checkDefined(optimizer, on: model)
        let recorder = try ModelTraceRecorder(truth: truth, model: model)
        try options.watch?.check(against: recorder.columns)
        let columns = recorder.columns + (options.watch?.metricNames ?? [])
        if options.tolerance == nil, options.stopWhen == nil, options.watch == nil {
            try TraceBudget.require(rows: TraceBudget.maxRows(steps: options.steps, every: options.every), columns: columns.count)
        }
        var trace = Trace(columns: columns)
        var current = model
        var residuals: [Double] = []
        var s = try tensor { () throws(TensorError) in try Matrix(rows: truth.rows, cols: truth.cols) }
        var velocity = model.factors.map { [Double](repeating: 0, count: $0.count) }
        let denominator = model.lossDenominator * Double(ensemble.m)
        var normal = try normalEquations(kernel: options.kernel, steps: options.steps, every: options.every,
                                         allowance: options.gramAllowance, cancelled: options.shouldCancelSetUp)
        var blowup: BlowupGuard? = nil
        var t = 0
        /// `S` at `m` between the factors of an alternating step: through `G` when the run uses it
        /// (and `S` comes out finite), else the rows pass, whose loss reports a divergence.
        func adjoint(at m: Matrix) throws(SensingError) -> Matrix {
            if let normal, try normal.finiteAdjoint(m, into: &s, charging: ensemble) { return s }
            try ensemble.charge(passes: 2, "a loss and gradient")
            let loss = ensemble.residualsAndAdjoint(m, y, residuals: &residuals, adjoint: &s) / denominator
            guard loss.isFinite else { throw .diverged(step: t, loss: loss, trace: trace) }
            return s
        }
        do throws(SensingError) {
            while true {
                let m = current.product()
                let cancelled = options.shouldCancel?() == true
                if let through = normal, !cancelled, t % options.every != 0, t != options.steps,
                   try through.finiteAdjoint(m, into: &s, charging: ensemble) {
                    // An unrecorded step through G, while its loss estimate shows that no stop
                    // (the tolerance, the blow-up limit) is near; once one may be, the rows pass
                    // takes this step and every later one. A non-finite S falls through to the
                    // rows pass, which reports the divergence.
                    let estimate = through.lossEstimate(m, adjoint: s)
                    let (loss, bound) = (estimate.sumSquares / model.lossDenominator, estimate.bound / model.lossDenominator)
                    if !GramRoute.stopMayBeNear(loss: loss, bound: bound, tolerance: options.tolerance, limit: blowup?.limit) {
                        let grads = current.gradients(adjoint: s)
                        current = try advance(current, s: s, grads: grads, optimizer: optimizer, eta: try options.lr.rate(at: t),
                                              velocity: &velocity, t: t, adjoint: adjoint)
                        t += 1
                        continue
                    }
                    normal = nil
                }
                try ensemble.charge(passes: 2, "a loss and gradient")
                let loss = ensemble.residualsAndAdjoint(m, y, residuals: &residuals, adjoint: &s) / denominator
                guard loss.isFinite else { throw .diverged(step: t, loss: loss, trace: trace) }
                if t == 0 {
                    blowup = BlowupGuard(multiple: options.blowup, start: loss, zero: BlowupGuard.lossAtZero(y, denominator: model.lossDenominator))
                }
                try blowup?.check(step: t, loss: loss)
                let grads = current.gradients(adjoint: s)
                var reason: StopReason? = nil
                if cancelled {
                    reason = .cancelled
                } else if let tol = options.tolerance, loss <= tol {
                    reason = .tolerance
                } else if t == options.steps {
                    reason = .budget
                }
                if t % options.every == 0 || reason != nil {
                    var values = try recorder.row(step: t, loss: loss, model: current, product: m, gradients: grads)
                    var state: RunState? = nil
                    if let watch = options.watch {
                        let seen = RunState(step: t, loss: loss, gradNorm: values[values.count - 1], columns: recorder.columns, values: values,
                                            factorNames: current.factorNames, factors: current.factors, gradients: grads, model: current, product: m)
                        let evaluated = watch.evaluate(seen)
                        values += evaluated.values
                        state = evaluated.state
                    }
                    try trace.append(values)
                    let row = ModelTraceRow(columns: columns, values: values)
                    options.onRow?(row)
                    if reason == nil, options.stopWhen?(row) == true { reason = .predicate }
                    if reason == nil, let state, options.watch?.stop(state) == true { reason = .predicate }
                }
                if let reason {
                    let phases = Phase.detect(in: trace, column: "sv", thresholds: truth.singularValues.prefix(truth.rank).map { $0 / 2 })
                    return ModelRunResult(model: current, trace: trace, phases: phases, stopReason: reason, lastStep: t)
                }
                let eta = try options.lr.rate(at: t)
                current = try advance(current, s: s, grads: grads, optimizer: optimizer, eta: eta, velocity: &velocity, t: t, adjoint: adjoint)
                t += 1
            }
        } catch {
            throw .interrupted(error, partial: PartialRun(step: t, trace: trace, model: current))
        }
    }

    /// Refuses a rule on a model it is not defined for.
    private static func checkDefined(_ optimizer: Optimizer, on model: FactorModel) throws(SensingError) {
        let name = model.kind == .deep ? "depth-N W_N⋯W₁" : model.kind == .adapted ? "W₀ + BA" : model.kind == .symmetric ? "UUᵀ" : "FGᵀ"
        switch optimizer {
        case .scaledGD, .precGD:
            if model.kind == .deep || model.kind == .adapted {
                throw .invalidArgument("\(optimizer.name) is defined for the UUᵀ and FGᵀ models, not for the \(name) model")
            }
        case .alternating:
            if model.factors.count < 2 {
                throw .invalidArgument("alternating GD updates the factors one after another, but the \(name) model has one factor; plain GD is the same rule there")
            }
        case .alternatingGaussNewton:
            if model.kind != .asymmetric {
                throw .invalidArgument("AGN (alternating Gauss–Newton) is defined for the FGᵀ model asym(F, G), not for the \(name) model")
            }
        default: break
        }
    }

    /// One step of `optimizer` from `model`, whose adjoint is `s` and gradients `grads`.
    /// Simultaneous rules update every factor from `grads`; the alternating ones update factor
    /// `j` from `S` recomputed by `adjoint` at the factors updated so far.
    private func advance(
        _ model: FactorModel, s: Matrix, grads: [Matrix], optimizer: Optimizer, eta: Double, velocity: inout [[Double]], t: Int,
        adjoint: (Matrix) throws(SensingError) -> Matrix
    ) throws(SensingError) -> FactorModel {
        guard optimizer.isAlternating else {
            var preconditioned = grads
            try precondition(&preconditioned, model: model, optimizer: optimizer, t: t)
            return model.replacing(update(model.factors, preconditioned, optimizer: optimizer, eta: eta, velocity: &velocity))
        }
        var current = model
        var s = s
        for j in model.factors.indices {
            if j > 0 { s = try adjoint(current.product()) }
            let direction: Matrix
            if optimizer == .alternatingGaussNewton {
                // F: S (Gᵀ)†;  G: S'ᵀ (F⁺ᵀ)†.
                direction = try GaussNewtonStep.direction(s, transposeS: j == 1, partner: current.factors[1 - j])
            } else {
                direction = j == 0 ? grads[0] : current.gradients(adjoint: s)[j]
            }
            var factors = current.factors
            factors[j].withUnsafeMutableElements { px in
                direction.withUnsafeElements { pd in
                    for i in 0..<px.count { px[i] -= eta * pd[i] }
                }
            }
            current = current.replacing(factors)
        }
        return current
    }

    /// One update of every factor from its (preconditioned) gradient: `X − η∇`, or heavy ball.
    private func update(_ factors: [Matrix], _ grads: [Matrix], optimizer: Optimizer, eta: Double, velocity: inout [[Double]]) -> [Matrix] {
        var next = factors
        for j in next.indices {
            next[j].withUnsafeMutableElements { px in
                grads[j].withUnsafeElements { pg in
                    if case let .momentum(beta) = optimizer {
                        for i in 0..<px.count {
                            velocity[j][i] = beta * velocity[j][i] - eta * pg[i]
                            px[i] += velocity[j][i]
                        }
                    } else {
                        for i in 0..<px.count { px[i] -= eta * pg[i] }
                    }
                }
            }
        }
        return next
    }

    /// ScaledGD / PrecGD: each gradient times `(XᵀX + λI)⁻¹` of the other factor (`U` itself for `UUᵀ`).
    private func precondition(_ grads: inout [Matrix], model: FactorModel, optimizer: Optimizer, t: Int) throws(SensingError) {
        let lambda: Double
        switch optimizer {
        case .scaledGD: lambda = 0
        case let .precGD(l): lambda = l
        default: return
        }
        let partners: [(grad: Int, gram: Int, name: String)] = model.kind == .symmetric
            ? [(0, 0, "UᵀU")] : [(0, 1, "GᵀG"), (1, 0, "FᵀF")]
        let frozen = grads
        for (g, x, name) in partners {
            let factor = model.factors[x]
            var grad = frozen[g]
            let (r, gradRows) = (factor.cols, grad.rows)
            var chol = [Double](repeating: 0, count: r * r)
            let bad = factor.withUnsafeElements { pu in
                grad.withUnsafeMutableElements { pg in
                    chol.withUnsafeMutableBufferPointer { pc in
                        rightSolveGram(u: pu, grad: pg, chol: pc, d: factor.rows, r: r, lambda: lambda, gradRows: gradRows)
                    }
                }
            }
            if let bad {
                throw .numerical("\(optimizer.name): \(name)\(lambda > 0 ? " + λI" : "") is not positive definite at step \(t) (Cholesky pivot \(bad)); start from a larger α or use PrecGD with λ > 0")
            }
            grads[g] = grad
        }
    }
}
