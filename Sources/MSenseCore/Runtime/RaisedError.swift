/// `error(message, hint:, data:)`: a failure raised by the script itself.
enum RaisedError {
    static func raise(_ args: Arguments) throws -> Never {
        var hint: String?
        switch args["hint"] {
        case .nil: break
        case .string(let s): hint = s
        default: throw ScriptError("argument 'hint' must be a string, got \(args["hint"].typeName)")
        }
        // A caught error record raised again keeps its message, hint and fields.
        if case .record(let caught) = args["message"], case .string(let message)? = caught["message"], caught["location"] != nil {
            var failure = RuntimeFailure(message, hint: hint ?? caught["hint"].flatMap { if case .string(let h) = $0 { h } else { nil } }, at: args.site)
            failure.details = zip(caught.names, caught.values).filter { !CaughtError.standardFields.contains($0.0) }.map { ($0.0, $0.1) }
            throw failure
        }
        var failure = RuntimeFailure(Formatting.display(args["message"]), hint: hint, at: args.site)
        if case .nil = args["data"] {} else { failure.details = [("data", args["data"])] }
        throw failure
    }
}

