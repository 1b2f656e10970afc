import MSenseCore
import Sensing
import Tensor

// The sensing vocabulary's objects as scripts see them: opaque handles with read-only fields.
// Each wraps an immutable value from the `Sensing` module; methods are fields holding builtins.

/// A ground truth `Z*` (`type(Z) == "truth"`): fields `matrix`, `d`, `rank`, `eigs`, and the
/// method `best(k)` giving the best rank-k approximation `Z*ₖ`.
final class TruthObject: ScriptObject {
    let truth: GroundTruth
    init(_ truth: GroundTruth) { self.truth = truth }

    var typeName: String { "truth" }
    var fieldNames: [String] { ["matrix", "d", "rank", "eigs", "best"] }

    func field(named name: String) throws -> Value? {
        switch name {
        case "matrix": return .matrix(truth.matrix)
        case "d": return .number(Double(truth.d))
        case "rank": return .number(Double(truth.rank))
        case "eigs": return .list(truth.eigenvalues.map(Value.number))
        case "best":
            let truth = self.truth
            return .builtin(Builtin(name: "best", doc: "The best rank-k approximation Z*ₖ of this truth.",
                                    parameters: [Parameter("k")]) { args in
                .matrix(try truth.bestRankK(args.integer(0)))
            })
        default: return nil
        }
    }

    func describe() -> String {
        let eigs = truth.eigenvalues.prefix(max(truth.rank, 1)).map(Formatting.number).joined(separator: ", ")
        return "truth(d: \(truth.d), rank: \(truth.rank), eigs: [\(eigs)])"
    }
}

/// A measurement ensemble `𝒜` (`type(A) == "ensemble"`): fields `m`, `d`, `name`, and the
/// method `measure(Z)` giving the column of measurements `(⟨Aᵢ, Z⟩)ᵢ`.
final class EnsembleObject: ScriptObject {
    let ensemble: any SensingOperator
    init(_ ensemble: any SensingOperator) { self.ensemble = ensemble }

    var typeName: String { "ensemble" }
    var fieldNames: [String] { ["m", "d", "name", "storage", "measure"] }

    /// "float64" or "float32" for the packed ensembles; nil for the matrix-free ones.
    private var storage: String? { (ensemble as? PackedSymmetricOperator)?.storage.rawValue }

    func field(named name: String) throws -> Value? {
        switch name {
        case "storage": return storage.map(Value.string) ?? .nil
        case "m": return .number(Double(ensemble.m))
        case "d": return .number(Double(ensemble.d))
        case "name": return .string(ensemble.name)
        case "measure":
            let ensemble = self.ensemble
            return .builtin(Builtin(name: "measure", doc: "The measurements (⟨Sᵢ, Z⟩)ᵢ, Sᵢ = (Aᵢ + Aᵢᵀ)/2, of a d×d matrix Z, as an m×1 matrix: ⟨Aᵢ, Z⟩ for symmetric Z.",
                                    parameters: [Parameter("Z")]) { args in
                try Measure.apply(ensemble, to: args.matrix(0))
            })
        default: return nil
        }
    }

    func describe() -> String {
        "ensemble(\(ensemble.name), m: \(ensemble.m), d: \(ensemble.d)" + (storage == "float32" ? ", float32)" : ")")
    }
}

/// Applying an ensemble to a matrix, shared by `measure(A, Z)` and `A.measure(Z)`.
enum Measure {
    static func apply(_ ensemble: any SensingOperator, to z: Matrix) throws -> Value {
        guard z.rows == ensemble.d, z.cols == ensemble.d else {
            throw ScriptError("cannot measure a \(z.rows)×\(z.cols) matrix with \(withArticle(ensemble.name)) ensemble of \(ensemble.d)×\(ensemble.d) matrices")
        }
        return .matrix(Matrix(column: try ensemble.measure(z)))
    }
}

/// A sensing problem: truth, ensemble and measurement vector `y` (`type(P) == "problem"`).
final class ProblemObject: ScriptObject {
    let problem: SensingProblem
    init(_ problem: SensingProblem) { self.problem = problem }

    var typeName: String { "problem" }
    var fieldNames: [String] { ["truth", "ensemble", "y", "d", "m", "noise"] }

    func field(named name: String) throws -> Value? {
        switch name {
        case "truth": return .object(TruthObject(problem.truth))
        case "ensemble": return .object(EnsembleObject(problem.measurements))
        case "y": return .matrix(Matrix(column: problem.y))
        case "d": return .number(Double(problem.d))
        case "m": return .number(Double(problem.measurements.m))
        case "noise": return .number(problem.noise)
        default: return nil
        }
    }

    func describe() -> String {
        "problem(d: \(problem.d), rank: \(problem.truth.rank), \(problem.measurements.name), m: \(problem.measurements.m))"
    }
}

/// The result of `gd` or `glrl` (`type(run) == "run"`): the final `u`, its `trace`, the
/// detected `phases`, why it stopped (`stop`) and the last step.
final class RunObject: ScriptObject {
    let run: Run
    init(_ run: Run) { self.run = run }

    var typeName: String { "run" }
    var fieldNames: [String] { ["u", "trace", "phases", "stop", "steps", "loss", "rel_err"] }

    func field(named name: String) throws -> Value? {
        switch name {
        case "u": return .matrix(run.u)
        case "trace": return .object(TraceObject(run.trace))
        case "phases": return .list(run.phases.map(PhaseValue.make))
        case "stop": return .string(run.stopReason.rawValue)
        case "steps": return .number(Double(run.lastStep))
        case "loss": return lastValue(.loss)
        case "rel_err": return lastValue(.relativeError)
        default: return nil
        }
    }

    private func lastValue(_ column: TraceColumn) -> Value {
        run.trace.last(column).map(Value.number) ?? .nil
    }

    func describe() -> String {
        let learned = run.phases.compactMap { phase in phase.step.map { "rank \(phase.k) at \($0)" } }
        let loss = lastValue(.loss)
        return "run(\(run.lastStep) steps, stop: \(run.stopReason.rawValue), loss: \(Formatting.display(loss))"
            + (learned.isEmpty ? ")" : ", " + learned.joined(separator: ", ") + ")")
    }
}

/// A phase as a record: `{k, step, plateau, threshold}` (`step`/`plateau` are nil when rank k
/// was never learned).
enum PhaseValue {
    static func make(_ phase: Phase) -> Value {
        .record(["k": .number(Double(phase.k)),
                 "step": phase.step.map { .number(Double($0)) } ?? .nil,
                 "plateau": phase.plateau.map { .number(Double($0)) } ?? .nil,
                 "threshold": .number(phase.threshold)])
    }
}

/// An n-dimensional array loaded from a file (3-d and more; 0–2-d arrays load as numbers and
/// matrices): fields `shape` and `dtype`.
final class ArrayObject: ScriptObject {
    let array: NDArray
    let path: String
    init(_ array: NDArray, path: String) {
        self.array = array
        self.path = path
    }

    var typeName: String { "array" }
    var fieldNames: [String] { ["shape", "dtype"] }

    func field(named name: String) throws -> Value? {
        switch name {
        case "shape": return .list(array.shape.map { .number(Double($0)) })
        case "dtype": return .string(array.dtype.descr)
        default: return nil
        }
    }

    func describe() -> String { "array(shape: \(array.shape.map(String.init).joined(separator: "×")), from \(path))" }
}

/// A step-size schedule built by `step_decay`, `cosine` or `warmup`.
final class ScheduleObject: ScriptObject, @unchecked Sendable {
    // Safety: schedules built from numbers only hold values; none holds a script closure.
    let schedule: Schedule
    let text: String
    init(_ schedule: Schedule, text: String) {
        self.schedule = schedule
        self.text = text
    }

    var typeName: String { "schedule" }
    var fieldNames: [String] { ["at"] }

    func field(named name: String) throws -> Value? {
        guard name == "at" else { return nil }
        return .builtin(Builtin(name: "at", doc: "The step size at step t.", parameters: [Parameter("t")]) { [self] args in
            .number(try self.schedule.rate(at: args.integer(0)))
        })
    }

    func describe() -> String { text }
}
