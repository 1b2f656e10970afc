import MSense

/// The REPL's help texts: the meta-commands, and any builtin's usage and documentation (the
/// same `Builtin.doc` strings `msense --help` prints).
struct ReplCommands {
    /// Where this session keeps its history (`HistoryFile`), named in the summary.
    let historyPath: String

    /// The meta-commands and keys, one line each.
    var summary: String {
        """
        :help [name]   this list, or the documentation of a builtin
        :vars          the variables and functions defined so far
        :type EXPR     the type of a value
        :time EXPR     evaluate and report the wall time
        :load FILE     run a script into this session
        :reset         start a fresh session
        :quit          leave (Ctrl-D works too)
        The last result is `_`. Tab completes names, fields after `x.` and named arguments;
        Ctrl-C stops a running computation or clears the line; history is in \(historyPath).
        """
    }

    func help(_ name: String, interpreter: Interpreter) -> String {
        guard !name.isEmpty else {
            let names = interpreter.builtins.map(\.name).joined(separator: " ")
            return summary + "\n\nbuiltins: " + names
        }
        guard let builtin = interpreter.builtin(named: name) else {
            if Interpreter.keywords.contains(name) { return "no builtin called '\(name)' ('\(name)' is a keyword; see docs/language.md)" }
            return "no builtin called '\(name)'" + (Suggestions.didYouMean(name, among: interpreter.builtins.map(\.name)).map { "; \($0)" } ?? "")
        }
        return builtin.helpText
    }

    /// A one-line preview of a long display text.
    static func short(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.count > 70 ? String(line.prefix(69)) + "…" : line
    }
}
