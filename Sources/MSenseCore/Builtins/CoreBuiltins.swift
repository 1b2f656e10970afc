import Foundation
import Tensor

/// The core builtins every interpreter starts with: printing, conversions, numbers, lists,
/// records, assertions and basic matrix constructors. Domain builtins are registered by the host.
enum CoreBuiltins {
    /// All core builtins.
    static func all() -> [Builtin] {
        general + numeric + collections + matrices + [clockBuiltin]
    }

    private static func items(of value: Value, for name: String) throws -> [Value] {
        switch value {
        case .list(let l): return l.items
        case .range(let lower, let upper):
            if let problem = LengthLimits.listProblem(max(lower, upper) - lower) { throw ScriptError(problem, hint: "iterate over the range a..b instead") }
            return (lower..<max(lower, upper)).map { .number(Double($0)) }
        case .matrix(let m) where m.rows == 1 || m.cols == 1: return m.elements.map(Value.number)
        case .matrix(let m):
            // A matrix with no columns holds no numbers, so it can have any number of rows cheaply.
            if let problem = LengthLimits.listProblem(m.rows) { throw ScriptError(problem, hint: "index the rows with m[i, :] instead") }
            return (0..<m.rows).map { i in
                .matrix(Matrix(uncheckedRows: 1, cols: m.cols, elements: Array(m.elements[(i * m.cols)..<((i + 1) * m.cols)])))
            }
        case .string(let s): return s.map { .string(String($0)) }
        default: throw ScriptError("expected a list, range, matrix or string, got \(value.typeName)")
        }
    }

    static let general: [Builtin] = [
        Builtin(name: "print", doc: "Writes its arguments separated by spaces, then a newline, to the output.",
                variadic: Parameter("values")) { args in
            let texts = try args.rest.map(Formatting.displayString)
            if let problem = LengthLimits.stringProblem(texts.reduce(0) { $0 + $1.utf8.count + 1 }) { throw ScriptError(problem) }
            args.write(texts.joined(separator: " ") + "\n")
            return .nil
        },
        Builtin(name: "str", doc: "The text print would show for a value.", parameters: [Parameter("value")]) { args in
            .string(try Formatting.displayString(args[0]))
        },
        Builtin(name: "type", doc: "The type name of a value: number, bool, string, list, record, range, matrix, function, nil, or a host type.",
                parameters: [Parameter("value")]) { args in
            .string(args[0].typeName)
        },
        Builtin(name: "num", doc: "Parses a string as a number (e.g. a script argument); numbers pass through.",
                parameters: [Parameter("text")]) { args in
            if case .number = args[0] { return args[0] }
            let text = try args.string(0).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            guard let x = Double(text), !text.isEmpty, !text.lowercased().contains("x") else {
                throw ScriptError("cannot read '\(try args.string(0))' as a number")
            }
            return .number(x)
        },
        Builtin(name: "assert", doc: "Stops the script with an error when the condition is false.",
                parameters: [Parameter("condition"), Parameter("message", default: .string("assertion failed"))]) { args in
            guard try args.bool(0) else {
                throw RuntimeFailure("assertion failed: \(Formatting.display(args[1]))", at: args.site)
            }
            return .nil
        },
        Builtin(name: "error", doc: "Raises an error: it stops the script with the message (and hint), or goes to the nearest enclosing catch, whose record has the message, hint and data. error(e) raises a caught error e again.",
                parameters: [Parameter("message", doc: "what went wrong (any value is shown as print shows it), or a caught error record"),
                             Parameter("hint", default: .nil, doc: "how to fix it (a string)"),
                             Parameter("data", default: .nil, doc: "any value for the catch block: e.data")]) { args in
            try RaisedError.raise(args)
        },
    ]

    private static func unary(_ name: String, _ doc: String, _ f: @escaping @Sendable (Double) throws -> Double) -> Builtin {
        Builtin(name: name, doc: doc + " Elementwise on lists and matrices.", parameters: [Parameter("x")]) { args in
            try ElementwiseFunction.apply(args[0], name, f)
        }
    }

    static let numeric: [Builtin] = [
        unary("abs", "Absolute value |x|.") { abs($0) },
        unary("sqrt", "Square root √x; x must not be negative.") { x in
            guard x >= 0 else { throw ScriptError("square root of a negative number (\(Formatting.number(x)))") }
            return x.squareRoot()
        },
        unary("exp", "The exponential eˣ.") { Foundation.exp($0) },
        unary("log", "The natural logarithm ln x; x must be positive (log(0) is -inf).") { x in
            guard x >= 0 else { throw ScriptError("logarithm of a negative number (\(Formatting.number(x)))") }
            return Foundation.log(x)
        },
        unary("floor", "The largest integer ≤ x.") { $0.rounded(.down) },
        unary("ceil", "The smallest integer ≥ x.") { $0.rounded(.up) },
        Builtin(name: "round", doc: "Rounds x to `digits` decimals, halves away from zero: round(2.5) == 3.",
                parameters: [Parameter("x"), Parameter("digits", default: .number(0))]) { args in
            let x = try args.number(0), digits = try args.integer(1)
            guard (0...15).contains(digits) else { throw ScriptError("digits must be between 0 and 15") }
            let scale = Foundation.pow(10, Double(digits))
            return .number((x * scale).rounded(.toNearestOrAwayFromZero) / scale)
        },
        extremum("min", "The smallest of the arguments, or of the elements of a single list, range or matrix.") { $0 < $1 },
        extremum("max", "The largest of the arguments, or of the elements of a single list, range or matrix.") { $0 > $1 },
        Builtin(name: "sum", doc: "The sum of the elements of a list, range or matrix (0 when empty).",
                parameters: [Parameter("values")]) { args in
            if case .matrix(let m) = args[0] { return .number(m.elements.reduce(0, +)) }
            var total: Value = .number(0)
            for item in try items(of: args[0], for: "sum") {
                if case .number(let a) = total, case .number(let b) = item { total = .number(a + b); continue }
                total = try Operators.arithmetic(.add, total, item, args.site)
            }
            return total
        },
    ]

    private static func extremum(_ name: String, _ doc: String, _ better: @escaping @Sendable (Double, Double) -> Bool) -> Builtin {
        Builtin(name: name, doc: doc, variadic: Parameter("values")) { args in
            var candidates = args.rest
            if candidates.count == 1 {
                switch candidates[0] {
                case .number: break
                case .matrix(let m): candidates = m.elements.map(Value.number)
                default: candidates = try items(of: candidates[0], for: name)
                }
            }
            guard !candidates.isEmpty else { throw ScriptError("needs at least one value") }
            var best = -Double.infinity
            var first = true
            for value in candidates {
                guard case .number(let x) = value else { throw ScriptError("expected numbers, got \(value.typeName)") }
                if first || better(x, best) || x.isNaN { best = x; first = false }
                if x.isNaN { break }
            }
            return .number(best)
        }
    }

    static let collections: [Builtin] = [
        Builtin(name: "len", doc: "The number of items `for` visits: list elements, string characters, range length, record fields, vector elements or matrix rows.",
                parameters: [Parameter("value")]) { args in
            switch args[0] {
            case .list(let l): return .number(Double(l.items.count))
            case .string(let s): return .number(Double(s.count))
            case .range(let lower, let upper): return .number(Double(max(0, upper - lower)))
            case .record(let r): return .number(Double(r.names.count))
            case .matrix(let m): return .number(Double(m.rows == 1 || m.cols == 1 ? m.count : m.rows))
            default: throw ScriptError("\(withArticle(args[0].typeName)) has no length")
            }
        },
        Builtin(name: "range", doc: "The list start, start+step, … up to but excluding stop; range(n) is 0 … n-1. (`a..b` is the lazy form.)",
                parameters: [Parameter("start"), Parameter("stop", default: .nil), Parameter("step", default: .number(1))]) { args in
            var start = try args.integer(0), stop: Int
            if case .nil = args[1] { stop = start; start = 0 } else { stop = try args.integer(1) }
            let step = try args.integer(2)
            guard step != 0 else { throw ScriptError("step must not be 0") }
            let count = step > 0 ? max(0, (stop - start + step - 1) / step) : max(0, (start - stop - step - 1) / -step)
            if let problem = LengthLimits.listProblem(count) { throw ScriptError(problem, hint: "use a range a..b instead") }
            return .list((0..<count).map { .number(Double(start + $0 * step)) })
        },
        Builtin(name: "list", doc: "A new list of the items of a list, range, vector, matrix rows or string characters.",
                parameters: [Parameter("value")]) { args in .list(try items(of: args[0], for: "list")) },
        Builtin(name: "push", doc: "Appends a value to the end of a list (in place) and returns the list.",
                parameters: [Parameter("list"), Parameter("value")]) { args in
            let list = try args.list(0)
            if let problem = LengthLimits.growthProblem(list.items.count + 1) { throw ScriptError(problem) }
            list.items.append(args[1])
            return args[0]
        },
        Builtin(name: "pop", doc: "Removes and returns the last element of a list.", parameters: [Parameter("list")]) { args in
            guard let last = try args.list(0).items.popLast() else { throw ScriptError("cannot pop from an empty list") }
            return last
        },
        Builtin(name: "keys", doc: "The field names of a record or host object, as a list of strings.",
                parameters: [Parameter("record")]) { args in
            switch args[0] {
            case .record(let r): return .list(r.names.map(Value.string))
            case .object(let o): return .list(o.fieldNames.map(Value.string))
            default: throw ScriptError("expected a record, got \(args[0].typeName)")
            }
        },
        Builtin(name: "join", doc: "Joins the items of a list into one string, with a separator between them.",
                parameters: [Parameter("values"), Parameter("separator", default: .string(""))]) { args in
            let texts = try args.list(0).items.map(Formatting.displayString), separator = try args.string(1)
            let bytes = texts.reduce(0) { $0 + $1.utf8.count } + max(texts.count - 1, 0) * separator.utf8.count
            if let problem = LengthLimits.stringProblem(bytes) { throw ScriptError(problem) }
            return .string(texts.joined(separator: separator))
        },
    ]

    private static func dimension(_ args: Arguments, _ i: Int) throws -> Int {
        let n = try args.integer(i)
        guard n >= 0 else { throw ScriptError("argument '\(args.parameterNames[i])' must not be negative, got \(n)") }
        return n
    }

    private static func makeMatrix(_ rows: Int, _ cols: Int, _ value: Double, _ args: Arguments) throws -> Value {
        try args.reserve(8 * Double(rows) * Double(cols), for: "a \(rows)×\(cols) matrix")
        do { return .matrix(try Matrix(rows: rows, cols: cols, repeating: value)) } catch { throw ScriptError(error.description) }
    }

    static let matrices: [Builtin] = [
        Builtin(name: "zeros", doc: "A rows×cols matrix of zeros (a column vector when cols is omitted).",
                parameters: [Parameter("rows"), Parameter("cols", default: .number(1))]) { args in
            try makeMatrix(try dimension(args, 0), try dimension(args, 1), 0, args)
        },
        Builtin(name: "ones", doc: "A rows×cols matrix of ones (a column vector when cols is omitted).",
                parameters: [Parameter("rows"), Parameter("cols", default: .number(1))]) { args in
            try makeMatrix(try dimension(args, 0), try dimension(args, 1), 1, args)
        },
        Builtin(name: "eye", doc: "The n×n identity matrix.", parameters: [Parameter("n")]) { args in
            let n = try dimension(args, 0)
            guard case .matrix(var m) = try makeMatrix(n, n, 0, args) else { return .nil }
            for i in 0..<n { m[i, i] = 1 }
            return .matrix(m)
        },
        Builtin(name: "shape", doc: "The shape of a matrix as the list [rows, cols]; a number is [1, 1].",
                parameters: [Parameter("matrix")]) { args in
            let m = try args.matrix(0)
            return .list([.number(Double(m.rows)), .number(Double(m.cols))])
        },
        Builtin(name: "matrix", doc: "A matrix from a list of rows (lists of numbers), or a column vector from a list of numbers.",
                parameters: [Parameter("rows")]) { args in
            var rows: [[Double]] = []
            for item in try args.list(0).items {
                switch item {
                case .number(let x): rows.append([x])
                case .list(let row):
                    rows.append(try row.items.map { v in
                        guard case .number(let x) = v else { throw ScriptError("matrix elements must be numbers, got \(v.typeName)") }
                        return x
                    })
                default: throw ScriptError("rows must be lists of numbers, got \(item.typeName)")
                }
            }
            do { return .matrix(try Matrix(rows)) } catch let e as TensorError { throw ScriptError(e.description) }
        },
    ]
}
