import Tensor

/// What a recorded step of a run shows to user metrics and stopping rules: the step, its loss,
/// the plain gradient's norm, the trace row by column name, every factor, the gradients and the
/// end-to-end matrix `M`, all at the iterate before that step's update.
public struct RunState {
    public let step: Int
    public let loss: Double
    /// `sqrt(Σ_factors ‖∇_X f‖²_F)`, the trace's `grad_norm`.
    public let gradNorm: Double
    /// The row's column names and values (the metric columns once they are evaluated).
    public let columns: [String]
    public let values: [Double]
    /// `["U"]` for `UUᵀ` runs, else the model's ``FactorModel/factorNames``.
    public let factorNames: [String]
    public let factors: [Matrix]
    /// The plain gradients, one per factor (also for ScaledGD, PrecGD and AGN).
    public let gradients: [Matrix]
    /// The model of a factor-model run; `nil` for the symmetric `UUᵀ` runs.
    public let model: FactorModel?
    /// `M` (`UUᵀ`, `FGᵀ`, `W_N⋯W₁`, `W₀ + BA`).
    public let product: Matrix

    /// The same state with the row extended by the metric columns.
    func extended(columns more: [String], values extra: [Double]) -> RunState {
        RunState(step: step, loss: loss, gradNorm: gradNorm, columns: columns + more, values: values + extra,
                 factorNames: factorNames, factors: factors, gradients: gradients, model: model, product: product)
    }
}

/// User metrics and a stopping rule that see the whole ``RunState`` at every recorded step.
///
/// `metrics` returns one value per name in `metricNames`; they become trace columns after the
/// run's own. `stop` sees the row with those columns and ends the run (``StopReason/predicate``)
/// when it returns true. Both are called on recorded steps only, so unrecorded steps keep their
/// fast paths.
public struct RunWatch {
    public var metricNames: [String]
    public var metrics: (RunState) -> [Double]
    public var stop: (RunState) -> Bool

    public init(metricNames: [String], metrics: @escaping (RunState) -> [Double], stop: @escaping (RunState) -> Bool) {
        self.metricNames = metricNames
        self.metrics = metrics
        self.stop = stop
    }

    /// Throws when a metric name repeats or would shadow a column of the run's own trace.
    func check(against columns: [String]) throws(SensingError) {
        var seen = Set(columns)
        for name in metricNames {
            guard seen.insert(name).inserted else {
                throw .invalidArgument(columns.contains(name)
                    ? "the metric '\(name)' has the name of a trace column; its columns are \(columns.joined(separator: ", "))"
                    : "the metric '\(name)' is given twice")
            }
        }
    }

    /// The metric values at `state`, exactly one per name (missing ones NaN), and the state with them.
    func evaluate(_ state: RunState) -> (values: [Double], state: RunState) {
        let got = metrics(state)
        let values = metricNames.indices.map { $0 < got.count ? got[$0] : .nan }
        return (values, state.extended(columns: metricNames, values: values))
    }
}
