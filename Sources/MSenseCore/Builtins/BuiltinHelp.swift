/// The help text of a builtin, shared by every front end (the REPL's `:help NAME`, the Jupyter
/// kernel's Shift-Tab, the C API's `msense_help`).
extension Builtin {
    /// Usage line, documentation, one line per documented parameter, and the example.
    public var helpText: String {
        var text = usage + "\n  " + doc
        for parameter in parameters where !parameter.doc.isEmpty {
            text += "\n  \(parameter.name): \(parameter.doc)"
        }
        if let example {
            text += "\n\nexample:\n" + example.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "  " + $0 }.joined(separator: "\n")
        }
        return text
    }
}
