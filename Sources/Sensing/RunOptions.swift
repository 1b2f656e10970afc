import Tensor

/// Settings shared by every run: step sizes, budget, recording, stopping rules and callbacks.
///
/// A run evaluates `f(U_t)` and `∇f(U_t)` for `t = 0, 1, …` and stops *before* updating at the
/// first `t` where one of these holds, in this order:
/// 1. `f(U_t)` is NaN or infinite → the run throws ``SensingError/diverged(step:loss:trace:)``;
/// 2. `shouldCancel()` returns true (polled every step) → ``StopReason/cancelled``;
/// 3. `f(U_t) ≤ tolerance` (checked every step) → ``StopReason/tolerance``;
/// 4. `t = steps` → ``StopReason/budget``;
/// 5. the row is recorded and `stopWhen(row)` (or `watch.stop`) is true → ``StopReason/predicate``.
/// Before 2–5, a loss above the blow-up limit (``blowup``) throws
/// ``SensingError/blewUp(step:loss:multiple:reference:)``.
/// A row is recorded (and passed to `onRow`) when `t % every == 0`, at `t = steps`, and at the
/// step where the run stops, always with the values *before* that step's update.
public struct RunOptions {
    /// Step size `η_t`.
    public var lr: Schedule
    /// The step budget: at most `steps` updates (`t = 0…steps` are evaluated).
    public var steps: Int
    /// Recording interval (≥ 1).
    public var every: Int
    /// Stop when `f(U_t) ≤ tolerance`.
    public var tolerance: Double?
    /// Stop when this returns true for a recorded row (checked on recorded rows only).
    public var stopWhen: ((TraceRow) -> Bool)?
    /// Called with every recorded row, in order.
    public var onRow: ((TraceRow) -> Void)?
    /// Polled once per step; returning true stops the run (the result is returned, not thrown).
    public var shouldCancel: (() -> Bool)?
    /// Extra `d×d` matrices `Tⱼ` whose distances `‖UUᵀ − Tⱼ‖_F` are recorded as columns
    /// `target1…` (e.g. the rank-s minimisers of the loss, which differ from `Z*ₛ`).
    public var targets: [Matrix] = []
    /// How the gradient of a dense ensemble is computed (``StepKernel``; recorded values are
    /// the rows pass's in every case).
    public var kernel: StepKernel = .automatic
    /// Asked before a Gram matrix of the given number of bytes is built: returns why it may not
    /// be (a host's memory limit), or `nil`. A refusal makes ``StepKernel/automatic`` use the rows
    /// and ``StepKernel/gram`` fail.
    public var gramAllowance: ((Double) -> String?)?
    /// The blow-up guard's multiple `c`: the run fails at the first step whose loss exceeds
    /// `c · max(f(U₀), f(0))` (`BlowupGuard`); `nil` (the default here) turns it off.
    public var blowup: Double?
    /// User metrics (extra trace columns) and a stopping rule that see the whole state at
    /// recorded steps.
    public var watch: RunWatch?
    /// Polled between batches of the set-up's work (building a Gram matrix, which can take
    /// minutes for large `d`); returning true abandons it, and the run goes on to poll
    /// ``shouldCancel`` at its first step.
    public var shouldCancelSetUp: (() -> Bool)?

    /// Options with the given step size, budget and recording interval, and no other rule.
    public init(
        lr: Schedule, steps: Int, every: Int = 1, tolerance: Double? = nil,
        stopWhen: ((TraceRow) -> Bool)? = nil, onRow: ((TraceRow) -> Void)? = nil,
        shouldCancel: (() -> Bool)? = nil
    ) {
        self.lr = lr
        self.steps = steps
        self.every = every
        self.tolerance = tolerance
        self.stopWhen = stopWhen
        self.onRow = onRow
        self.shouldCancel = shouldCancel
    }

    /// Throws unless `steps ≥ 0`, `every ≥ 1` and `tolerance` (if any) is a number ≥ 0.
    func validate() throws(SensingError) {
        guard steps >= 0 else { throw .invalidArgument("the step budget must be ≥ 0, not \(steps)") }
        guard every >= 1 else { throw .invalidArgument("the recording interval 'every' must be ≥ 1, not \(every)") }
        if let tolerance, !(tolerance >= 0) {
            throw .invalidArgument("the loss tolerance must be a number ≥ 0, not \(tolerance)")
        }
        try BlowupGuard.validate(blowup)
    }
}

/// Why a run stopped.
public enum StopReason: String, Sendable, Equatable {
    /// The step budget was used up.
    case budget
    /// The loss fell to the tolerance.
    case tolerance
    /// The user predicate returned true.
    case predicate
    /// The cancellation check returned true.
    case cancelled
    /// GLRL found no descent direction (`ε·λ_max(−𝒜*(r)) ≤ stageTolerance`) or finished its last stage.
    case converged
}

/// The result of a run: the final factor, the recorded trace and the detected phases.
public struct Run: Sendable {
    /// `U` at the last evaluated step (the step of the last trace row).
    public let u: Matrix
    /// The recorded rows.
    public let trace: Trace
    /// Phases detected in `trace` (see ``Phase``).
    public let phases: [Phase]
    /// Why the run stopped.
    public let stopReason: StopReason
    /// The index of the last evaluated step (= number of updates performed).
    public let lastStep: Int
}
