/// The stable identity of a kind of diagnostic, so that hosts, the REPL and tests decide what a
/// diagnostic is without matching its wording (as swift-syntax's `MessageID` does).
public struct DiagnosticID: Hashable, Sendable, CustomStringConvertible {
    /// A dotted name such as `syntax.unexpected-end`; stable across releases.
    public let name: String

    /// An identity called `name`.
    public init(_ name: String) { self.name = name }

    public var description: String { name }

    /// Whether `try` catches a failure of this kind: every kind but cancellation by the host and
    /// broken host limits, which end the run wherever they arrive (a sweep's point included).
    package var catchable: Bool { self != .cancelled && self != .limitExceeded }

    /// A source that cannot be read, is not UTF-8 text, or whose imports cannot be assembled.
    public static let source = DiagnosticID("source")
    /// A malformed token or statement.
    public static let syntax = DiagnosticID("syntax")
    /// The source ended where more was expected (an unfinished block, list or expression): the
    /// REPL reads another line instead of reporting it.
    public static let unexpectedEnd = DiagnosticID("syntax.unexpected-end")
    /// A name or statement the resolver refuses (undefined name, misplaced `return`, wrong arity).
    public static let resolution = DiagnosticID("resolution")
    /// An error raised while the script ran.
    public static let runtime = DiagnosticID("runtime")
    /// The host cancelled the run (``Interpreter/cancel()``).
    public static let cancelled = DiagnosticID("runtime.cancelled")
    /// A limit the host set (``Limits``) was reached.
    public static let limitExceeded = DiagnosticID("runtime.limit-exceeded")
    /// Calls nested deeper than the interpreter's maximum call depth.
    public static let stackDepthExceeded = DiagnosticID("runtime.stack-depth-exceeded")
    /// The thread a run or check needs (its 512 MiB stack) could not be made: the process's
    /// address space is limited (`ulimit -v`) or taken by other runs. Nothing ran.
    public static let stackUnavailable = DiagnosticID("runtime.stack-unavailable")
}
