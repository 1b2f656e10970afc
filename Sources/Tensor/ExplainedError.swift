/// An error a user can act on: a sentence saying what went wrong and, when there is something
/// useful to say, how to fix it.
///
/// Every module's error type conforms (`TensorError`, `SensingError`, `SweepError`, `PlotError`,
/// the language's `ScriptError`), so the language turns all of them into diagnostics in one place,
/// where a builtin is called, without wrapping each call.
public protocol ExplainedError: Error, CustomStringConvertible {
    /// What went wrong, one sentence without a trailing period.
    var message: String { get }
    /// How to fix it, or nil.
    var hint: String? { get }
}

/// An error that passes on the error a caller-supplied function threw while a library ran it (a
/// script's step-size function inside a run). A front end that knows the passed-on error (the
/// language's own, with the place in the script it was raised) reports that one instead.
public protocol PassingOnError: Error {
    /// The function's error, or nil when this error is not passing one on.
    var passedOn: (any Error)? { get }
}

/// An error thrown by a caller-supplied function, carried across the `Sendable` error types of
/// the libraries that ran it. It is only handed back to the thread that ran the function.
public struct CallerError: @unchecked Sendable {
    public let error: any Error

    public init(_ error: any Error) { self.error = error }

    /// The error's sentence: its `message` when it is an ``ExplainedError``, else its description.
    public var message: String { (error as? any ExplainedError)?.message ?? String(describing: error) }
}

extension ExplainedError {
    /// By default the sentence is the error's description.
    public var message: String { description }
    /// By default there is no hint.
    public var hint: String? { nil }
}

extension TensorError: ExplainedError {
    /// A host's refusal says who set the limit, a cancel who stopped the run (the interpreter's
    /// own limit and cancel errors say the same).
    public var hint: String? {
        switch self {
        case .limitExceeded: "the host set this limit (Interpreter.limits)"
        case .cancelled: "the run was interrupted by the host"
        default: nil
        }
    }
}
