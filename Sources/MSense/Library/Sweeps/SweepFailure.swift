import MSenseCore
import Sweep
import Tensor

/// Every point of a sweep failed: the error `sweep(...)` throws, carrying the first point's
/// ``PointFailure`` as a value so that a sweep around this one (this sweep ran inside one of its
/// points) quotes the innermost cause once, one level deeper, without re-reading this message.
struct SweepFailure: ExplainedError {
    /// The longest cause the message quotes, in characters.
    static let maximumCauseLength = 400

    /// The first failed point's index.
    let point: Int
    /// Why it failed.
    let failure: PointFailure

    var description: String { "every point failed; point \(point) with: \(SweepFailure.quoted(failure))" }

    /// The cause's own hint, then how to debug one point.
    var hint: String? {
        let debug = "run f on one point directly to debug it, e.g. f({…, seed_index: 0})"
        return failure.hint.map { "\($0); \(debug)" } ?? debug
    }

    /// `failure` as a message quotes it: the cause cut to ``maximumCauseLength`` characters,
    /// then the nesting depth.
    static func quoted(_ failure: PointFailure) -> String {
        let cause = failure.cause.count > maximumCauseLength
            ? String(failure.cause.prefix(maximumCauseLength)) + "…" : failure.cause
        return cause + failure.nestingNote
    }
}
