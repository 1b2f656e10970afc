import Tensor

/// Settings of Greedy Low-Rank Learning (GLRL; Li, Luo & Lyu, ICLR 2021).
public struct GLRLOptions {
    /// Step size `η_t` of the GD inside the stages (`t` counts steps over all stages).
    public var lr: Schedule
    /// The largest rank grown to (number of stages).
    public var maxRank: Int
    /// The scale `ε` of each appended column `ε·v`.
    public var epsilon: Double
    /// The step budget of one stage.
    public var stageSteps: Int
    /// A stage ends early once `‖∇f(U)‖_F ≤ stageTolerance` (after at least one step).
    public var stageTolerance: Double
    /// Recording interval over the global step count (≥ 1).
    public var every: Int
    /// Stop everything once `f(U) ≤ tolerance`.
    public var tolerance: Double?
    /// Called with every recorded row.
    public var onRow: ((TraceRow) -> Void)?
    /// Polled once per step; returning true stops the run.
    public var shouldCancel: (() -> Bool)?

    /// GLRL options; see each property.
    public init(
        lr: Schedule, maxRank: Int, epsilon: Double = 1e-3, stageSteps: Int = 10_000,
        stageTolerance: Double = 1e-8, every: Int = 1, tolerance: Double? = nil,
        onRow: ((TraceRow) -> Void)? = nil, shouldCancel: (() -> Bool)? = nil
    ) {
        self.lr = lr
        self.maxRank = maxRank
        self.epsilon = epsilon
        self.stageSteps = stageSteps
        self.stageTolerance = stageTolerance
        self.every = every
        self.tolerance = tolerance
        self.onRow = onRow
        self.shouldCancel = shouldCancel
    }

    func validate() throws(SensingError) {
        guard maxRank >= 1 else { throw .invalidArgument("GLRL needs a maximum rank ≥ 1, not \(maxRank)") }
        guard epsilon.isFinite, epsilon > 0 else { throw .invalidArgument("GLRL needs ε > 0, not \(epsilon)") }
        guard stageSteps >= 1 else { throw .invalidArgument("GLRL needs at least 1 step per stage, not \(stageSteps)") }
        guard stageTolerance >= 0 else { throw .invalidArgument("the GLRL stage tolerance must be ≥ 0, not \(stageTolerance)") }
        guard every >= 1 else { throw .invalidArgument("the recording interval 'every' must be ≥ 1, not \(every)") }
        if let tolerance, !(tolerance >= 0) {
            throw .invalidArgument("the loss tolerance must be a number ≥ 0, not \(tolerance)")
        }
    }
}

extension SensingProblem {
    /// Greedy Low-Rank Learning: start from `U = 0 ∈ ℝ^{d×0}`; for stage `k = 1…maxRank`:
    /// 1. with residuals `r` at the current `U`, take the top eigenpair `(μ, v)` of
    ///    `−𝒜*(r) = −(1/m) Σᵢ rᵢ Sᵢ` (the steepest rank-one descent direction of `Z ↦ f` at `UUᵀ`);
    ///    stop (``StopReason/converged``) if `ε·μ ≤ stageTolerance` (the new column's gradient
    ///    `‖∇f‖ ≈ ε·μ` would already meet the stage tolerance: no descent direction is left);
    /// 2. append the column `ε·v`: `U ← [U, ε v]`;
    /// 3. run GD `U ← U − η_t ∇f(U)` until `‖∇f(U)‖_F ≤ stageTolerance` (after ≥ 1 step) or
    ///    `stageSteps` steps.
    ///
    /// One trace covers all stages; `step` counts GD steps over all stages and the extra column
    /// `rank` is the current number of columns. Rows are recorded at `step % every == 0`, at the
    /// end of every stage, and where the run stops; the end of stage `k` and the start of stage
    /// `k+1` share a step number. The `eig` columns are `eig1…eig_maxRank`.
    public func runGLRL(options: GLRLOptions) throws(SensingError) -> Run {
        try options.validate()
        let d = self.d
        // Each stage adds an eigenvector of a d×d matrix: at most d independent columns.
        guard options.maxRank <= d else {
            throw .invalidArgument("GLRL needs a maximum rank ≤ d, but rank = \(options.maxRank) and d = \(d)")
        }
        let op = measurements
        let recorder = try TraceRecorder(truth: truth, eigenCount: options.maxRank, recordsRank: true)
        var trace = Trace(columns: recorder.columns)
        var u = try tensor { () throws(TensorError) in try Matrix(rows: d, cols: 0) }
        var ws = SensingWorkspace()
        var velocity: [Double] = []
        var chol: [Double] = []
        var t = 0
        var lastRecorded = -1
        // The step last polled (`shouldCancel`): a stage starts at the step its predecessor
        // ended on, which is polled once, so the host counts one poll per step plus one.
        var lastPolled = -1

        func finish(_ reason: StopReason) -> Run {
            Run(u: u, trace: trace, phases: Phase.detect(in: trace, truth: truth), stopReason: reason, lastStep: t)
        }
        func record(_ loss: Double, _ grad: Matrix) throws(SensingError) {
            let row = try recorder.row(step: t, loss: loss, u: u, gradient: grad)
            try trace.append(row.values)
            options.onRow?(row)
            lastRecorded = t
        }

        for k in 1...options.maxRank {
            // 1. The descent direction at the current point.
            var grad = try tensor { () throws(TensorError) in try Matrix(rows: d, cols: k - 1) }
            let loss0 = try op.lossAndGradient(u, y, gradient: &grad, workspace: &ws)
            guard loss0.isFinite else { throw .diverged(step: t, loss: loss0, trace: trace) }
            let adj = try op.adjoint(ws.residuals)
            var negative = adj
            negative.withUnsafeMutableElements { p in for i in 0..<p.count { p[i] = -p[i] } }
            let eig = try tensor { () throws(TensorError) in try SymmetricEigen(negative) }
            guard let mu = eig.values.first, mu * options.epsilon > options.stageTolerance else {
                if lastRecorded != t || trace.count == 0 { try record(loss0, grad) }
                return finish(.converged)
            }
            // 2. Grow the rank.
            var grown = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, k) }
            for i in 0..<d {
                for j in 0..<(k - 1) { grown[i * k + j] = u[i, j] }
                grown[i * k + k - 1] = options.epsilon * eig.vectors[i, 0]
            }
            u = Matrix(uncheckedRows: d, cols: k, elements: grown)
            grad = try tensor { () throws(TensorError) in try Matrix(rows: d, cols: k) }
            velocity = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, k) }
            chol = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(k, k) }
            // 3. GD until the stage converges.
            var j = 0
            while true {
                let loss = try op.lossAndGradient(u, y, gradient: &grad, workspace: &ws)
                guard loss.isFinite else { throw .diverged(step: t, loss: loss, trace: trace) }
                var reason: StopReason? = nil
                var cancelled = false
                if t != lastPolled {
                    lastPolled = t
                    cancelled = options.shouldCancel?() == true
                }
                if cancelled {
                    reason = .cancelled
                } else if let tol = options.tolerance, loss <= tol {
                    reason = .tolerance
                }
                let stageDone = j == options.stageSteps || (j >= 1 && grad.frobeniusNorm <= options.stageTolerance)
                if t % options.every == 0 || reason != nil || stageDone {
                    try record(loss, grad)
                }
                if let reason { return finish(reason) }
                if stageDone { break }
                let eta = try options.lr.rate(at: t)
                try step(&u, gradient: &grad, optimizer: .gd, eta: eta, velocity: &velocity, chol: &chol, t: t)
                t += 1
                j += 1
            }
        }
        return finish(.converged)
    }
}
