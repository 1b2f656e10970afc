import Tensor

/// The native passes over the measurements, charged to the thread's `RunBudget` (the host's
/// step limit, one step per 2²⁰ elementary operations) before they start.
///
/// Counts are multiply-adds (one per stored weight read and used), the unit of every other
/// charge (products `m·k·n`, fills one per element):
///
///     dense ensembles (p = d(d+1)/2 packed weights, or p = d₁d₂)
///         measuring a matrix, or the adjoint     m·p
///         loss and gradient (measure + adjoint)  2·m·p
///     completion (UUᵀ): loss and gradient        3·m·r   (measuring, adjoint: m)
///     rank-one (UUᵀ): loss and gradient          2·m·d·r (measuring, adjoint: their products)
///     full observation: loss and gradient        2·d²·r  (measuring, adjoint: d²)
///     ensembles of d₁×d₂ matrices                `passOperations` per pass, a loss and
///                                                gradient or the tape's fused pass two
///     Gram matrix G (p×p) of a dense ensemble    building m·p(p+1)/2, a product p²;
///                                                b = 𝒜*(y) one pass (two for the packed
///                                                ensembles' fused pass at g = 0)
///     making an ensemble                         one per number drawn or stored
///     a dense subset of k measurements           k·p
///
/// The charges sit where every caller passes: the operators' `measure`, `adjoint` and
/// `lossAndGradient`, `MatrixEnsemble`'s `apply`, `adjoint` and the runs' rows passes (and
/// the spectral estimate), the normal equations' build and product, the ensembles'
/// constructors and dense subsets.
///
/// A charge is a thread-local read and, under the interpreter, a few additions to its step
/// count (a multiplication or two for the operation count); the message is worded only for a
/// refusal.
enum MeasurementCharge {
    /// Throws the budget's refusal as ``SensingError/tensor(_:)`` unless `operations` (nil:
    /// more than `Int.max`) can be spent on `what` (worded only for a refusal).
    @inline(__always)
    static func charge(_ operations: Int?, for what: @autoclosure () -> String) throws(SensingError) {
        do { try RunBudget.charge(operations, for: what()) } catch { throw .tensor(error) }
    }

    /// `passes` passes of `operations` each, or nil when that overflows `Int`.
    static func times(_ passes: Int, _ operations: Int?) -> Int? {
        operations.flatMap { RunBudget.operations(passes, $0) }
    }

    /// `m·p(p+1)/2`: the upper triangle of `G = Σᵢ wᵢwᵢᵀ` over `m` rows of `p` weights.
    static func gramBuild(m: Int, p: Int) -> Int? {
        RunBudget.operations(m, p, p + 1).map { $0 / 2 }
    }

    /// `m·p(p+1)/2 + passes·m·p`: building `G` and reading the rows `passes` times for
    /// `b = 𝒜*(y)`, or nil when that overflows `Int`.
    static func normalEquations(m: Int, p: Int, adjointPasses passes: Int) -> Int? {
        guard let build = gramBuild(m: m, p: p), let adjoint = times(passes, RunBudget.operations(m, p)) else { return nil }
        let (total, overflow) = build.addingReportingOverflow(adjoint)
        return overflow ? nil : total
    }
}

extension NormalEquations {
    /// Charges one product `G g` (`p²` multiply-adds), the pass an unrecorded step takes
    /// instead of the rows'.
    func chargeProduct() throws(SensingError) {
        try op.charge(RunBudget.operations(op.p, op.p), "a gradient through the Gram matrix G")
    }
}

extension DenseMatrixEnsemble {
    /// Setting up ``DenseNormalEquations``: `m·p(p+1)/2` for the upper triangle of `G` unless
    /// it is built already (``gramCache``), and `m·p` for `b = 𝒜*(y)`.
    var normalEquationsOperations: Int? {
        let p = rows * cols
        return gramCache.built == nil
            ? MeasurementCharge.normalEquations(m: m, p: p, adjointPasses: 1) : RunBudget.operations(m, p)
    }

    /// Charges setting up ``DenseNormalEquations`` (``normalEquationsOperations``).
    func chargeGramBuild() throws(SensingError) {
        try charge(operations: normalEquationsOperations,
                   gramCache.built == nil ? "building the Gram matrix G and b = 𝒜*(y)" : "b = 𝒜*(y) for the Gram matrix G")
    }
}

extension DenseNormalEquations {
    /// Charges one product `G vec(M)` (`p²` multiply-adds) on `ensemble`'s account.
    func chargeProduct(_ ensemble: any MatrixEnsemble) throws(SensingError) {
        try ensemble.charge(operations: RunBudget.operations(p, p), "a gradient through the Gram matrix G")
    }
}

extension SensingOperator {
    /// Charges `operations` for `pass` ("measuring a matrix", "a loss and gradient", …) over this
    /// operator's measurements, worded "`pass` over the m measurements of the `name` ensemble of
    /// d×d matrices" in a refusal.
    @inline(__always)
    func charge(_ operations: Int?, _ pass: @autoclosure () -> String) throws(SensingError) {
        try MeasurementCharge.charge(operations, for: "\(pass()) over the \(m) measurements of the \(name) ensemble of \(d)×\(d) matrices")
    }
}

extension MatrixEnsemble {
    /// Charges `passes` passes over this ensemble's measurements (each ``passOperations``) for
    /// `pass` ("measuring a matrix", "a loss and gradient", …), worded like
    /// ``SensingOperator/charge(_:_:)`` in a refusal.
    @inline(__always)
    package func charge(passes: Int, _ pass: @autoclosure () -> String) throws(SensingError) {
        try charge(operations: MeasurementCharge.times(passes, passOperations), pass())
    }

    /// Charges `operations` for `pass`, worded as ``charge(passes:_:)``.
    @inline(__always)
    func charge(operations: Int?, _ pass: @autoclosure () -> String) throws(SensingError) {
        try MeasurementCharge.charge(
            operations, for: "\(pass()) over the \(m) measurements of the \(name) ensemble of \(rows)×\(cols) matrices")
    }
}

extension DenseMatrixEnsemble {
    /// `m·d₁d₂`: every weight read once.
    public var passOperations: Int? { RunBudget.operations(m, rows, cols) }
}

extension EntryEnsemble {
    /// `m`: one entry per measurement.
    public var passOperations: Int? { m }
}

extension RankOnePairEnsemble {
    /// `m·d₁·(d₂ + 1)`: the `m×d₂` by `d₂×d₁` product, then `m` dots of length `d₁` (or the
    /// scaling and the product of the adjoint).
    public var passOperations: Int? { RunBudget.operations(m, rows, cols + 1) }
}

extension HadamardEnsemble {
    /// `N·log₂N + d₁d₂ + m`: the transform's butterflies over `N = 2^⌈log₂ d₁d₂⌉` entries, the
    /// signs, and the `m` selected rows.
    public var passOperations: Int? {
        let log = max(length.trailingZeroBitCount, 1)
        return RunBudget.operations(length, log).map { $0 + rows * cols + m }
    }
}
