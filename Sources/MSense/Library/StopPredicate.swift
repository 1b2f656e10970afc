import MSenseCore

/// A run's `stop:` argument: a script function of the recorded row's record, called on every
/// recorded row. The first error it raises (or a result that is not a bool) stops the run and
/// is thrown by ``rethrow()`` once the run has returned.
final class StopPredicate {
    private let args: Arguments
    private let function: Value
    private var failure: Error?

    /// The `stop` argument's predicate, or `nil` when the argument is `nil`; anything but a
    /// function of one argument is refused before the run.
    init?(_ args: Arguments) throws {
        let function = args["stop"]
        switch function {
        case .nil: return nil
        case .function, .builtin:
            try args.requireCallable(function, with: 1, role: "stop", passed: "the recorded row s", hint: Self.shape)
        default: throw ScriptError("stop must be a function of the recorded row, not \(function.typeName)", hint: Self.shape)
        }
        self.args = args
        self.function = function
    }

    private static let shape = "stop: fn(s) => s.rel_err < 1e-3 ends the run at the first recorded row where it is true"

    /// Whether the run stops at this row (true once the predicate has failed).
    func shouldStop(_ record: Value) -> Bool {
        guard failure == nil else { return true }
        do {
            if case .bool(let stop) = try args.call(function, [record]) { return stop }
            failure = ScriptError("the stop predicate must return true or false")
        } catch { failure = error }
        return true
    }

    /// Throws the predicate's failure, if any.
    func rethrow() throws {
        if let failure { throw failure }
    }
}
