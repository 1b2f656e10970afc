import Tensor

/// A function implemented by the host and callable from scripts: the extension point through
/// which the sensing vocabulary (truths, ensembles, runs…) is bound into the language.
///
/// Arguments are matched to `parameters` positionally, then by name (`f(1, lr: 0.05)`);
/// missing parameters take their default; a `variadic` builtin collects extra positional
/// arguments in `Arguments.rest`. Mismatches are reported before the call with the builtin's
/// name, both by `check` (statically, for direct calls) and at run time.
public final class Builtin: Sendable {
    /// The name scripts call it by.
    public let name: String
    /// One-paragraph documentation, shown by `msense --help` and `help`.
    public let doc: String
    /// Declared parameters, in positional order.
    public let parameters: [Parameter]
    /// When set, extra positional arguments are accepted and passed in `Arguments.rest`.
    public let variadic: Parameter?
    /// A short runnable script using it, with `# expect:` comments giving what its prints show
    /// (shown by `:help` and in the reference; tested).
    public let example: String?
    let body: @Sendable (Arguments) throws -> Value

    /// A builtin called `name`; `call` receives the matched arguments.
    public init(name: String, doc: String, parameters: [Parameter] = [], variadic: Parameter? = nil,
                example: String? = nil, call: @escaping @Sendable (Arguments) throws -> Value) {
        self.name = name
        self.doc = doc
        self.parameters = parameters
        self.variadic = variadic
        self.example = example
        self.body = call
        self.signature = Signature(names: parameters.map(\.name),
                                   required: parameters.prefix { $0.defaultValue == nil }.count,
                                   variadic: variadic != nil)
    }

    /// The call shape used to match arguments (built once: every call passes its names on).
    let signature: Signature

    /// `name(a, b = 2, rest...)`, for help texts.
    public var usage: String {
        var parts = parameters.map { p in p.defaultValue.map { "\(p.name) = \(Formatting.repr($0))" } ?? p.name }
        if let variadic { parts.append(variadic.name + "...") }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }
}

/// A parameter of a builtin.
public struct Parameter: Sendable {
    /// The name, usable as a named argument.
    public let name: String
    /// The value used when the argument is omitted; `nil` makes the parameter required.
    public let defaultValue: Value?
    /// What the parameter means.
    public let doc: String

    /// A parameter called `name`, required unless `default` is given.
    public init(_ name: String, default defaultValue: Value? = nil, doc: String = "") {
        self.name = name
        self.defaultValue = defaultValue
        self.doc = doc
    }
}

/// The arguments of one builtin call, matched to its parameters.
public struct Arguments {
    /// The builtin's name, for error messages.
    public let callee: String
    /// One value per declared parameter, in declaration order (defaults filled in).
    public let values: [Value]
    /// Extra positional arguments of a variadic builtin, in order.
    public let rest: [Value]
    let parameterNames: [String]
    let runtime: Runtime
    /// Where the builtin was called from.
    let site: Site

    /// The value of parameter number `i` (0-based declaration order).
    public subscript(_ i: Int) -> Value { values[i] }

    private func fail(_ i: Int, _ expected: String) -> ScriptError {
        let name = i < parameterNames.count ? parameterNames[i] : "argument \(i + 1)"
        return ScriptError("argument '\(name)' must be \(expected), got \(values[i].typeName)")
    }

    /// Parameter `i` as a number, or an error naming the parameter.
    public func number(_ i: Int) throws -> Double {
        guard case .number(let x) = values[i] else { throw fail(i, "a number") }
        return x
    }

    /// Parameter `i` as an exact integer (|x| ≤ 2⁵³), or an error.
    public func integer(_ i: Int) throws -> Int {
        guard case .number(let x) = values[i] else { throw fail(i, "an integer") }
        guard let n = Operators.exactInteger(x) else {
            let name = i < parameterNames.count ? parameterNames[i] : "argument \(i + 1)"
            if x == x.rounded(), x.isFinite {
                throw ScriptError("argument '\(name)' must be an integer from -2⁵³ to 2⁵³, got \(Formatting.number(x))",
                                  hint: "larger numbers are not exact: a Double holds every integer only up to 2⁵³")
            }
            throw ScriptError("argument '\(name)' must be an integer, got \(Formatting.number(x))")
        }
        return n
    }

    /// Parameter `i` as a seed: an exact integer from 0 to 2⁵³, or the decimal text of a 64-bit
    /// integer from 0 to 2⁶⁴ − 1 (digits only, without leading zeros: the text ``seedValue(_:)``
    /// gives for a seed a number cannot hold exactly); otherwise an error naming `what` and those
    /// forms, with `hint` when given.
    package func seed(_ i: Int, _ what: String, hint: String? = nil) throws -> UInt64 {
        if case .string(let text) = values[i] {
            guard let seed = UInt64(text), String(seed) == text else {
                throw ScriptError("\(what) must be an integer from 0 to 2⁵³, or a 64-bit integer as decimal text (0 to 2⁶⁴ − 1), got \(Formatting.repr(values[i]))",
                                  hint: hint)
            }
            return seed
        }
        guard case .number(let x) = values[i] else { throw fail(i, "an integer") }
        guard x == x.rounded(), x >= 0, x <= Operators.maxExactInteger else {
            throw ScriptError("\(what) must be an integer from 0 to 2⁵³, got \(Formatting.number(x))",
                              hint: x == x.rounded() && x > 0 ? "larger numbers are not exact: a Double holds every integer only up to 2⁵³; a 64-bit integer is given as its decimal text" : hint)
        }
        return UInt64(x)
    }

    /// A seed as a value: a number up to 2⁵³, beyond it its decimal text (a number would round
    /// it), which ``seed(_:_:hint:)`` reads back.
    package static func seedValue(_ seed: UInt64) -> Value {
        seed <= UInt64(Operators.maxExactInteger) ? .number(Double(seed)) : .string(String(seed))
    }

    /// Parameter `i` as a string, or an error.
    public func string(_ i: Int) throws -> String {
        guard case .string(let s) = values[i] else { throw fail(i, "a string") }
        return s
    }

    /// Parameter `i` as a bool, or an error.
    public func bool(_ i: Int) throws -> Bool {
        guard case .bool(let b) = values[i] else { throw fail(i, "a bool") }
        return b
    }

    /// Parameter `i` as a list, or an error.
    public func list(_ i: Int) throws -> ScriptList {
        guard case .list(let l) = values[i] else { throw fail(i, "a list") }
        return l
    }

    /// Parameter `i` as a matrix (a number is a 1×1 matrix), or an error.
    public func matrix(_ i: Int) throws -> Matrix {
        switch values[i] {
        case .matrix(let m): return m
        case .number(let x): return Matrix(column: [x])
        case .object(let o) where o.fieldNames.contains("matrix"):
            // A ground truth (or another object that holds a matrix) where its matrix was meant.
            let name = i < parameterNames.count ? parameterNames[i] : "argument \(i + 1)"
            throw ScriptError("argument '\(name)' must be a matrix, got \(o.typeName)",
                              hint: "pass its field .matrix (e.g. M.matrix for a \(o.typeName) M)")
        default: throw fail(i, "a matrix")
        }
    }

    /// Parameter `i` as a host object of type `T`, or an error naming `typeName`.
    public func object<T: ScriptObject>(_ i: Int, as type: T.Type, typeName: String) throws -> T {
        guard case .object(let o) = values[i], let t = o as? T else { throw fail(i, withArticle(typeName)) }
        return t
    }

    /// Checks that allocating `bytes` for `what` fits the memory the process can still get and
    /// the host's memory limit (``Limits``); builtins that allocate in proportion to their
    /// arguments call it before allocating (the same check every large allocation makes).
    public func reserve(_ bytes: Double, for what: String) throws {
        if bytes < 0 { return }  // a negative dimension: the builtin's own checks name it
        let size = bytes < 0x1p62 ? Int(bytes.rounded(.up)) : nil
        if let problem = AvailableMemory.machineRefusal(bytes: size, for: what) {
            throw ScriptError(problem, hint: "the machine's free memory is the limit here, not a limit the host set")
        }
        if let problem = refusal(bytes, for: what) {
            throw ScriptError(problem, hint: "the host set this limit (Interpreter.limits)")
        }
    }

    /// Why allocating `bytes` for `what` would not fit the memory available or the host's limit,
    /// or `nil` if it fits (for builtins that can do without the allocation, e.g. `gd` without
    /// its Gram matrix). A negative count (from a negative dimension) is not refused here: the
    /// builtin's own checks of its arguments refuse it with a message naming the argument.
    public func refusal(_ bytes: Double, for what: String) -> String? {
        if bytes < 0 { return nil }
        return AvailableMemory.refusal(bytes: bytes >= 0 && bytes < 0x1p62 ? Int(bytes.rounded(.up)) : nil, for: what)
    }

    /// Writes `text` to the interpreter's output sink (what `print` uses).
    public func write(_ text: String) { runtime.output(text) }

    /// The error of this call that `diagnostic` describes, of its kind: how a builtin passes on
    /// the end of a script it ran elsewhere (a parallel sweep's worker). A broken host limit or
    /// a cancellation so passed on ends the run even inside `try`, as it would have here.
    package func failure(as diagnostic: Diagnostic) -> any Error {
        RuntimeFailure(diagnostic.message, hint: diagnostic.hint, at: site, id: diagnostic.id)
    }

    /// Calls a script function or builtin value with positional `arguments` and returns its result.
    public func call(_ function: Value, _ arguments: [Value]) throws -> Value {
        try runtime.callValue(function, arguments, labels: [], calleeName: "the argument", site: site)
    }
}

/// How a function is called: parameter names, how many leading ones are required, and whether
/// extra positional arguments are accepted.
struct Signature {
    let names: [String]
    let required: Int
    let variadic: Bool
}

/// Matches the arguments of a call to a signature (used by the resolver and at run time).
enum ArgumentBinding {
    /// For each parameter the index of the argument bound to it (nil: use the default), and the
    /// argument indices gathered by a variadic parameter.
    struct Plan {
        let sources: [Int?]
        let rest: Range<Int>
    }

    /// The plan for a call to `name` with `positional` unnamed arguments followed by named
    /// arguments `labels`, or the error message (and hint) explaining the mismatch.
    static func bind(_ signature: Signature, name: String, positional: Int, labels: [String])
        -> Result<Plan, ScriptError>
    {
        let count = signature.names.count
        if positional > count, !signature.variadic {
            return .failure(ScriptError("\(name) takes \(describeCount(signature)) but \(positional + labels.count) were given",
                                        hint: usage(signature, name: name)))
        }
        var sources = [Int?](repeating: nil, count: count)
        for i in 0..<min(positional, count) { sources[i] = i }
        for (k, label) in labels.enumerated() {
            guard let p = signature.names.firstIndex(of: label) else {
                let hint = ParameterSynonyms.hint(label, among: signature.names)
                    ?? Suggestions.didYouMean(label, among: signature.names)
                    ?? (signature.names.isEmpty ? "\(name) has no parameters" : "parameters: \(signature.names.joined(separator: ", "))")
                return .failure(ScriptError("\(name) has no parameter named '\(label)'", hint: hint))
            }
            if sources[p] != nil {
                return .failure(ScriptError("argument '\(label)' of \(name) is given twice"))
            }
            sources[p] = positional + k
        }
        for p in 0..<min(signature.required, count) where sources[p] == nil {
            return .failure(ScriptError("\(name) is missing the argument '\(signature.names[p])'",
                                        hint: usage(signature, name: name, optional: false)))
        }
        let rest = signature.variadic && positional > count ? count..<positional : positional..<positional
        return .success(Plan(sources: sources, rest: rest))
    }

    /// `name(a, b, c = …)`: the parameters, those with defaults marked; without the `optional`
    /// ones, `name(a, b, …)`: what a call needs.
    private static func usage(_ s: Signature, name: String, optional: Bool = true) -> String {
        let required = Array(s.names.prefix(s.required))
        let rest = optional ? s.names.dropFirst(s.required).map { "\($0) = …" } : []
        let more = s.variadic || (!optional && s.names.count > s.required)
        return "\(name)(\((required + rest + (more ? ["…"] : [])).joined(separator: ", ")))"
    }

    private static func describeCount(_ s: Signature) -> String {
        let n = s.names.count
        if s.variadic { return "at least \(counted(s.required, "argument"))" }
        if s.required == n { return counted(n, "argument") }
        return "\(s.required) to \(n) arguments"
    }
}
