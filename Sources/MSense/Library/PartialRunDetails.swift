import MSenseCore
import Sensing

/// The fields a failed run adds to a caught error: `step`, `trace` and the last iterate `u`.
enum PartialRunDetails {
    static func fields(of error: SensingError) -> [(name: String, value: Value)] {
        switch error {
        case .interrupted(_, let partial):
            return [("step", .number(Double(partial.step))), ("trace", .object(TraceObject(partial.trace))), ("u", .matrix(partial.u))]
        case .diverged(let step, _, let trace):
            return [("step", .number(Double(step))), ("trace", .object(TraceObject(trace)))]
        default:
            return []
        }
    }
}

/// A failed run's partial result reaches `catch e` through the builtin call's error bridge.
extension SensingError: DetailedError {
    package var details: [(name: String, value: Value)] { PartialRunDetails.fields(of: self) }
}
