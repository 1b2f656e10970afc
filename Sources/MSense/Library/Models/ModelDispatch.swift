import Sensing
import Tensor

/// Where the shared sensing builtins (`sensing`, `measure`, `loss`, `gradient`, `gd`) hand over
/// to the factor models: each function returns `nil` when its arguments are the symmetric
/// vocabulary's (a PSD truth with a symmetric ensemble, a matrix `U`), so that path is unchanged.
enum ModelDispatch {
    /// `sensing(truth, A, y:, noise:)` with a truth of any shape or a d₁×d₂ ensemble.
    static func problem(_ args: Arguments, random: RandomState) throws -> Value? {
        let truthIsMatrixTruth: Bool = if case .object(_ as MatrixTruthObject) = args[0] { true } else { false }
        guard case .object(let o as MatrixEnsembleObject) = args[1] else {
            if truthIsMatrixTruth {
                throw ScriptError("a truth from lowrank, indefinite or matrix_truth needs an ensemble of d1×d2 matrices, not \(args[1].typeName == "ensemble" ? "a symmetric ensemble" : args[1].typeName)",
                                  hint: "use iid_gaussian, rank_one_pairs, hadamard, sample_entries, bernoulli_entries, observe_all, given_entries or given_stack")
            }
            return nil
        }
        let ensemble = o.ensemble
        let truth: MatrixTruth
        switch args[0] {
        case .object(let t as MatrixTruthObject): truth = t.truth
        case .object(let t as TruthObject): truth = try MatrixTruth(matrix: t.truth.matrix)
        case .matrix(let m): truth = try MatrixTruth(matrix: m)
        default: throw ScriptError("expected a truth (from lowrank, indefinite, matrix_truth or psd) or a matrix, got \(args[0].typeName)")
        }
        if case .nil = args[2] {
            let noise = try args.number(3)
            return .object(MatrixProblemObject(try random.draw { rng in try MatrixProblem(truth: truth, ensemble: ensemble, noise: noise, rng: &rng) }))
        }
        let y = try SensingLibrary.numbers(args[2], "y")
        return .object(MatrixProblemObject(try MatrixProblem(truth: truth, ensemble: ensemble, y: y)))
    }

    /// `measure(A, M)` with a d₁×d₂ ensemble.
    static func measure(_ args: Arguments) throws -> Value? {
        guard case .object(let o as MatrixEnsembleObject) = args[0] else { return nil }
        return try MatrixMeasure.apply(o.ensemble, to: args.matrix(1))
    }

    /// The model of a factor argument: a model object, or a matrix `U` read as `UUᵀ`.
    static func model(_ value: Value) throws -> FactorModel {
        switch value {
        case .object(let o as ModelObject): return o.model
        case .matrix(let u): return try FactorModel.symmetric(u)
        default: throw ScriptError("expected a model (sym, asym, deep, lora, deep_init, …) or a matrix U, got \(value.typeName)")
        }
    }

    /// The `problem` argument when it is on d₁×d₂ matrices (its model or matrix is argument
    /// `model`); nil for a symmetric problem with a matrix, an error for one with a model.
    static func matrixProblem(_ args: Arguments, model: String) throws -> MatrixProblem? {
        if case .object(let o as MatrixProblemObject) = args["problem"] { return o.problem }
        if case .object(let m as ModelObject) = args[model] {
            throw ScriptError("the \(m.model.kind.rawValue) model needs a problem on d1×d2 matrices, but this problem's ensemble measures symmetric matrices",
                              hint: m.model.kind == .symmetric ? "pass the matrix U itself, or make the problem with an ensemble such as iid_gaussian(m, d, d)"
                                  : "make it with sensing(truth, A) and an ensemble such as iid_gaussian(m, d1, d2)")
        }
        return nil
    }

    /// `loss(problem, model)`: `Σᵢ rᵢ² / (c·m)`, `c` = 4 for UUᵀ and 2 otherwise.
    static func loss(_ args: Arguments) throws -> Value? {
        guard let problem = try matrixProblem(args, model: "U") else { return nil }
        let model = try model(args["U"])
        return .number(try problem.lossAndGradients(model).loss)
    }

    /// `gradient(problem, model)`: the list of per-factor gradients (a matrix for a plain `U`).
    static func gradient(_ args: Arguments) throws -> Value? {
        guard let problem = try matrixProblem(args, model: "U") else { return nil }
        let model = try model(args["U"])
        let grads = try problem.lossAndGradients(model).gradients
        if case .matrix = args["U"] { return .matrix(grads[0]) }
        return .list(grads.map(Value.matrix))
    }
}
