import Tensor

/// An error that carries extra fields for a script's `catch` besides its message, hint and
/// location (a failed run's `step`, `trace` and last iterate `u`). The builtin call copies them
/// into the failure, so a library's own error type can conform without knowing the language's
/// error values.
package protocol DetailedError: Error {
    /// The fields `catch e` sees as `e.NAME`.
    var details: [(name: String, value: Value)] { get }
}

/// An error a builtin (or any host code called from a script) throws to stop the script with a
/// message. The interpreter adds the location of the call and the traceback.
public struct ScriptError: ExplainedError, DetailedError, Sendable {
    /// What went wrong, as a sentence without trailing period.
    public let message: String
    /// How to fix it, if there is something useful to say.
    public let hint: String?
    /// Extra fields a script's `catch` sees besides message and location (for a failed run:
    /// `step`, `trace` and the last iterate `u`).
    public var details: [(name: String, value: Value)] = []

    /// An error with `message` and an optional `hint`.
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { message }

    /// Adds the fields of `fields` this error does not have yet (a library run adding what it had
    /// done to an error raised inside it).
    package mutating func addDetails(_ fields: [(name: String, value: Value)]) {
        details = Self.merged(details, fields)
    }

    /// `details` followed by the fields of `added` whose names it does not have.
    static func merged(_ details: [(name: String, value: Value)], _ added: [(name: String, value: Value)]) -> [(name: String, value: Value)] {
        details + added.filter { field in !details.contains { $0.name == field.name } }
    }
}

/// A source file shared by all code compiled from it, so errors can name their file.
final class SourceBox: Sendable {
    let file: SourceFile
    init(_ file: SourceFile) { self.file = file }
}

/// A place in a source file: what compiled code captures to report errors.
package struct Site {
    let source: SourceBox
    let span: Span

    /// "file:line:col" of this place.
    package var text: String {
        "\(source.file.path):\(source.file.location(of: span.start))"
    }
}

/// A runtime error on its way out of the evaluator: message, where it was raised and the
/// msense calls it passed through (innermost first).
package struct RuntimeFailure: Error {
    package let message: String
    package let hint: String?
    /// Where the error was raised.
    package let origin: Site
    /// Where the error currently is: the innermost call site it has left so far.
    var current: Site
    /// Frames passed through, innermost first: function name and the place inside it.
    var frames: [(name: String, site: Site)] = []
    /// Extra fields for a script's `catch` (``ScriptError/details``).
    var details: [(name: String, value: Value)] = []
    /// The error a builtin threw, as a value, for library code that calls scripts and needs more
    /// than the message (a sweep inside a sweep's point); nil for the language's own errors.
    package var cause: (any Error)?
    /// False for the failures a script must not swallow: cancellation by the host and broken
    /// host limits (``Limits``) end the run even inside `try` (``DiagnosticID/catchable``).
    package var catchable: Bool { id.catchable }

    /// What kind of failure this is (``DiagnosticID/runtime`` unless more is known).
    let id: DiagnosticID

    package init(_ message: String, hint: String? = nil, at site: Site, id: DiagnosticID = .runtime) {
        self.id = id
        self.message = message
        self.hint = hint
        self.origin = site
        self.current = site
    }

    /// The failure of a run the host cancelled (`Interpreter.cancel()`), which `try` does not catch.
    static func cancelled(at site: Site) -> RuntimeFailure {
        RuntimeFailure("cancelled", hint: TensorError.cancelled.hint, at: site, id: .cancelled)
    }

    /// Adds the fields of `fields` this failure does not have yet (``ScriptError/addDetails(_:)``).
    package mutating func addDetails(_ fields: [(name: String, value: Value)]) {
        details = ScriptError.merged(details, fields)
    }

    /// Records leaving function `name` through the call at `callSite`.
    mutating func leave(_ name: String, through callSite: Site) {
        frames.append((name, current))
        current = callSite
    }

    /// Longest traceback shown; longer ones keep the first and last entries.
    static let maxTraceback = 24

    /// The diagnostic for this error, with a traceback when it went through calls.
    func diagnostic() -> Diagnostic {
        var lines = frames.map { "at \($0.name) (\($0.site.text))" }
        if !lines.isEmpty { lines.append("at <main> (\(current.text))") }
        if lines.count > RuntimeFailure.maxTraceback {
            let head = lines.prefix(RuntimeFailure.maxTraceback - 4), tail = lines.suffix(3)
            lines = Array(head) + ["… \(lines.count - head.count - tail.count) more frames …"] + Array(tail)
        }
        return Diagnostic(file: origin.source.file, span: origin.span, message: message, hint: hint, traceback: lines, id: id)
    }
}

/// Thrown by a builtin to end the script early and successfully: a sweep task that has written
/// its point, or a worker that has run its share. Compiled code lets it through untouched and
/// the interpreter's run returns normally.
package struct ScriptEnd: Error {
    package init() {}
}
