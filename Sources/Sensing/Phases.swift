/// The incremental-learning phases of a run (Jin et al. 2023): GD from small initialisation
/// fits the eigen-directions of `Z*` one at a time, with plateaus in between.
///
/// Phase `k` (`k = 1…min(K, r*)`, `K` the number of `eig` columns) is **entered** at the first
/// recorded step `s_k` at which `λⱼ(UUᵀ) ≥ λⱼ(Z*)/2` for every `j ≤ k`: the model has then
/// reached every one of the top k eigenvalues halfway, so `s₁ ≤ s₂ ≤ …` whatever the
/// initialisation. (From a small initialisation the k-th eigenvalue rises only after the ones
/// above it, and this is the first step with `λₖ(UUᵀ) ≥ λₖ(Z*)/2`; from a large one the lower
/// eigenvalues may start above their thresholds, and rank k is still not learned before rank
/// k − 1.) Its **plateau** is the number of steps since the previous phase was entered:
/// `s_k − s_{k−1}` ≥ 0, with `s₀` the first recorded step (normally 0). A phase never entered
/// has `step = nil`; a plateau is `nil` when either end is. Detection uses recorded rows only, so
/// steps are accurate to the recording interval.
public struct Phase: Sendable, Equatable {
    /// `k`, 1-based.
    public let k: Int
    /// `λₖ(Z*)/2`.
    public let threshold: Double
    /// `s_k`, or `nil` when never entered.
    public let step: Int?
    /// `s_k − s_{k−1}`, or `nil`.
    public let plateau: Int?

    /// Detects the phases in `trace` (which must have `step` and `eig1…` columns) for `truth`.
    public static func detect(in trace: Trace, truth: GroundTruth) -> [Phase] {
        detect(in: trace, columns: TraceColumn.eigenvalue, thresholds: truth.eigenvalues.prefix(truth.rank).map { $0 / 2 })
    }

    /// The same detection on columns `column1, column2, …` against `thresholds[k−1]`: a model run
    /// uses `sv1…` and `σₖ(M*)/2`, so rank `k` is learned when `σⱼ(M) ≥ σⱼ(M*)/2` for every `j ≤ k`.
    public static func detect(in trace: Trace, column prefix: String, thresholds: [Double]) -> [Phase] {
        detect(in: trace, columns: { TraceColumn("\(prefix)\($0)") }, thresholds: thresholds)
    }

    /// The same detection on the columns `columns(1), columns(2), …` (``TraceColumn/eigenvalue(_:)``,
    /// ``TraceColumn/singularValue(_:)``) against `thresholds[k−1]`.
    public static func detect(in trace: Trace, columns: (Int) -> TraceColumn, thresholds: [Double]) -> [Phase] {
        guard let stepColumn = trace.index(of: .step) else { return [] }
        var phases: [Phase] = []
        var previous: Int? = trace.rows.first.flatMap { exactStep($0[stepColumn]) }
        // The rows at which every column so far is at its threshold (all rows before column 1).
        var reached = Array(trace.rows.indices)
        var k = 1
        while k <= thresholds.count, let column = trace.index(of: columns(k)) {
            let threshold = thresholds[k - 1]
            reached = reached.filter { trace.rows[$0][column] >= threshold }
            let entry = reached.first.flatMap { exactStep(trace.rows[$0][stepColumn]) }
            let plateau: Int? = if let entry, let previous { entry - previous } else { nil }
            phases.append(Phase(k: k, threshold: threshold, step: entry, plateau: plateau))
            previous = entry
            k += 1
        }
        return phases
    }
}

/// `Int(v)` when `v` is finite and in range, else `nil` (a hand-made trace may hold anything).
private func exactStep(_ v: Double) -> Int? {
    v.isFinite && abs(v) < 9e18 ? Int(v) : nil
}
