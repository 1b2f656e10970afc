import MSenseCore
import Sensing
import Tensor

/// The one JSON shape of every run, builtin (`gd`, `glrl`, a factor-model `gd`) or `minimize`:
///
///     {"type": "run", "description": …, "stop": reason, "steps": last step,
///      "loss": last loss, "rel_err": last relative error (when the trace has it),
///      "factors": [factor as a list of rows, …], ["params": {name: value, …}],
///      ["phases": [{"k", "step", "plateau", "threshold"}, …]],
///      "trace": {"step": […], "loss": […], …}}
///
/// `factors` is `[u]` for a symmetric run, the model's factors for a factor-model run, the
/// parameters in order for `minimize` (which adds them by name as `params`); `phases` is
/// written for the runs that detect them (`gd`, `glrl`); the trace is written as every trace is
/// (`Trace.json`: its columns, as the Python package gives them).
enum RunJSON {
    static func fields(_ run: any RecordedRun, factors: [Matrix]) -> [(String, Value)] {
        summary(stop: run.stopReason, steps: run.lastStep, trace: run.trace, factors: factors.map(Value.matrix))
            + [("phases", .list(run.phases.map(PhaseValue.make))), ("trace", .object(TraceObject(run.trace)))]
    }

    static func fields(_ result: MinimizeResult) -> [(String, Value)] {
        summary(stop: result.stopReason, steps: result.lastStep, trace: result.trace, factors: result.parameters.list)
            + [("params", result.parameters.record), ("trace", .object(TraceObject(result.trace)))]
    }

    private static func summary(stop: StopReason, steps: Int, trace: Trace, factors: [Value]) -> [(String, Value)] {
        var fields: [(String, Value)] = [("stop", .string(stop.rawValue)), ("steps", .number(Double(steps))),
                                         ("loss", trace.lastValue(.loss))]
        if trace.columns.contains(TraceColumn.relativeError.name) { fields.append(("rel_err", trace.lastValue(.relativeError))) }
        fields.append(("factors", .list(factors)))
        return fields
    }
}

extension RunObject: JSONFieldsProviding {
    func jsonFields() -> [(String, Value)] { RunJSON.fields(run, factors: [run.u]) }
}

extension ModelRunObject: JSONFieldsProviding {
    func jsonFields() -> [(String, Value)] { RunJSON.fields(run, factors: run.model.factors) }
}

extension MinimizeRunObject: JSONFieldsProviding {
    func jsonFields() -> [(String, Value)] { RunJSON.fields(result) }
}
