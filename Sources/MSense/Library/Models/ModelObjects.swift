import Sensing
import Tensor

// The objects of the factor models as scripts see them: truths, ensembles and problems of
// d₁×d₂ matrices, models (lists of factors) and model runs. Each wraps an immutable Sensing value.

/// A ground truth `M*` of any shape (`type(M) == "truth"`): fields `matrix`, `d1`, `d2`, `rank`,
/// `svals` and the method `best(k)` (the best rank-k truncation `M*ₖ`).
final class MatrixTruthObject: TabledScriptObject {
    let truth: MatrixTruth
    init(_ truth: MatrixTruth) { self.truth = truth }

    var typeName: String { "truth" }

    static let fields = FieldTable<MatrixTruthObject>([
        "matrix": { .matrix($0.truth.matrix) },
        "d1": { .number(Double($0.truth.rows)) },
        "d2": { .number(Double($0.truth.cols)) },
        "rank": { .number(Double($0.truth.rank)) },
        "svals": { .list($0.truth.singularValues.map(Value.number)) },
        "best": { object in
            let truth = object.truth
            return .builtin(Builtin(name: "best", doc: "The best rank-k approximation M*ₖ (SVD truncation) of this truth.",
                                    parameters: [Parameter("k")]) { args in
                .matrix(try truth.bestRankK(args.integer("k")))
            })
        },
    ])

    func describe() -> String {
        let svals = truth.singularValues.prefix(max(truth.rank, 1)).map(Formatting.number).joined(separator: ", ")
        return "truth(\(truth.rows)×\(truth.cols), rank: \(truth.rank), svals: [\(svals)])"
    }
}

/// An ensemble of `d₁×d₂` measurement matrices (`type(A) == "ensemble"`): fields `m`, `d1`,
/// `d2`, `name`, and the methods `measure(M)` (`(⟨Aᵢ, M⟩)ᵢ`) and `adjoint(w)` (`(1/m) Σ wᵢAᵢ`).
final class MatrixEnsembleObject: TabledScriptObject {
    let ensemble: any MatrixEnsemble
    init(_ ensemble: any MatrixEnsemble) { self.ensemble = ensemble }

    var typeName: String { "ensemble" }

    static let fields = FieldTable<MatrixEnsembleObject>([
        "m": { .number(Double($0.ensemble.m)) },
        "d1": { .number(Double($0.ensemble.rows)) },
        "d2": { .number(Double($0.ensemble.cols)) },
        "name": { .string($0.ensemble.name) },
        "measure": { object in
            let ensemble = object.ensemble
            return .builtin(Builtin(name: "measure", doc: "The measurements (⟨Aᵢ, M⟩)ᵢ of a d₁×d₂ matrix M, as an m×1 matrix.",
                                    parameters: [Parameter("M")]) { args in
                try Measure(ensemble).apply(to: args.matrix("M"))
            })
        },
        "adjoint": { object in
            let ensemble = object.ensemble
            return .builtin(Builtin(name: "adjoint", doc: "(1/m) Σᵢ wᵢ Aᵢ for m weights w (a list or vector), a d₁×d₂ matrix.",
                                    parameters: [Parameter("w")]) { args in
                let w = try SensingLibrary.numbers(args["w"], "w")
                return .matrix(try ensemble.adjoint(w))
            })
        },
    ])

    func describe() -> String { "ensemble(\(ensemble.name), m: \(ensemble.m), \(ensemble.rows)×\(ensemble.cols))" }
}

/// A sensing problem on `d₁×d₂` matrices (`type(P) == "problem"`): fields `truth`, `ensemble`,
/// `y`, `d1`, `d2`, `m`, `noise`, `outliers` (the corrupted measurements, 0-based).
final class MatrixProblemObject: TabledScriptObject {
    let problem: MatrixProblem
    init(_ problem: MatrixProblem) { self.problem = problem }

    var typeName: String { "problem" }

    static let fields = FieldTable<MatrixProblemObject>([
        "truth": { .object(MatrixTruthObject($0.problem.truth)) },
        "ensemble": { .object(MatrixEnsembleObject($0.problem.ensemble)) },
        "y": { .matrix(Matrix(column: $0.problem.y)) },
        "d1": { .number(Double($0.problem.truth.rows)) },
        "d2": { .number(Double($0.problem.truth.cols)) },
        "m": { .number(Double($0.problem.ensemble.m)) },
        "noise": { .number($0.problem.noise) },
        "outliers": { .list($0.problem.outliers.map { .number(Double($0)) }) },
    ])

    func describe() -> String {
        "problem(\(problem.truth.rows)×\(problem.truth.cols), rank: \(problem.truth.rank), \(problem.ensemble.name), m: \(problem.ensemble.m)"
            + (problem.noise > 0 ? ", noise: \(Formatting.number(problem.noise))" : "")
            + (problem.outliers.isEmpty ? "" : ", outliers: \(problem.outliers.count)") + ")"
    }
}

/// A factor model (`type(x) == "model"`): fields `kind`, `factors` (list), `matrix` (the
/// end-to-end `M`), `depth`, and each factor by name (``FactorFields``).
final class ModelObject: TabledScriptObject {
    let model: FactorModel
    init(_ model: FactorModel) { self.model = model }

    var typeName: String { "model" }

    static let fields = FieldTable<ModelObject>([
        "kind": { .string($0.model.kind.rawValue) },
        "factors": { .list($0.model.factors.map(Value.matrix)) },
        "matrix": { .matrix($0.model.product()) },
        "depth": { .number(Double($0.model.factors.count)) },
    ])

    var fieldTable: FieldTable<ModelObject> { Self.fields + FactorFields.table(model) }

    func describe() -> String {
        let shapes = zip(model.factorNames, model.factors).map { "\($0) \($1.rows)×\($1.cols)" }.joined(separator: ", ")
        return "model(\(model.kind.rawValue), \(model.rows)×\(model.cols): \(shapes))"
    }
}

/// The per-factor fields of a model, shared by models, model runs and a failed run's partial
/// result: each factor by its name (`U`; `F`, `G`; `B`, `A` and the fixed `W0`), or for a deep
/// model the list `W` of its factors.
enum FactorFields {
    /// Each field's name and value, in order.
    static func of(_ model: FactorModel) -> [(name: String, value: Value)] {
        switch model.kind {
        case .deep: [("W", .list(model.factors.map(Value.matrix)))]
        default: zip(model.factorNames, model.factors).map { ($0, .matrix($1)) } + (model.base.map { [("W0", .matrix($0))] } ?? [])
        }
    }

    /// The fields as a table for an object holding `model`.
    static func table<Object>(_ model: FactorModel) -> FieldTable<Object> {
        FieldTable(of(model).map { field in (name: field.name, get: { _ in field.value }) })
    }
}

/// The result of `gd` on a factor model (`type(run) == "run"`): the final `model`, every factor
/// (`factors`, and by name as on the model), the end-to-end `matrix`, `trace`, `phases` (on the
/// singular values), `stop`, `steps`, and the last `loss` and `rel_err`.
final class ModelRunObject: TabledScriptObject {
    let run: ModelRunResult
    init(_ run: ModelRunResult) { self.run = run }

    var typeName: String { "run" }

    static let fields = FieldTable<ModelRunObject>([
        "model": { .object(ModelObject($0.run.model)) },
        "factors": { .list($0.run.model.factors.map(Value.matrix)) },
        "matrix": { .matrix($0.run.model.product()) },
    ]) + RunFields.table { $0.run }

    var fieldTable: FieldTable<ModelRunObject> { Self.fields + FactorFields.table(run.model) }

    func describe() -> String { "run(\(run.model.kind.rawValue), " + RunFields.summary(run) }
}
