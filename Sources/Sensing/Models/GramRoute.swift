import Tensor

extension MatrixProblem {
    /// The Gram route of a run of `steps` steps recorded every `every`-th (and at the last), or
    /// `nil` for the rows pass: taken when `kernel` is ``StepKernel/gram``, or
    /// ``StepKernel/automatic`` and it pays (`DenseNormalEquations.pays(ensemble:unrecordedSteps:)`),
    /// `G` with its build scratch fits in half the available memory, the host's `allowance`
    /// does not refuse its bytes and the host's operation budget affords building it. An
    /// ensemble keeps `G` from the first run that builds it. `cancelled` is polled while `G` is
    /// built (a cancelled build gives the rows pass).
    func normalEquations(kernel: StepKernel, steps: Int, every: Int, allowance: ((Double) -> String?)?,
                         cancelled: (() -> Bool)?) throws(SensingError) -> DenseNormalEquations? {
        if kernel == .rows { return nil }
        guard let dense = ensemble as? DenseMatrixEnsemble else {
            if kernel == .gram {
                throw .invalidArgument("kernel \"gram\" needs a dense ensemble (iid_gaussian, given_stack), not the \(ensemble.name) ensemble; use kernel \"auto\" or \"rows\"")
            }
            return nil
        }
        let recorded = steps / every + 1
        let bytes = DenseNormalEquations.bytes(dense)
        let isBuilt = dense.gramCache.built != nil
        let refusal = isBuilt ? nil : allowance?(bytes.map(Double.init) ?? .infinity)
        if kernel == .automatic {
            guard DenseNormalEquations.pays(ensemble: dense, unrecordedSteps: steps + 1 - recorded),
                  isBuilt || bytes.map({ UInt64($0) <= MemoryBudget.availableBytes / 2 }) == true, refusal == nil,
                  RunBudget.affords(dense.normalEquationsOperations) else { return nil }
        } else if !isBuilt {
            try MemoryBudget.require(doubles: bytes.map { ($0 + 7) / 8 },
                                     formula: "the Gram matrix (≈p(p+1)/2 numbers, p = d1·d2 = \(dense.rows * dense.cols), with build scratch) as",
                                     for: "the Gram matrix G of kernel \"gram\"", advice: "use kernel: \"rows\", which needs no memory beyond the ensemble's")
            if let refusal { throw .insufficientMemory(refusal) }
        }
        try dense.chargeGramBuild()
        return DenseNormalEquations(ensemble: dense, y: y, cancelled: cancelled)
    }

    /// The Gram route for an optimizer that runs outside ``run(from:optimizer:options:)``
    /// (`minimize`), chosen as that run chooses it (`normalEquations(kernel:steps:every:allowance:cancelled:)`);
    /// `nil` for the rows pass.
    public func gramRoute(kernel: StepKernel, steps: Int, every: Int, allowance: ((Double) -> String?)?,
                          cancelled: (() -> Bool)?) throws(SensingError) -> GramRoute? {
        guard let normal = try normalEquations(kernel: kernel, steps: steps, every: every, allowance: allowance, cancelled: cancelled) else {
            return nil
        }
        return try GramRoute(problem: self, normal: normal)
    }
}

/// A problem's loss and gradients through `G` (`DenseNormalEquations`), for the unrecorded
/// steps of an optimizer that runs outside the built-in model run:
///
///     vec(S) = (G vec(M) − b)/m,   ∇ⱼ from S (FactorModel.gradients(adjoint:)),
///     f̃ = (xᵀ(s − b) + c)/(c_f·m)   with its rounding bound β/(c_f·m)   (x = vec M, s = G x − b)
///
/// with `c_f` the model's ``FactorModel/lossDenominator``. `f̃` differs from the rows pass's loss
/// by at most the bound, so a run takes a step through `G` only while `f̃ ± bound` shows that none
/// of its stops (a tolerance, the blow-up limit) can be near, and the rows pass from the first
/// step where one may be; `S`, and so the gradients, agree with the rows pass's to rounding.
public final class GramRoute {
    private let problem: MatrixProblem
    private let normal: DenseNormalEquations
    /// `S`, `d₁×d₂`, rewritten at each evaluation.
    private var s: Matrix

    init(problem: MatrixProblem, normal: DenseNormalEquations) throws(SensingError) {
        self.problem = problem
        self.normal = normal
        self.s = try tensor { () throws(TensorError) in try Matrix(rows: problem.truth.rows, cols: problem.truth.cols) }
    }

    /// Whether a stop may be near a step whose loss estimate is `loss` ± `bound`: the estimate is
    /// not finite, `loss − bound` reaches the `tolerance`, or `loss + bound` passes the blow-up
    /// `limit`. Such a step, and every later one, takes the rows pass, whose exact loss the
    /// stops then compare.
    public static func stopMayBeNear(loss: Double, bound: Double, tolerance: Double?, limit: Double?) -> Bool {
        !loss.isFinite || tolerance.map { loss - bound <= $0 } == true || limit.map { loss + bound > $0 } == true
    }

    /// `f̃`, its bound and every factor's gradient at `model`, charged to the host's budget as one
    /// product with `G`; `nil` when an entry of `S` is not finite (the rows pass then reports it).
    public func lossAndGradients(_ model: FactorModel) throws(SensingError) -> (loss: Double, bound: Double, gradients: [Matrix])? {
        try problem.checkModel(model)
        let m = model.product()
        guard try normal.finiteAdjoint(m, into: &s, charging: problem.ensemble) else { return nil }
        let estimate = normal.lossEstimate(m, adjoint: s)
        return (estimate.sumSquares / model.lossDenominator, estimate.bound / model.lossDenominator, model.gradients(adjoint: s))
    }
}
