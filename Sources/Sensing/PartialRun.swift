import Tensor

/// What a failed run had done: the step it failed at, the trace rows recorded before the
/// failure, and the last iterate U (the one the failing step started from; after a divergence
/// it may hold non-finite entries); for a factor-model run, the whole model as well.
public struct PartialRun: Sendable {
    /// The step at which the run failed.
    public let step: Int
    /// The rows recorded before the failure.
    public let trace: Trace
    /// The iterate when the run failed (a factor-model run's first factor; `model` holds them all).
    public let u: Matrix
    /// The model when a factor-model run failed; `nil` for the symmetric runs.
    public let model: FactorModel?

    /// What a run that failed at `step` had done: its `trace` so far and last iterate `u`.
    public init(step: Int, trace: Trace, u: Matrix) {
        self.step = step
        self.trace = trace
        self.u = u
        self.model = nil
    }

    /// What a factor-model run that failed at `step` had done: its `trace` so far and last `model`.
    public init(step: Int, trace: Trace, model: FactorModel) {
        self.step = step
        self.trace = trace
        self.u = model.factors[0]
        self.model = model
    }
}
