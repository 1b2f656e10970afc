import MSenseCore
import Sensing

/// A `gd` run's `metrics:` and `stop:` arguments as a ``RunWatch``: each metric is a script
/// function of the state `s`, evaluated at recorded steps and recorded as a trace column of its
/// name; `stop(s)` sees the same state with those columns. The first error a function raises
/// (or a metric that is not a number) stops the run and is thrown by ``rethrow()`` once the run
/// has returned.
///
/// `s` holds the row by column name (`s.step`, `s.loss`, `s.rel_err`, `s.grad_norm`, …, then the
/// metrics), the end-to-end matrix `s.M`, and the factors: `s.u` and the gradient `s.grad` (a
/// matrix) for `UUᵀ` runs; for a model run every factor by name (`s.F`, `s.G`; `s.W1`…; `s.B`,
/// `s.A`; `s.U`), `s.model`, and `s.grad` a record of the gradients by factor name (`s.grad.F`).
/// `s.params` is the record of the factors by name (`{u: U}` for `UUᵀ` runs), as `minimize`'s state has it.
final class RunWatchArgument {
    /// The state's own fields, which a metric may not be named after.
    static let stateFields = ["u", "grad", "params", "M", "model"]

    private let args: Arguments
    private let metrics: [(name: String, function: Value)]
    private let stop: StopPredicate?
    private var failure: Error?

    /// The watch of the `metrics` and `stop` arguments, or `nil` when both are `nil`.
    init?(_ args: Arguments) throws {
        switch args["metrics"] {
        case .nil: metrics = []
        case .record(let record):
            metrics = try zip(record.names, record.values).map { name, function in
                switch function {
                case .function, .builtin:
                    try args.requireCallable(function, with: 1, role: "metric '\(name)'", passed: "the run's state s",
                                             hint: "metrics: {name: fn(s) => …}, e.g. {gap: fn(s) => norm(s.M - s.model.matrix)}")
                default: throw ScriptError("metric '\(name)' must be a function of the run's state, not \(function.typeName)",
                                           hint: "metrics: {name: fn(s) => …}, e.g. {gap: fn(s) => norm(s.M - s.model.matrix)}")
                }
                if Self.stateFields.contains(name) {
                    throw ScriptError("metric '\(name)' has the name of a field of the run's state (\(Self.stateFields.joined(separator: ", ")))",
                                      hint: "give the metric another name")
                }
                return (name, function)
            }
        default:
            throw ScriptError("metrics must be a record of functions, not \(args["metrics"].typeName)",
                              hint: "metrics: {name: fn(s) => …}; each becomes a trace column")
        }
        stop = try StopPredicate(args)
        if metrics.isEmpty, stop == nil { return nil }
        self.args = args
    }

    /// The ``RunWatch`` the run calls.
    var watch: RunWatch {
        RunWatch(metricNames: metrics.map(\.name), metrics: { [self] state in evaluate(state) },
                 stop: { [self] state in failure != nil || stop?.shouldStop(Self.record(state)) == true })
    }

    /// A metric's value is one trace column entry: a matrix is named with its shape and the
    /// reductions that give one number (`gd`'s metrics and `minimize`'s).
    static func notANumber(_ name: String, _ value: Value) -> ScriptError {
        guard case .matrix(let m) = value else {
            return ScriptError("metric '\(name)' must return a number, not \(withArticle(value.typeName))")
        }
        let hint = m.rows == 1 && m.cols == 1
            ? "a 1×1 matrix is not a number: take its entry, x[0, 0]"
            : "a trace column holds one number a row: reduce the matrix, e.g. norm(x), max(x), sum(x) or x[0, 0]"
        return ScriptError("metric '\(name)' must return a number, not a \(m.rows)×\(m.cols) matrix", hint: hint)
    }

    private func evaluate(_ state: RunState) -> [Double] {
        guard failure == nil, !metrics.isEmpty else { return metrics.map { _ in .nan } }
        let s = Self.record(state)
        var values: [Double] = []
        for (name, function) in metrics {
            do {
                let value = try args.call(function, [s])
                guard case .number(let x) = value else {
                    failure = Self.notANumber(name, value)
                    return metrics.map { _ in .nan }
                }
                values.append(x)
            } catch {
                failure = error
                return metrics.map { _ in .nan }
            }
        }
        return values
    }

    /// Throws the first failure of a metric or of the stop predicate.
    func rethrow() throws {
        if let failure { throw failure }
        try stop?.rethrow()
    }

    /// The state `s` as a script record.
    static func record(_ state: RunState) -> Value {
        var names = state.columns
        var values = state.values.map(Value.number)
        if let model = state.model {
            names += model.factorNames + ["params", "grad", "M", "model"]
            values += model.factors.map(Value.matrix)
            values.append(.record(ScriptRecord(names: model.factorNames, values: model.factors.map(Value.matrix))))
            values.append(.record(ScriptRecord(names: model.factorNames, values: state.gradients.map(Value.matrix))))
            values += [.matrix(state.product), .object(ModelObject(model))]
        } else {
            names += ["u", "params", "grad", "M"]
            values += [.matrix(state.factors[0]), .record(ScriptRecord(names: ["u"], values: [.matrix(state.factors[0])])),
                       .matrix(state.gradients[0]), .matrix(state.product)]
        }
        return .record(ScriptRecord(names: names, values: values))
    }
}
