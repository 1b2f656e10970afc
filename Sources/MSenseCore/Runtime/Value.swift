import Tensor

/// A value of the msense language.
///
/// Numbers are `Double` (integer literals included). Lists and records are shared, mutable
/// containers (reference semantics, like Python); matrices are values (copy on write).
/// Domain objects (ground truths, runs, traces…) enter as `.object` handles.
public enum Value: Sendable {
    /// The absence of a value: `nil`.
    case `nil`
    /// `true` or `false`.
    case bool(Bool)
    /// A number; integers are exact up to 2⁵³.
    case number(Double)
    /// An immutable Unicode string.
    case string(String)
    /// A mutable, shared list.
    case list(ScriptList)
    /// A mutable, shared record with ordered named fields.
    case record(ScriptRecord)
    /// The integers `lower..<upper` (an inclusive range `a..=b` is stored as `a..<b+1`).
    case range(lower: Int, upper: Int)
    /// A dense matrix of doubles.
    indirect case matrix(Matrix)
    /// A function written in msense (a closure).
    case function(ScriptFunction)
    /// A function provided by the host.
    case builtin(Builtin)
    /// An opaque domain object provided by the host.
    case object(any ScriptObject)

    /// The name of the value's type as scripts see it (`type(x)`): number, bool, string, list,
    /// record, range, matrix, function, nil, or the object's `typeName`.
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .list: "list"
        case .record: "record"
        case .range: "range"
        case .matrix: "matrix"
        case .function, .builtin: "function"
        case .object(let object): object.typeName
        }
    }

    /// What kind of value this is, without its payload: what code branches on instead of
    /// comparing type names.
    public enum Kind: Sendable {
        case `nil`, bool, number, string, list, record, range, matrix, function, object
    }

    /// The value's kind (`.function` for script functions and builtins alike).
    public var kind: Kind {
        switch self {
        case .nil: .nil
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .list: .list
        case .record: .record
        case .range: .range
        case .matrix: .matrix
        case .function, .builtin: .function
        case .object: .object
        }
    }

    /// A list value holding `items`.
    public static func list(_ items: [Value]) -> Value { .list(ScriptList(items)) }

    /// A record value with `fields` in the given order.
    public static func record(_ fields: KeyValuePairs<String, Value>) -> Value {
        .record(ScriptRecord(names: fields.map(\.key), values: fields.map(\.value)))
    }
}

/// A host object exposed to scripts as an opaque handle: `x.name` reads `field(named:)`,
/// `print(x)` shows `describe()`, `type(x)` gives `typeName`.
///
/// Methods are exposed as fields whose value is a `.builtin` capturing the object, e.g.
/// `trace.column("loss")`. Objects should be immutable (or synchronise themselves): they may
/// be shared between interpreters.
public protocol ScriptObject: AnyObject, Sendable {
    /// The type name scripts see, e.g. "run" or "trace".
    var typeName: String { get }
    /// Names of the readable fields, for error hints and `keys(x)`.
    var fieldNames: [String] { get }
    /// The value of field `name`, or `nil` when the object has no such field.
    func field(named name: String) throws -> Value?
    /// A one-line description shown by `print` and `str`.
    func describe() -> String
}

/// A function value defined in a script. Hosts can call it through `Arguments.call`.
public final class ScriptFunction: @unchecked Sendable {
    // Safety: a function is created and called only on the interpreter thread that owns it.
    /// The function's name (`<anonymous>` for `fn(x) => …`).
    public let name: String
    /// Parameter names in order.
    public let parameterNames: [String]
    /// How many of the parameters, from the first, have no default value.
    package var requiredParameterCount: Int { code.signature.required }
    let code: CompiledFunction
    /// The frame of the call that created the function (its closure environment). Nil only in
    /// the copy kept in one of that same frame's variables (``Frame/keep(_:)``), which would
    /// otherwise keep the frame alive forever; reading the variable restores it.
    let captured: Frame?

    init(code: CompiledFunction, captured: Frame?) {
        self.name = code.name
        self.parameterNames = code.signature.names
        self.code = code
        self.captured = captured
    }
}
