/// One message about a script: a syntax error, a name-resolution error or a runtime error.
///
/// It carries everything needed to show it without the source file at hand: path, line,
/// column, the source line itself, the span's columns on that line, a hint, and (for runtime
/// errors) the msense traceback.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable {
        case error, warning, note
    }

    /// Error (the script does not run, or stopped) or warning.
    public let severity: Severity
    /// Path of the file as given to the interpreter.
    public let path: String
    /// 1-based line of the start of the span.
    public let line: Int
    /// 1-based column (Unicode scalars) of the start of the span.
    public let column: Int
    /// Byte offsets `start..<end` of the offending text in the file.
    public let span: Range<Int>
    /// What went wrong, one sentence without a trailing period.
    public let message: String
    /// How to fix it, when there is something useful to say.
    public let hint: String?
    /// The whole source line the span starts on.
    public let sourceLine: String
    /// Number of columns to underline on `sourceLine` (at least 1).
    public let width: Int
    /// Traceback lines, innermost call first, each like `at f (file:3:5)`.
    public let traceback: [String]

    /// A diagnostic for `span` of `file`.
    init(file: SourceFile, span: Span, message: String, hint: String? = nil,
         severity: Severity = .error, traceback: [String] = []) {
        let start = file.location(of: span.start)
        let endLocation = file.location(of: max(span.start, span.end))
        let text = file.lineText(start.line)
        let lineLength = text.unicodeScalars.count
        let endColumn = endLocation.line == start.line ? endLocation.column : lineLength + 1
        self.severity = severity
        self.path = file.path
        self.line = start.line
        self.column = start.column
        self.span = span.start..<max(span.start, span.end)
        self.message = message
        self.hint = hint
        self.sourceLine = text
        self.width = max(1, endColumn - start.column)
        self.traceback = traceback
    }

    /// A diagnostic not tied to any source text (e.g. a file that cannot be read).
    init(path: String, message: String, hint: String? = nil) {
        self.severity = .error
        self.path = path
        self.line = 0
        self.column = 0
        self.span = 0..<0
        self.message = message
        self.hint = hint
        self.sourceLine = ""
        self.width = 0
        self.traceback = []
    }

    /// `file:line:col: error: message`, the source line, a `^~~~` run under the span,
    /// `hint: …` and the traceback; ANSI colours when `color` is true.
    public func rendered(color: Bool) -> String {
        let bold = color ? "\u{1B}[1m" : "", red = color ? "\u{1B}[1;31m" : ""
        let magenta = color ? "\u{1B}[1;35m" : "", green = color ? "\u{1B}[1;32m" : ""
        let cyan = color ? "\u{1B}[1;36m" : "", reset = color ? "\u{1B}[0m" : ""
        let label = severity == .error ? red : (severity == .warning ? magenta : cyan)
        let place = line > 0 ? "\(path):\(line):\(column)" : path
        var out = "\(bold)\(place): \(reset)\(label)\(severity.rawValue): \(reset)\(bold)\(message)\(reset)\n"
        if line > 0 {
            let gutter = String(line)
            let pad = String(repeating: " ", count: gutter.count)
            // Long lines are cut to a window of `maxShown` columns around the start of the span.
            let scalars = Array(sourceLine.unicodeScalars)
            let maxShown = 100
            let first = scalars.count > maxShown ? max(0, min(column - 1 - maxShown / 2, scalars.count - maxShown)) : 0
            let last = min(scalars.count, first + maxShown)
            var shown = String(String.UnicodeScalarView(scalars[first..<last]))
            if first > 0 { shown = "…" + shown }
            if last < scalars.count { shown += "…" }
            // Tabs in the source line are kept under the caret so columns line up.
            let prefix = (first > 0 ? " " : "") + scalars[first..<max(first, min(column - 1, last))]
                .map { $0 == "\t" ? "\t" : " " }.joined()
            let underline = max(1, min(width, last - (column - 1)))
            out += " \(gutter) | \(shown)\n"
            out += " \(pad) | \(prefix)\(green)^\(String(repeating: "~", count: underline - 1))\(reset)\n"
        }
        if let hint { out += "\(cyan)hint:\(reset) \(hint)\n" }
        if !traceback.isEmpty {
            out += "traceback (most recent call first):\n"
            for entry in traceback { out += "  \(entry)\n" }
        }
        return out
    }

    /// The diagnostic rendered without colour.
    public var description: String { rendered(color: false) }
}

/// Why a script did not run to completion: one or more diagnostics.
public struct ScriptFailure: Error, Sendable, CustomStringConvertible {
    /// The diagnostics, in source order for syntax/resolution errors; one for a runtime error.
    public let diagnostics: [Diagnostic]

    /// All diagnostics rendered one after the other.
    public func rendered(color: Bool) -> String {
        diagnostics.map { $0.rendered(color: color) }.joined()
    }

    public var description: String { rendered(color: false) }
}
