extension Compiler {
    /// `try { body } catch e { handler }`: runs `body`; when an error is raised inside it
    /// (by any statement, call or builtin, however deeply nested), `e` is bound to the error as
    /// a record (``CaughtError``) and `handler` runs. `break`, `continue` and `return` pass
    /// through both blocks unchanged. Cancellation by the host and broken host limits are not
    /// caught: they end the run as without `try`.
    func tryCatch(_ decl: TryDecl, _ site: Site) -> Exec {
        let body = block(decl.body), handler = block(decl.handler), rt = runtime
        guard case .local(let slot) = decl.slot else { return { _ in .normal } }
        return { f in
            let caught: RuntimeFailure
            do {
                return try body(f)
            } catch let failure as RuntimeFailure where failure.catchable {
                caught = failure
            } catch let problem as ScriptError {
                var failure = RuntimeFailure(problem.message, hint: problem.hint, at: site)
                failure.details = problem.details
                caught = failure
            }
            try rt.checkCancelled(site)
            f.slots[slot] = f.keep(CaughtError.record(caught))
            return try handler(f)
        }
    }
}

/// A caught error as the record `catch e` binds:
///
/// | field | value |
/// | --- | --- |
/// | `message` | what went wrong, as the uncaught error would print it |
/// | `hint` | how to fix it, or nil |
/// | `file`, `line`, `column` | where it was raised |
/// | `location` | `"file:line:col"` |
/// | `traceback` | the msense calls it passed through, innermost first (strings) |
/// | `data` | the value given to `error(message, data: …)`, else nil |
///
/// An error from a run that had started (e.g. `gd` diverging or ScaledGD failing at step 84)
/// also has `step` (where it failed), `trace` (the rows recorded before) and `u` (the last
/// iterate).
enum CaughtError {
    /// The fields every caught error has.
    static let standardFields: Set<String> = ["message", "hint", "file", "line", "column", "location", "traceback"]

    static func record(_ failure: RuntimeFailure) -> Value {
        let diagnostic = failure.diagnostic()
        let file = failure.origin.source.file
        let place = file.location(of: failure.origin.span.start)
        var names = ["message", "hint", "file", "line", "column", "location", "traceback"]
        var values: [Value] = [
            .string(failure.message), failure.hint.map(Value.string) ?? .nil, .string(file.path),
            .number(Double(place.line)), .number(Double(place.column)), .string(failure.origin.text),
            .list(ScriptList(diagnostic.traceback.map(Value.string))),
        ]
        if !failure.details.contains(where: { $0.name == "data" }) {
            names.append("data")
            values.append(.nil)
        }
        for (name, value) in failure.details where !names.contains(name) {
            names.append(name)
            values.append(value)
        }
        return .record(ScriptRecord(names: names, values: values))
    }
}
