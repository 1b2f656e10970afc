import Autodiff
import MSenseCore
import Sensing
import Tensor

/// An optimizer value at work in one `minimize` run: its state (step counts, buffers, a custom
/// rule's record), how it turns the current point's gradients into the next point, and its
/// state as a checkpoint's arrays.
///
/// - a built-in rule updates every parameter at once from the gradients at the current point,
///   through one ``GradientOptimizer`` (`η_t` from the schedule when `lr` is one);
/// - `alternating(rule)` keeps one ``GradientOptimizer`` per parameter and, within a step,
///   updates parameter 1 from the gradient at the current point, re-evaluates the objective (on
///   the same mini-batch), updates parameter 2, and so on;
/// - a custom rule calls `step(params, grads, state, t)` with `t` = the number of this update.
struct RunningOptimizer {
    let spec: OptimizerObject
    private var optimizers: [GradientOptimizer] = []
    private var customState: [(name: String, value: Value)] = []
    private var customUpdates = 0

    /// The optimizer at step 0 for `parameters` (a custom rule's `init` is called here).
    init(_ spec: OptimizerObject, parameters: ParameterSet, _ args: Arguments) throws {
        self.spec = spec
        switch spec.rule {
        case let .builtin(update, _, lambda, clip):
            let one = try GradientOptimizer(rule: update, weightDecay: lambda, clipNorm: clip)
            optimizers = Array(repeating: one, count: spec.alternating ? parameters.names.count : 1)
        case let .custom(name, initial, _):
            customState = try Self.stateFields(try args.call(initial, [parameters.record]), "\(name)'s init")
        }
    }

    /// Moves `parameters` from the point of step `t` (where the objective is `first`) to the
    /// next; returns the step size of the update (of the first parameter's, when alternating;
    /// nan for a custom rule that gives none).
    mutating func advance(
        _ parameters: inout ParameterSet, at t: Int, first: Evaluation,
        reevaluate: (ParameterSet) throws -> Evaluation, _ args: Arguments
    ) throws -> Double {
        switch spec.rule {
        case let .builtin(_, schedule, _, _):
            let eta = try schedule.map { try $0.rate(at: t) }
            guard spec.alternating else {
                let values = parameters.values
                var next = values
                let step = try optimizers[0].update(&next, loss: first.loss, gradients: first.gradients, learningRate: eta)
                parameters.values = next
                return step.stepSize
            }
            var stepSize = Double.nan
            for k in parameters.values.indices {
                let evaluation = k == 0 ? first : try reevaluate(parameters)
                var one = [parameters.values[k]]
                let step = try optimizers[k].update(&one, loss: evaluation.loss, gradients: [evaluation.gradients[k]], learningRate: eta)
                parameters.values[k] = one[0]
                if k == 0 { stepSize = step.stepSize }
            }
            return stepSize
        case let .custom(name, _, step):
            let state = Value.record(ScriptRecord(names: customState.map(\.name), values: customState.map(\.value)))
            let result = try args.call(step, [parameters.record, parameters.record(of: first.gradients), state, .number(Double(customUpdates + 1))])
            guard case .record(let record) = result else {
                throw ScriptError("\(name)'s step must return a record {params: …, state: …}, got \(result.typeName)")
            }
            guard let newParameters = record["params"], let newState = record["state"] else {
                throw ScriptError("\(name)'s step must return a record with params and state, got one with \(record.names.isEmpty ? "no fields" : record.names.joined(separator: ", "))")
            }
            if let extra = record.names.first(where: { !Self.customResultFields.contains($0) }) {
                throw ScriptError("\(name)'s step returned the field '\(extra)', which a step result does not have",
                                  hint: Suggestions.didYouMean(extra, among: Self.customResultFields) ?? "a step result has params, state and optionally step_size")
            }
            let values = try parameters.values(from: newParameters, "\(name)'s step result params")
            let fields = try Self.stateFields(newState, "\(name)'s step result state")
            var stepSize = Double.nan
            if let size = record["step_size"] {
                guard case .number(let x) = size else { throw ScriptError("\(name)'s step_size must be a number, got \(size.typeName)") }
                stepSize = x
            }
            parameters.values = values
            customState = fields
            customUpdates += 1
            return stepSize
        }
    }

    /// The fields a custom rule's step result may have: a misspelled one is refused rather than
    /// ignored, so a step size or state the rule meant to return is not silently lost.
    static let customResultFields = ["params", "state", "step_size"]

    // MARK: Checkpoints

    /// The state as arrays of a checkpoint: `optimizer.<key>` (a built-in rule's
    /// ``OptimizerState``), `optimizer.<param>.<key>` (alternating, per parameter), or
    /// `custom.updates` and `custom.<i>.<field>` (a custom rule's state, a number 0-d, a matrix 2-d).
    func arrays(_ names: [String]) -> [String: NDArray] {
        var out: [String: NDArray] = [:]
        switch spec.rule {
        case .builtin:
            for (k, optimizer) in optimizers.enumerated() {
                let prefix = spec.alternating ? "optimizer.\(names[k])." : "optimizer."
                for (key, array) in optimizer.state.arrays { out[prefix + key] = array }
            }
        case .custom:
            out["custom.updates"] = NDArray(scalar: Double(customUpdates))
            for (i, field) in customState.enumerated() {
                switch field.value {
                case .number(let x): out["custom.\(i).\(field.name)"] = NDArray(scalar: x)
                case .matrix(let m): out["custom.\(i).\(field.name)"] = NDArray(m)
                default: break
                }
            }
        }
        return out
    }

    /// Continues from a checkpoint's arrays, which must come from the same kind of optimizer,
    /// rule and hyperparameters; the refusal names the difference.
    mutating func restore(_ arrays: [String: NDArray], names: [String]) throws {
        let savedKind: String
        if arrays["custom.updates"] != nil {
            savedKind = "a custom rule"
        } else if arrays["optimizer.step"] != nil {
            savedKind = "a built-in rule updating every parameter at once"
        } else {
            savedKind = "an alternating built-in rule"
        }
        let ownKind: String
        switch spec.rule {
        case .custom: ownKind = "a custom rule"
        case .builtin: ownKind = spec.alternating ? "an alternating built-in rule" : "a built-in rule updating every parameter at once"
        }
        guard savedKind == ownKind else {
            throw ScriptError("the checkpoint holds the state of \(savedKind), but this run's optimizer \(spec.describe()) is \(ownKind)")
        }
        switch spec.rule {
        case .builtin:
            var restored = optimizers
            for k in restored.indices {
                let prefix = spec.alternating ? "optimizer.\(names[k])." : "optimizer."
                var state: [String: NDArray] = [:]
                for (key, array) in arrays where key.hasPrefix(prefix) { state[String(key.dropFirst(prefix.count))] = array }
                try restored[k].restore(try OptimizerState(arrays: state))
            }
            optimizers = restored
        case .custom(let name, _, _):
            guard let updates = arrays["custom.updates"]?.elements.first, let count = Int(exactly: updates), count >= 0 else {
                throw ScriptError("the checkpoint's custom.updates is not a whole number ≥ 0")
            }
            var fields: [(index: Int, name: String, value: Value)] = []
            for (key, array) in arrays where key.hasPrefix("custom.") && key != "custom.updates" {
                let parts = key.dropFirst("custom.".count).split(separator: ".", maxSplits: 1)
                guard parts.count == 2, let i = Int(parts[0]) else { throw ScriptError("the checkpoint has the unknown entry '\(key)'") }
                let value: Value = array.rank == 0 ? .number(array.elements.first ?? .nan) : .matrix(try array.asMatrix())
                fields.append((i, String(parts[1]), value))
            }
            let ownNames = customState.map(\.name).sorted(), savedNames = fields.map(\.name).sorted()
            guard ownNames == savedNames else {
                throw ScriptError("the checkpoint's \(name) state has the fields [\(savedNames.joined(separator: ", "))] but this rule's init makes [\(ownNames.joined(separator: ", "))]")
            }
            customState = fields.sorted { $0.index < $1.index }.map { ($0.name, $0.value) }
            customUpdates = count
        }
    }

    /// A custom rule's state: a record of numbers and matrices.
    private static func stateFields(_ value: Value, _ what: String) throws -> [(name: String, value: Value)] {
        guard case .record(let record) = value else { throw ScriptError("\(what) must return a record of numbers and matrices, got \(value.typeName)") }
        return try zip(record.names, record.values).map { name, item in
            switch item {
            case .number, .matrix: return (name, item)
            default: throw ScriptError("\(what): state field '\(name)' must be a number or a matrix (what a checkpoint can hold), got \(item.typeName)")
            }
        }
    }
}
