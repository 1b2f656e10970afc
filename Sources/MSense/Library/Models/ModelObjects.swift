import Sensing
import Tensor

// The objects of the factor models as scripts see them: truths, ensembles and problems of
// d₁×d₂ matrices, models (lists of factors) and model runs. Each wraps an immutable Sensing value.

/// A ground truth `M*` of any shape (`type(M) == "truth"`): fields `matrix`, `d1`, `d2`, `rank`,
/// `svals` and the method `best(k)` (the best rank-k truncation `M*ₖ`).
final class MatrixTruthObject: ScriptObject {
    let truth: MatrixTruth
    init(_ truth: MatrixTruth) { self.truth = truth }

    var typeName: String { "truth" }
    var fieldNames: [String] { ["matrix", "d1", "d2", "rank", "svals", "best"] }

    func field(named name: String) throws -> Value? {
        switch name {
        case "matrix": return .matrix(truth.matrix)
        case "d1": return .number(Double(truth.rows))
        case "d2": return .number(Double(truth.cols))
        case "rank": return .number(Double(truth.rank))
        case "svals": return .list(truth.singularValues.map(Value.number))
        case "best":
            let truth = self.truth
            return .builtin(Builtin(name: "best", doc: "The best rank-k approximation M*ₖ (SVD truncation) of this truth.",
                                    parameters: [Parameter("k")]) { args in
                .matrix(try truth.bestRankK(args.integer(0)))
            })
        default: return nil
        }
    }

    func describe() -> String {
        let svals = truth.singularValues.prefix(max(truth.rank, 1)).map(Formatting.number).joined(separator: ", ")
        return "truth(\(truth.rows)×\(truth.cols), rank: \(truth.rank), svals: [\(svals)])"
    }
}

/// An ensemble of `d₁×d₂` measurement matrices (`type(A) == "ensemble"`): fields `m`, `d1`,
/// `d2`, `name`, and the methods `measure(M)` (`(⟨Aᵢ, M⟩)ᵢ`) and `adjoint(w)` (`(1/m) Σ wᵢAᵢ`).
final class MatrixEnsembleObject: ScriptObject {
    let ensemble: any MatrixEnsemble
    init(_ ensemble: any MatrixEnsemble) { self.ensemble = ensemble }

    var typeName: String { "ensemble" }
    var fieldNames: [String] { ["m", "d1", "d2", "name", "measure", "adjoint"] }

    func field(named name: String) throws -> Value? {
        let ensemble = self.ensemble
        switch name {
        case "m": return .number(Double(ensemble.m))
        case "d1": return .number(Double(ensemble.rows))
        case "d2": return .number(Double(ensemble.cols))
        case "name": return .string(ensemble.name)
        case "measure":
            return .builtin(Builtin(name: "measure", doc: "The measurements (⟨Aᵢ, M⟩)ᵢ of a d₁×d₂ matrix M, as an m×1 matrix.",
                                    parameters: [Parameter("M")]) { args in
                try MatrixMeasure.apply(ensemble, to: args.matrix(0))
            })
        case "adjoint":
            return .builtin(Builtin(name: "adjoint", doc: "(1/m) Σᵢ wᵢ Aᵢ for m weights w (a list or vector), a d₁×d₂ matrix.",
                                    parameters: [Parameter("w")]) { args in
                let w = try SensingLibrary.numbers(args[0], "w")
                return .matrix(try ensemble.adjoint(w))
            })
        default: return nil
        }
    }

    func describe() -> String { "ensemble(\(ensemble.name), m: \(ensemble.m), \(ensemble.rows)×\(ensemble.cols))" }
}

/// Measuring a matrix with a `d₁×d₂` ensemble, shared by `measure(A, M)` and `A.measure(M)`.
enum MatrixMeasure {
    static func apply(_ ensemble: any MatrixEnsemble, to x: Matrix) throws -> Value {
        guard x.rows == ensemble.rows, x.cols == ensemble.cols else {
            throw ScriptError("cannot measure a \(x.rows)×\(x.cols) matrix with \(withArticle(ensemble.name)) ensemble of \(ensemble.rows)×\(ensemble.cols) matrices")
        }
        return .matrix(Matrix(column: try ensemble.apply(x)))
    }
}

/// A sensing problem on `d₁×d₂` matrices (`type(P) == "problem"`): fields `truth`, `ensemble`,
/// `y`, `d1`, `d2`, `m`, `noise`, `outliers` (the corrupted measurements, 0-based).
final class MatrixProblemObject: ScriptObject {
    let problem: MatrixProblem
    init(_ problem: MatrixProblem) { self.problem = problem }

    var typeName: String { "problem" }
    var fieldNames: [String] { ["truth", "ensemble", "y", "d1", "d2", "m", "noise", "outliers"] }

    func field(named name: String) throws -> Value? {
        switch name {
        case "truth": return .object(MatrixTruthObject(problem.truth))
        case "ensemble": return .object(MatrixEnsembleObject(problem.ensemble))
        case "y": return .matrix(Matrix(column: problem.y))
        case "d1": return .number(Double(problem.truth.rows))
        case "d2": return .number(Double(problem.truth.cols))
        case "m": return .number(Double(problem.ensemble.m))
        case "noise": return .number(problem.noise)
        case "outliers": return .list(problem.outliers.map { .number(Double($0)) })
        default: return nil
        }
    }

    func describe() -> String {
        "problem(\(problem.truth.rows)×\(problem.truth.cols), rank: \(problem.truth.rank), \(problem.ensemble.name), m: \(problem.ensemble.m))"
    }
}

/// A factor model (`type(x) == "model"`): fields `kind`, `factors` (list), `matrix` (the
/// end-to-end `M`), `depth`, and each factor by name (`U`; `F`, `G`; `W` as a list; `B`, `A`, `W0`).
final class ModelObject: ScriptObject {
    let model: FactorModel
    init(_ model: FactorModel) { self.model = model }

    var typeName: String { "model" }
    var fieldNames: [String] { ["kind", "factors", "matrix", "depth"] + ModelFields.names(model) }

    func field(named name: String) throws -> Value? {
        switch name {
        case "kind": return .string(model.kind.rawValue)
        case "factors": return .list(model.factors.map(Value.matrix))
        case "matrix": return .matrix(model.product())
        case "depth": return .number(Double(model.factors.count))
        default: return ModelFields.value(model, name)
        }
    }

    func describe() -> String { ModelFields.describe(model) }
}

/// The per-factor fields shared by models and model runs.
enum ModelFields {
    static func names(_ model: FactorModel) -> [String] {
        switch model.kind {
        case .deep: ["W"]
        case .adapted: ["B", "A", "W0"]
        default: model.factorNames
        }
    }

    static func value(_ model: FactorModel, _ name: String) -> Value? {
        if model.kind == .deep { return name == "W" ? .list(model.factors.map(Value.matrix)) : nil }
        if model.kind == .adapted, name == "W0" { return model.base.map(Value.matrix) }
        return model.factorNames.firstIndex(of: name).map { .matrix(model.factors[$0]) }
    }

    static func describe(_ model: FactorModel) -> String {
        let shapes = zip(model.factorNames, model.factors).map { "\($0) \($1.rows)×\($1.cols)" }.joined(separator: ", ")
        return "model(\(model.kind.rawValue), \(model.rows)×\(model.cols): \(shapes))"
    }
}

/// The result of `gd` on a factor model (`type(run) == "run"`): the final `model`, every factor
/// (`factors`, and by name as on the model), the end-to-end `matrix`, `trace`, `phases` (on the
/// singular values), `stop`, `steps`, and the last `loss` and `rel_err`.
final class ModelRunObject: ScriptObject {
    let run: ModelRunResult
    init(_ run: ModelRunResult) { self.run = run }

    var typeName: String { "run" }
    var fieldNames: [String] {
        ["model", "factors", "matrix", "trace", "phases", "stop", "steps", "loss", "rel_err"] + ModelFields.names(run.model)
    }

    func field(named name: String) throws -> Value? {
        switch name {
        case "model": return .object(ModelObject(run.model))
        case "factors": return .list(run.model.factors.map(Value.matrix))
        case "matrix": return .matrix(run.model.product())
        case "trace": return .object(TraceObject(run.trace))
        case "phases": return .list(run.phases.map(PhaseValue.make))
        case "stop": return .string(run.stopReason.rawValue)
        case "steps": return .number(Double(run.lastStep))
        case "loss", "rel_err":
            guard let j = run.trace.columns.firstIndex(of: name), let row = run.trace.rows.last else { return .nil }
            return .number(row[j])
        default: return ModelFields.value(run.model, name)
        }
    }

    func describe() -> String {
        let learned = run.phases.compactMap { phase in phase.step.map { "rank \(phase.k) at \($0)" } }
        let loss: Value = run.trace.rows.last.map { .number($0[1]) } ?? .nil
        return "run(\(run.model.kind.rawValue), \(run.lastStep) steps, stop: \(run.stopReason.rawValue), loss: \(Formatting.display(loss))"
            + (learned.isEmpty ? ")" : ", " + learned.joined(separator: ", ") + ")")
    }
}
