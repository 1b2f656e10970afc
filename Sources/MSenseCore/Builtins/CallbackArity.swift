import Tensor

/// A function a builtin will call back (a step size `lr: fn(t) => …`, a `stop: fn(s) => …`, an
/// optimizer's `step`), checked against the number of arguments the builtin will pass before
/// the first call, so a function of the wrong shape is refused where it is given, with what
/// the builtin passes, instead of failing inside a run that may have taken minutes.
extension Arguments {
    /// Throws unless `function` (a script function or builtin) accepts `count` positional
    /// arguments: "lr is called with 1 argument (the step t), but fn(a, b) takes 2 arguments".
    ///
    /// - Parameters:
    ///   - function: the argument the builtin will call; a value that is not a function passes
    ///     (the builtin refuses it in its own words).
    ///   - count: how many positional arguments the builtin passes.
    ///   - role: what the function is to the builtin, e.g. "lr" or "the optimizer's step".
    ///   - passed: what the arguments are, e.g. "the step t".
    ///   - hint: the shape to write, e.g. "lr: fn(t) => … gives the step size η_t of step t".
    public func requireCallable(_ function: Value, with count: Int, role: String, passed: String, hint: String) throws {
        let (signature, name): (Signature, String)
        switch function {
        case .function(let f): (signature, name) = (f.code.signature, f.name == "<anonymous>" ? "fn" : f.name)
        case .builtin(let b): (signature, name) = (b.signature, b.name)
        default: return
        }
        let fits = count >= signature.required && (count <= signature.names.count || signature.variadic)
        if fits { return }
        let form = "\(name)(\(signature.names.joined(separator: ", "))\(signature.variadic ? "…" : ""))"
        throw ScriptError("\(role) is called with \(counted(count, "argument")) (\(passed)), but \(form) \(Self.takes(signature))",
                          hint: hint)
    }

    /// "takes no arguments", "takes 2 arguments", "takes 2 to 3 arguments", "needs at least 2 arguments".
    private static func takes(_ s: Signature) -> String {
        if s.variadic { return "needs at least \(counted(s.required, "argument"))" }
        if s.names.isEmpty { return "takes no arguments" }
        if s.required == s.names.count { return "takes \(counted(s.required, "argument"))" }
        return "takes \(s.required) to \(s.names.count) arguments"
    }
}
