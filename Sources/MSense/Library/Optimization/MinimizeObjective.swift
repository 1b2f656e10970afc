import MSenseCore
import Sensing
import Tensor

/// The loss and gradients of one point of a `minimize` run: the loss `f` and `∇_{X_p} f` for
/// every parameter.
struct Evaluation {
    let loss: Double
    let gradients: [Matrix]
}

/// What `minimize` minimises.
///
/// - `function(f)`: a function written in the language of the parameters (in order), called
///   once per evaluation on traced values with one backward pass (as `grad`); with a
///   mini-batch, the batch's indices follow as one more argument (a list of numbers).
/// - `problem(P, model)`: the built-in loss of a factor model on a sensing problem of d₁×d₂
///   matrices, `Σᵢ rᵢ² / (c·m)` with its native gradients (`MatrixProblem.lossAndGradients`,
///   docs/sensing.md); with a mini-batch, the same loss over the batch's measurements only
///   (`m` replaced by the batch size `b`).
enum MinimizeObjective {
    case function(Value)
    case problem(MatrixProblem, FactorModel)

    /// `f` and its gradients at `values` (one per parameter), on `batch` when given.
    func evaluate(_ parameters: ParameterSet, batch: [Int]?, _ args: Arguments) throws -> Evaluation {
        switch self {
        case .function(let f):
            let extra: [Value] = batch.map { [.list(ScriptList($0.map { .number(Double($0)) }))] } ?? []
            let (loss, gradients) = try ScriptGradient.valueAndGradients(of: f, at: parameters.list, extra: extra, calling: args)
            return Evaluation(loss: loss, gradients: gradients.map { gradient in
                if case .matrix(let g) = gradient { return g }
                if case .number(let x) = gradient { return Matrix(column: [x]) }
                return Matrix(column: [.nan])
            })
        case .problem(let problem, let template):
            guard parameters.values.allSatisfy({ $0.elements.allSatisfy(\.isFinite) }) else {
                return Evaluation(loss: .nan, gradients: parameters.values)
            }
            let model = try Self.model(template, parameters.values)
            let measured = try batch.map { try problem.subset($0) } ?? problem
            let (loss, gradients) = try measured.lossAndGradients(model)
            return Evaluation(loss: loss, gradients: gradients)
        }
    }

    /// The Gram route of a problem objective's full-batch steps (``GramRoute``), chosen by
    /// `settings.kernel` as the built-in `gd` chooses it; nil for a function, a mini-batch or
    /// the rows pass. `cancelled` is polled while `G` is built.
    func gramRoute(_ settings: MinimizeSettings, _ args: Arguments, cancelled: @escaping () -> Bool) throws -> GramRoute? {
        guard case .problem(let problem, _) = self, settings.batch == nil else { return nil }
        return try problem.gramRoute(kernel: settings.kernel, steps: settings.steps, every: settings.every,
                                     allowance: { bytes in args.refusal(bytes, for: "the Gram matrix G of kernel \"gram\"") },
                                     cancelled: cancelled)
    }

    /// The loss estimate and gradients of a problem objective at `parameters` through `route`,
    /// with the estimate's rounding bound (``GramRoute``); nil for a function, a point that is
    /// not finite, or an `S` that is not (the rows pass then reports it).
    func evaluate(_ parameters: ParameterSet, through route: GramRoute) throws -> (Evaluation, bound: Double)? {
        guard case .problem(_, let template) = self,
              parameters.values.allSatisfy({ $0.elements.allSatisfy(\.isFinite) }) else { return nil }
        guard let (loss, bound, gradients) = try route.lossAndGradients(try Self.model(template, parameters.values)) else { return nil }
        return (Evaluation(loss: loss, gradients: gradients), bound)
    }

    /// `f(0)`, the blow-up guard's loss at the origin (``BlowupGuard``), on `batch` when given:
    /// for a problem the loss of `M = 0`, `Σᵢ yᵢ² / (c·m)`; for a function its value with every
    /// parameter 0 of its kind and shape, nil when that call fails (a loss undefined at 0 leaves
    /// the reference to `f(X₀)`).
    func lossAtOrigin(_ parameters: ParameterSet, batch: [Int]?, _ args: Arguments) throws -> Double? {
        switch self {
        case .function:
            let origin = ParameterSet(names: parameters.names, values: parameters.values.map { Matrix(uncheckedRows: $0.rows, cols: $0.cols, elements: [Double](repeating: 0, count: $0.count)) },
                                      isNumber: parameters.isNumber)
            return try? evaluate(origin, batch: batch, args).loss
        case .problem(let problem, let template):
            let measured = try batch.map { try problem.subset($0) } ?? problem
            return BlowupGuard.lossAtZero(measured.y, denominator: template.lossDenominator)
        }
    }

    /// `‖M − M*‖_F / ‖M*‖_F` (‖M‖_F when M* = 0) of a problem objective at `values`; nil for a function.
    func relativeError(_ values: [Matrix]) throws -> Double? {
        guard case .problem(let problem, let template) = self else { return nil }
        let m = try Self.model(template, values).product()
        let truth = problem.truth.matrix
        var squared = 0.0
        for (a, b) in zip(m.elements, truth.elements) { squared += (a - b) * (a - b) }
        let norm = truth.frobeniusNorm
        return norm > 0 ? squared.squareRoot() / norm : squared.squareRoot()
    }

    /// The model of `template`'s kind with `factors` (an optimizer's iterate).
    static func model(_ template: FactorModel, _ factors: [Matrix]) throws -> FactorModel {
        switch template.kind {
        case .symmetric: return try FactorModel.symmetric(factors[0])
        case .asymmetric: return try FactorModel.asymmetric(f: factors[0], g: factors[1])
        case .deep: return try FactorModel.deep(factors)
        case .adapted:
            guard let base = template.base else { throw ScriptError("the W0 + BA model has no W0") }
            return try FactorModel.adapted(base: base, b: factors[0], a: factors[1])
        }
    }

    /// How many samples a mini-batch is drawn from: the problem's `m`, or `samples` for a function.
    func population(samples: Int?) throws -> Int {
        switch self {
        case .problem(let problem, _):
            if let samples, samples != problem.ensemble.m {
                throw ScriptError("samples: \(samples) was given, but a problem's batches are drawn from its m = \(problem.ensemble.m) measurements",
                                  hint: "leave samples: out for a problem; it is for a function objective")
            }
            return problem.ensemble.m
        case .function:
            guard let samples else {
                throw ScriptError("a mini-batch of a function objective needs samples: n, the number of samples its indices are drawn from",
                                  hint: "e.g. minimize(f, init: …, batch: 32, samples: P.m); f then receives the batch's indices as its last argument")
            }
            return samples
        }
    }
}
