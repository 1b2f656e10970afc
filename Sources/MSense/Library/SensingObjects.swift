import MSenseCore
import Sensing
import Tensor

// The sensing vocabulary's objects as scripts see them: opaque handles with read-only fields,
// each object's fields declared once in its `FieldTable`. Each wraps an immutable value from
// the `Sensing` module; methods are fields holding builtins.

/// A ground truth `Z*` (`type(Z) == "truth"`): fields `matrix`, `d`, `rank`, `eigs`, and the
/// method `best(k)` giving the best rank-k approximation `Z*ₖ`.
final class TruthObject: TabledScriptObject {
    let truth: GroundTruth
    init(_ truth: GroundTruth) { self.truth = truth }

    var typeName: String { "truth" }

    static let fields = FieldTable<TruthObject>([
        "matrix": { .matrix($0.truth.matrix) },
        "d": { .number(Double($0.truth.d)) },
        "rank": { .number(Double($0.truth.rank)) },
        "eigs": { .list($0.truth.eigenvalues.map(Value.number)) },
        "best": { object in
            let truth = object.truth
            return .builtin(Builtin(name: "best", doc: "The best rank-k approximation Z*ₖ of this truth.",
                                    parameters: [Parameter("k")]) { args in
                .matrix(try truth.bestRankK(args.integer("k")))
            })
        },
    ])

    func describe() -> String {
        let eigs = truth.eigenvalues.prefix(max(truth.rank, 1)).map(Formatting.number).joined(separator: ", ")
        return "truth(d: \(truth.d), rank: \(truth.rank), eigs: [\(eigs)])"
    }
}

/// A measurement ensemble `𝒜` (`type(A) == "ensemble"`): fields `m`, `d`, `name`, `storage`,
/// and the method `measure(Z)` giving the column of measurements `(⟨Aᵢ, Z⟩)ᵢ`.
final class EnsembleObject: TabledScriptObject {
    let ensemble: any SensingOperator
    init(_ ensemble: any SensingOperator) { self.ensemble = ensemble }

    var typeName: String { "ensemble" }

    /// "float64" or "float32" for the packed ensembles; nil for the matrix-free ones.
    private var storage: String? { (ensemble as? PackedSymmetricOperator)?.storage.rawValue }

    static let fields = FieldTable<EnsembleObject>([
        "m": { .number(Double($0.ensemble.m)) },
        "d": { .number(Double($0.ensemble.d)) },
        "name": { .string($0.ensemble.name) },
        "storage": { $0.storage.map(Value.string) ?? .nil },
        "measure": { object in
            let ensemble = object.ensemble
            return .builtin(Builtin(name: "measure", doc: "The measurements (⟨Sᵢ, Z⟩)ᵢ, Sᵢ = (Aᵢ + Aᵢᵀ)/2, of a d×d matrix Z, as an m×1 matrix: ⟨Aᵢ, Z⟩ for symmetric Z.",
                                    parameters: [Parameter("Z")]) { args in
                try Measure(ensemble).apply(to: args.matrix("Z"))
            })
        },
    ])

    func describe() -> String {
        "ensemble(\(ensemble.name), m: \(ensemble.m), d: \(ensemble.d)" + (storage == "float32" ? ", float32)" : ")")
    }
}

/// A sensing problem: truth, ensemble and measurement vector `y` (`type(P) == "problem"`).
final class ProblemObject: TabledScriptObject {
    let problem: SensingProblem
    init(_ problem: SensingProblem) { self.problem = problem }

    var typeName: String { "problem" }

    static let fields = FieldTable<ProblemObject>([
        "truth": { .object(TruthObject($0.problem.truth)) },
        "ensemble": { .object(EnsembleObject($0.problem.measurements)) },
        "y": { .matrix(Matrix(column: $0.problem.y)) },
        "d": { .number(Double($0.problem.d)) },
        "m": { .number(Double($0.problem.measurements.m)) },
        "noise": { .number($0.problem.noise) },
    ])

    func describe() -> String {
        "problem(d: \(problem.d), rank: \(problem.truth.rank), \(problem.measurements.name), m: \(problem.measurements.m)"
            + (problem.noise > 0 ? ", noise: \(Formatting.number(problem.noise))" : "") + ")"
    }
}

/// The result of `gd` or `glrl` (`type(run) == "run"`): the final `u`, its `trace`, the
/// detected `phases`, why it stopped (`stop`), the last step, and the last row's `loss` and
/// `rel_err`.
final class RunObject: TabledScriptObject {
    let run: Run
    init(_ run: Run) { self.run = run }

    var typeName: String { "run" }

    static let fields = FieldTable<RunObject>([
        "u": { .matrix($0.run.u) },
    ]) + RunFields.table { $0.run }

    func describe() -> String { "run(" + RunFields.summary(run) }
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
final class ArrayObject: TabledScriptObject {
    let array: NDArray
    let path: String
    init(_ array: NDArray, path: String) {
        self.array = array
        self.path = path
    }

    var typeName: String { "array" }

    static let fields = FieldTable<ArrayObject>([
        "shape": { .list($0.array.shape.map { .number(Double($0)) }) },
        "dtype": { .string($0.array.dtype.descr) },
    ])

    func describe() -> String { "array(shape: \(array.shape.map(String.init).joined(separator: "×")), from \(path))" }
}

/// A step-size schedule built by `step_decay`, `cosine` or `warmup`.
final class ScheduleObject: TabledScriptObject, @unchecked Sendable {
    // Safety: schedules built from numbers only hold values; none holds a script closure.
    let schedule: Schedule
    let text: String
    init(_ schedule: Schedule, text: String) {
        self.schedule = schedule
        self.text = text
    }

    var typeName: String { "schedule" }

    static let fields = FieldTable<ScheduleObject>([
        "at": { object in
            .builtin(Builtin(name: "at", doc: "The step size at step t.", parameters: [Parameter("t")]) { args in
                .number(try object.schedule.rate(at: args.integer("t")))
            })
        },
    ])

    func describe() -> String { text }
}
