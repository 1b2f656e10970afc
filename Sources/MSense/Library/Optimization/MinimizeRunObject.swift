import MSenseCore
import Sensing
import Tensor

/// The result of `minimize` (`type(run) == "run"`): `trace`, the final parameters as `params`
/// (a record by name), `factors` (a list, in order) and each by its name (`run.F`), `loss` (of
/// the last row), `stop_reason`, `last_step`, `optimizer`; for a problem objective also `model`,
/// `matrix` (the end-to-end `M`) and `rel_err`.
final class MinimizeRunObject: TabledScriptObject {
    let result: MinimizeResult
    init(_ result: MinimizeResult) { self.result = result }

    var typeName: String { "run" }

    static let fields = FieldTable<MinimizeRunObject>([
        "trace": { .object(TraceObject($0.result.trace)) },
        "params": { $0.result.parameters.record },
        "factors": { .list(ScriptList($0.result.parameters.list)) },
        "loss": { $0.result.trace.lastValue(.loss) },
        "stop_reason": { .string($0.result.stopReason.rawValue) },
        "last_step": { .number(Double($0.result.lastStep)) },
        "optimizer": { .object($0.result.optimizer) },
    ])

    /// The fields of a problem objective whose model is `template`: the model at the final
    /// parameters, its end-to-end matrix and the relative error.
    private static func problemFields(_ template: FactorModel) -> FieldTable<MinimizeRunObject> {
        FieldTable([
            "model": { .object(ModelObject(try MinimizeObjective.model(template, $0.result.parameters.values))) },
            "matrix": { .matrix(try MinimizeObjective.model(template, $0.result.parameters.values).product()) },
            "rel_err": { $0.result.trace.lastValue(.relativeError) },
        ])
    }

    /// ``fields``, a problem objective's fields, then each parameter by its name.
    var fieldTable: FieldTable<MinimizeRunObject> {
        let problem = if case .problem(_, let template) = result.objective { Self.problemFields(template) } else { FieldTable<MinimizeRunObject>([:]) }
        let names = result.parameters.names
        let own = Self.fields + problem
        return own + FieldTable(names.indices.filter { !own.names.contains(names[$0]) }.map { k in
            (name: names[k], get: { object in object.result.parameters.value(k) })
        })
    }

    func describe() -> String {
        let what: String = if case .problem(_, let template) = result.objective { template.kind.rawValue } else { result.parameters.names.joined(separator: ", ") }
        return "run(minimize \(what), \(result.optimizer.describe()), \(counted(result.lastStep, "step")), stop: \(result.stopReason.rawValue), loss: \(Formatting.display(result.trace.lastValue(.loss))))"
    }
}
