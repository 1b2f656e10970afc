/// The identity of a trace column: what it holds, and the name scripts, CSV headers and plots
/// use for it. Code finds a column by its identity (`trace.index(of: .gradientNorm)`), never by
/// spelling its name again.
public struct TraceColumn: Hashable, Sendable, CustomStringConvertible {
    /// The column's name in scripts and files (`rel_err`, `eig2`).
    public let name: String

    /// A column called `name` (a user metric, a table built by a script).
    public init(_ name: String) { self.name = name }

    public var description: String { name }

    /// The step number, an integer stored as a `Double` (CSV and JSON write it as one).
    public static let step = TraceColumn("step")
    /// The loss f(U) (or f of the factors).
    public static let loss = TraceColumn("loss")
    /// ‖M − M*‖_F / ‖M*‖_F.
    public static let relativeError = TraceColumn("rel_err")
    /// ‖∇f‖_F.
    public static let gradientNorm = TraceColumn("grad_norm")
    /// (Σλ)²/Σλ², the effective rank of UᵀU.
    public static let effectiveRank = TraceColumn("eff_rank")
    /// The number of columns of U (GLRL runs).
    public static let rank = TraceColumn("rank")

    /// `eigk`: the k-th largest eigenvalue of UᵀU (k from 1).
    public static func eigenvalue(_ k: Int) -> TraceColumn { TraceColumn("eig\(k)") }
    /// `svk`: the k-th largest singular value of the model's product (k from 1).
    public static func singularValue(_ k: Int) -> TraceColumn { TraceColumn("sv\(k)") }
    /// `distk`: ‖M − M*_k‖_F / ‖M*‖_F, the distance to the best rank-k approximation (k from 1).
    public static func distance(_ k: Int) -> TraceColumn { TraceColumn("dist\(k)") }
    /// `targetk`: the distance to the k-th extra target (k from 1).
    public static func target(_ k: Int) -> TraceColumn { TraceColumn("target\(k)") }
}

extension Trace {
    /// The position of `column` among ``columns``, or nil when the trace does not record it.
    public func index(of column: TraceColumn) -> Int? {
        columns.firstIndex(of: column.name)
    }

    /// The value of `column` in the last row, or nil when the trace is empty or lacks it.
    public func last(_ column: TraceColumn) -> Double? {
        guard let j = index(of: column), let row = rows.last, j < row.count else { return nil }
        return row[j]
    }
}

extension TraceColumn {
    /// The columns of a symmetric run's trace, in order: `step, loss, rel_err, eig1…eigK,
    /// dist1…distR, target1…targetJ, grad_norm, eff_rank` and `rank` for GLRL runs.
    public static func ofRun(eigenvalues: Int, distances: Int, targets: Int, rank: Bool) -> [TraceColumn] {
        [.step, .loss, .relativeError] + (0..<max(eigenvalues, 0)).map { .eigenvalue($0 + 1) }
            + (0..<max(distances, 0)).map { .distance($0 + 1) } + (0..<max(targets, 0)).map { .target($0 + 1) }
            + [.gradientNorm, .effectiveRank] + (rank ? [.rank] : [])
    }
}
