import MSenseCore
import Sensing

/// The fields a failed run adds to a caught error: `step`, `trace` and the last iterate `u`; for
/// a factor-model run the last `model`, its `matrix` and every factor by name instead of `u`.
enum PartialRunDetails {
    static func fields(of error: SensingError) -> [(name: String, value: Value)] {
        switch error {
        case .interrupted(_, let partial):
            return fields(of: partial)
        case .diverged(let step, _, let trace):
            return [("step", .number(Double(step))), ("trace", .object(TraceObject(trace)))]
        default:
            return []
        }
    }

    /// `step`, `trace` and `u`, or for a factor-model run `model`, `matrix` and the factors.
    static func fields(of partial: PartialRun) -> [(name: String, value: Value)] {
        let common: [(name: String, value: Value)] = [("step", .number(Double(partial.step))), ("trace", .object(TraceObject(partial.trace)))]
        guard let model = partial.model else { return common + [("u", .matrix(partial.u))] }
        return common + [("model", .object(ModelObject(model))), ("matrix", .matrix(model.product()))]
            + FactorFields.of(model)
    }
}

/// A failed run's partial result reaches `catch e` through the builtin call's error bridge.
extension SensingError: DetailedError {
    package var details: [(name: String, value: Value)] { PartialRunDetails.fields(of: self) }
}
