import MSenseCore
import Sensing

/// The result of `minimize` (`type(run) == "run"`): `trace`, the final parameters as `params`
/// (a record by name), `factors` (a list, in order) and each by its name (`run.F`), `loss` (of
/// the last row), `stop_reason`, `last_step`, `optimizer`; for a problem objective also `model`,
/// `matrix` (the end-to-end `M`) and `rel_err`.
final class MinimizeRunObject: ScriptObject {
    let result: MinimizeResult
    init(_ result: MinimizeResult) { self.result = result }

    private static let fixed = ["trace", "params", "factors", "loss", "stop_reason", "last_step", "optimizer"]
    private static let problemFields = ["model", "matrix", "rel_err"]

    var typeName: String { "run" }
    var fieldNames: [String] {
        let problem: [String] = if case .problem = result.objective { Self.problemFields } else { [] }
        let own = Self.fixed + problem
        return own + result.parameters.names.filter { !own.contains($0) }
    }

    func field(named name: String) throws -> Value? {
        let parameters = result.parameters
        switch name {
        case "trace": return .object(TraceObject(result.trace))
        case "params": return parameters.record
        case "factors": return .list(ScriptList(parameters.list))
        case "loss": return lastValue("loss")
        case "stop_reason": return .string(result.stopReason.rawValue)
        case "last_step": return .number(Double(result.lastStep))
        case "optimizer": return .object(result.optimizer)
        default: break
        }
        if case .problem(_, let template) = result.objective, Self.problemFields.contains(name) {
            let model = try MinimizeObjective.model(template, parameters.values)
            switch name {
            case "model": return .object(ModelObject(model))
            case "matrix": return .matrix(model.product())
            default: return lastValue("rel_err")
            }
        }
        return parameters.names.firstIndex(of: name).map(parameters.value)
    }

    private func lastValue(_ column: String) -> Value {
        guard let j = result.trace.columns.firstIndex(of: column), let row = result.trace.rows.last else { return .nil }
        return .number(row[j])
    }

    func describe() -> String {
        let what: String = if case .problem(_, let template) = result.objective { template.kind.rawValue } else { result.parameters.names.joined(separator: ", ") }
        return "run(minimize \(what), \(result.optimizer.describe()), \(result.lastStep) steps, stop: \(result.stopReason.rawValue), loss: \(Formatting.display(lastValue("loss"))))"
    }
}
