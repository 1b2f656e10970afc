import Tensor

extension SensingProblem {
    /// Runs `optimizer` from `u0` on `f(U) = 1/(4m) Σᵢ (⟨Aᵢ, UUᵀ⟩ − yᵢ)²` (see ``Optimizer`` for
    /// the updates and ``RunOptions`` for stopping and recording).
    ///
    /// The per-step work is the operator's allocation-free kernel plus the update in place.
    ///
    /// - Throws: on invalid options, a `u0` whose shape does not fit ("U0 is 20×5 but the ground
    ///   truth is 30×30"), a trace that would not fit in memory (`TraceBudget`: up front when only the step budget can end the run, else as it grows), non-finite data, a singular preconditioner, an invalid step size, or
    ///   divergence ("diverged at step N (loss = inf); try a smaller lr", or a loss above the
    ///   blow-up limit of ``RunOptions/blowup``). A failure after the
    ///   first step started is wrapped in ``SensingError/interrupted(_:partial:)`` with the
    ///   trace so far and the last iterate.
    public func run(from u0: Matrix, optimizer: Optimizer = .gd, options: RunOptions) throws(SensingError) -> Run {
        try options.validate()
        try optimizer.validate()
        if optimizer.isAlternating {
            throw .invalidArgument("\(optimizer.name) updates the factors one after another, but UUᵀ has one factor U; "
                + "use the FGᵀ model asym(F, G) on a problem of d1×d2 matrices (iid_gaussian(m, d, d))")
        }
        try checkU(u0, name: "U0")
        let (d, r) = (u0.rows, u0.cols)
        let op = measurements
        let recorder = try TraceRecorder(truth: truth, eigenCount: r, recordsRank: false, extraTargets: options.targets)
        try options.watch?.check(against: recorder.columns)
        let columns = recorder.columns + (options.watch?.metricNames ?? [])
        if options.tolerance == nil, options.stopWhen == nil, options.watch == nil {
            try TraceBudget.require(rows: TraceBudget.maxRows(steps: options.steps, every: options.every), columns: columns.count)
        }
        var trace = Trace(columns: columns)
        var blowup: BlowupGuard? = nil
        var u = u0
        var grad = try tensor { () throws(TensorError) in try Matrix(rows: d, cols: r) }
        var ws = SensingWorkspace()
        var velocity = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, r) }
        var chol = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(r, r) }
        let usesGram = try NormalEquations.chooses(
            options.kernel, for: op, steps: options.steps, every: options.every, allowance: options.gramAllowance)
        var normal = usesGram ? try normalEquations.get(op, y: y, cancelled: options.shouldCancelSetUp) : nil
        var t = 0
        do throws(SensingError) {
            while true {
                // Recorded steps (and with float32 storage every refreshInterval-th) take the rows
                // pass — with float64 G its residuals alone, the gradient through G — which with
                // float32 storage also becomes the normal equations' reference point. Others may take
                // their estimate, re-evaluated exactly whenever it could decide a stop
                // (NormalEquations) — and from then on the rows pass is used alone, as the stop is near.
                var exact = true
                var loss = Double.nan
                if let current = normal, t % options.every != 0, t != options.steps,
                   !current.corrects || t % NormalEquations.refreshInterval != 0 {
                    try current.chargeProduct()
                    let estimate = current.lossAndGradient(u, gradient: &grad, workspace: &ws)
                    let mayStop = !estimate.loss.isFinite
                        || (options.tolerance.map { estimate.loss - estimate.bound <= $0 } ?? false)
                        || (blowup.map { estimate.loss + estimate.bound > $0.limit } ?? false)
                    if mayStop {
                        normal = nil
                        loss = try op.lossAndGradient(u, y, gradient: &grad, workspace: &ws)
                    } else {
                        (loss, exact) = (estimate.loss, false)
                    }
                } else if let current = normal, !current.corrects {
                    // Float64 G: the rows pass's exact loss from its residuals alone, the gradient through G.
                    loss = try current.exactLossAndGradient(u, y, gradient: &grad, workspace: &ws)
                } else {
                    loss = try op.lossAndGradient(u, y, gradient: &grad, workspace: &ws)
                    normal?.refresh(from: ws)
                }
                guard loss.isFinite else { throw .diverged(step: t, loss: loss, trace: trace) }
                if t == 0 {
                    blowup = BlowupGuard(multiple: options.blowup, start: loss, zero: BlowupGuard.lossAtZero(y, denominator: 4))
                }
                try blowup?.check(step: t, loss: loss)
                var reason: StopReason? = nil
                if options.shouldCancel?() == true {
                    reason = .cancelled
                } else if let tol = options.tolerance, loss <= tol {
                    reason = .tolerance
                } else if t == options.steps {
                    reason = .budget
                }
                if reason != nil, !exact {
                    loss = try op.lossAndGradient(u, y, gradient: &grad, workspace: &ws)
                    guard loss.isFinite else { throw .diverged(step: t, loss: loss, trace: trace) }
                }
                if t % options.every == 0 || reason != nil {
                    let row = try recorder.row(step: t, loss: loss, u: u, gradient: grad)
                    var state: RunState? = nil
                    var values = row.values
                    if let watch = options.watch {
                        let product = Matrix.gemmUnchecked(u, u, transposeB: true).symmetrized
                        let seen = RunState(step: t, loss: loss, gradNorm: row.gradNorm, columns: recorder.columns, values: values,
                                            factorNames: ["U"], factors: [u], gradients: [grad], model: nil, product: product)
                        let evaluated = watch.evaluate(seen)
                        values += evaluated.values
                        state = evaluated.state
                    }
                    try trace.append(values)
                    options.onRow?(row)
                    if reason == nil, options.stopWhen?(row) == true { reason = .predicate }
                    if reason == nil, let state, options.watch?.stop(state) == true { reason = .predicate }
                }
                if let reason {
                    return Run(u: u, trace: trace, phases: Phase.detect(in: trace, truth: truth), stopReason: reason, lastStep: t)
                }
                let eta = try options.lr.rate(at: t)
                try step(&u, gradient: &grad, optimizer: optimizer, eta: eta, velocity: &velocity, chol: &chol, t: t)
                t += 1
            }
        } catch {
            throw .interrupted(error, partial: PartialRun(step: t, trace: trace, u: u))
        }
    }

    /// Applies one update of `optimizer` to `u` in place (the gradient buffer is overwritten for
    /// the preconditioned methods).
    func step(
        _ u: inout Matrix, gradient grad: inout Matrix, optimizer: Optimizer, eta: Double,
        velocity: inout [Double], chol: inout [Double], t: Int
    ) throws(SensingError) {
        let (d, r) = (u.rows, u.cols)
        var lambda: Double? = nil
        switch optimizer {
        case .scaledGD: lambda = 0
        case let .precGD(l): lambda = l
        default: break
        }
        if let lambda {
            let bad = u.withUnsafeElements { pu in
                grad.withUnsafeMutableElements { pg in
                    chol.withUnsafeMutableBufferPointer { pc in
                        rightSolveGram(u: pu, grad: pg, chol: pc, d: d, r: r, lambda: lambda)
                    }
                }
            }
            if let bad {
                throw .numerical(
                    "\(optimizer.name): UᵀU\(lambda > 0 ? " + λI" : "") is not positive definite at step \(t) "
                        + "(Cholesky pivot \(bad)); start from a larger α or use PrecGD with λ > 0")
            }
        }
        if case let .momentum(beta) = optimizer {
            u.withUnsafeMutableElements { pu in
                grad.withUnsafeElements { pg in
                    for i in 0..<pu.count {
                        velocity[i] = beta * velocity[i] - eta * pg[i]
                        pu[i] += velocity[i]
                    }
                }
            }
        } else {
            u.withUnsafeMutableElements { pu in
                grad.withUnsafeElements { pg in
                    for i in 0..<pu.count { pu[i] -= eta * pg[i] }
                }
            }
        }
    }
}
