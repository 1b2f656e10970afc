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
    /// How `S` is computed on unrecorded steps of a dense ensemble: ``StepKernel/rows`` (the fused
    /// pass), ``StepKernel/gram`` (`G vec(M) − b`, `DenseNormalEquations`; not with a tolerance,
    /// which needs every step's loss) or ``StepKernel/automatic`` (the Gram route when it pays).
    public var kernel: StepKernel = .automatic
    /// Asked before the Gram matrix of the given number of bytes is built: why it may not be, or `nil`.
    public var gramAllowance: ((Double) -> String?)?

    public init(lr: Schedule, steps: Int, every: Int = 1, tolerance: Double? = nil) {
        self.lr = lr
        self.steps = steps
        self.every = every
        self.tolerance = tolerance
    }

    var runOptions: RunOptions { RunOptions(lr: lr, steps: steps, every: every, tolerance: tolerance) }
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
    /// Runs `optimizer` on the factors of `model`, all factors updated simultaneously from the
    /// gradients at the same iterate. With `∇ⱼ` the gradient of factor `j` (``FactorModel/gradients(adjoint:)``):
    ///
    ///     gd         Xⱼ ← Xⱼ − η_t ∇ⱼ
    ///     momentum   Vⱼ ← β Vⱼ − η_t ∇ⱼ,  Xⱼ ← Xⱼ + Vⱼ   (V = 0 at the start)
    ///     scaledGD   UUᵀ: U ← U − η ∇_U (UᵀU)⁻¹;  FGᵀ: F ← F − η ∇_F (GᵀG)⁻¹,  G ← G − η ∇_G (FᵀF)⁻¹
    ///     precGD(λ)  the same with (·ᵀ· + λI)⁻¹
    ///
    /// ScaledGD and PrecGD are defined for `UUᵀ` and `FGᵀ` only. Stopping and recording follow
    /// ``RunOptions``; a non-finite loss throws ``SensingError/diverged(step:loss:trace:)``.
    public func run(from model: FactorModel, optimizer: Optimizer = .gd, options: ModelRunOptions) throws(SensingError) -> ModelRunResult {
        try options.runOptions.validate()
        try optimizer.validate()
        try checkModel(model, "the initial model")
        switch (optimizer, model.kind) {
        case (.scaledGD, .deep), (.scaledGD, .adapted), (.precGD, .deep), (.precGD, .adapted):
            throw .invalidArgument("\(optimizer.name) is defined for the UUᵀ and FGᵀ models, not for the \(model.kind == .deep ? "depth-N W_N⋯W₁" : "W₀ + BA") model")
        default: break
        }
        let recorder = try ModelTraceRecorder(truth: truth, model: model)
        if options.tolerance == nil, options.stopWhen == nil {
            try TraceBudget.require(rows: TraceBudget.maxRows(steps: options.steps, every: options.every), columns: recorder.columns.count)
        }
        var trace = Trace(columns: recorder.columns)
        var current = model
        var residuals: [Double] = []
        var s = try tensor { () throws(TensorError) in try Matrix(rows: truth.rows, cols: truth.cols) }
        var velocity = model.factors.map { [Double](repeating: 0, count: $0.count) }
        let denominator = model.lossDenominator * Double(ensemble.m)
        let normal = try normalEquations(options)
        var t = 0
        while true {
            let m = current.product()
            let cancelled = options.shouldCancel?() == true
            var grads: [Matrix]
            if let normal, !cancelled, t % options.every != 0, t != options.steps,
               ({ normal.adjoint(m, into: &s); return s.elements.allSatisfy(\.isFinite) }()) {
                // An unrecorded step through G: no loss is needed (no tolerance is set); a
                // non-finite S falls through to the rows pass, which reports the divergence.
                grads = current.gradients(adjoint: s)
                try precondition(&grads, model: current, optimizer: optimizer, t: t)
                current = current.replacing(update(current.factors, grads, optimizer: optimizer, eta: try options.lr.rate(at: t), velocity: &velocity))
                t += 1
                continue
            }
            let loss = ensemble.residualsAndAdjoint(m, y, residuals: &residuals, adjoint: &s) / denominator
            guard loss.isFinite else { throw .diverged(step: t, loss: loss, trace: trace) }
            grads = current.gradients(adjoint: s)
            var reason: StopReason? = nil
            if cancelled {
                reason = .cancelled
            } else if let tol = options.tolerance, loss <= tol {
                reason = .tolerance
            } else if t == options.steps {
                reason = .budget
            }
            if t % options.every == 0 || reason != nil {
                let values = try recorder.row(step: t, loss: loss, model: current, product: m, gradients: grads)
                try trace.append(values)
                let row = ModelTraceRow(columns: recorder.columns, values: values)
                options.onRow?(row)
                if reason == nil, options.stopWhen?(row) == true { reason = .predicate }
            }
            if let reason {
                let phases = Phase.detect(in: trace, column: "sv", thresholds: truth.singularValues.prefix(truth.rank).map { $0 / 2 })
                return ModelRunResult(model: current, trace: trace, phases: phases, stopReason: reason, lastStep: t)
            }
            let eta = try options.lr.rate(at: t)
            try precondition(&grads, model: current, optimizer: optimizer, t: t)
            current = current.replacing(update(current.factors, grads, optimizer: optimizer, eta: eta, velocity: &velocity))
            t += 1
        }
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

    /// The Gram route for this run, when `options.kernel` asks for it or (``StepKernel/automatic``)
    /// it pays and the host allows its memory.
    private func normalEquations(_ options: ModelRunOptions) throws(SensingError) -> DenseNormalEquations? {
        if options.kernel == .rows { return nil }
        guard let dense = ensemble as? DenseMatrixEnsemble, options.tolerance == nil else {
            if options.kernel == .gram {
                throw .invalidArgument("kernel \"gram\" needs a dense ensemble (iid_gaussian, given_stack) and no loss tolerance; the \(ensemble.name) run\(options.tolerance == nil ? "" : " with a tolerance") uses kernel \"auto\" or \"rows\"")
            }
            return nil
        }
        let recorded = options.steps / options.every + 1
        let bytes = DenseNormalEquations.bytes(dense)
        let refusal = options.gramAllowance?(bytes)
        if options.kernel == .automatic {
            guard DenseNormalEquations.pays(ensemble: dense, unrecordedSteps: options.steps + 1 - recorded),
                  bytes <= Double(MemoryBudget.availableBytes) / 2, refusal == nil else { return nil }
        } else {
            let p = dense.rows * dense.cols
            try MemoryBudget.require(doubles: p.multipliedReportingOverflow(by: p).overflow ? nil : p * p, formula: "p² (p = d1·d2 = \(p))",
                                     for: "the Gram matrix G of kernel \"gram\"", advice: "use kernel: \"rows\", which needs no memory beyond the ensemble's")
            if let refusal { throw .insufficientMemory(refusal) }
        }
        return DenseNormalEquations(ensemble: dense, y: y)
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
