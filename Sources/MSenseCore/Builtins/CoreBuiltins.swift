import Foundation
import Tensor

/// The core builtins every interpreter starts with: printing, conversions, numbers, lists,
/// records, assertions and basic matrix constructors. Domain builtins are registered by the host.
enum CoreBuiltins {
    /// All core builtins.
    static func all() -> [Builtin] {
        general + numeric + PiecewiseBuiltins.all + collections + matrices + [clockBuiltin]
    }

    private static func items(of value: Value, for name: String) throws -> [Value] {
        switch value {
        case .list(let l):
            // One operation per item the builtin goes through.
            try WorkTally.charge(l.items.count, for: "\(name) over a list of \(l.items.count) items")
            return l.items
        case .range(let lower, let upper):
            try LengthLimits.requireList(max(lower, upper) - lower, hint: "iterate over the range a..b instead")
            return (lower..<max(lower, upper)).map { .number(Double($0)) }
        case .matrix(let m) where m.rows == 1 || m.cols == 1:
            try LengthLimits.requireList(m.count)
            return m.elements.map(Value.number)
        case .matrix(let m):
            // A matrix with no columns holds no numbers, so it can have any number of rows cheaply.
            try LengthLimits.requireList(m.rows, operations: RunBudget.operations(m.rows, m.cols), hint: "index the rows with m[i, :] instead")
            return (0..<m.rows).map { i in
                .matrix(Matrix(uncheckedRows: 1, cols: m.cols, elements: Array(m.rowElements(i))))
            }
        case .string(let s):
            // At most one item per UTF-8 byte.
            try LengthLimits.requireList(s.utf8.count)
            return s.map { .string(String($0)) }
        default: throw ScriptError("expected a list, range, matrix or string, got \(value.typeName)")
        }
    }

    static let general: [Builtin] = [
        Builtin(name: "print", doc: "Writes its arguments separated by spaces, then a newline, to the output.",
                variadic: Parameter("values"),
            example: """
                print("loss", 0.25, [1, 2])  # expect: loss 0.25 [1, 2]
                """) { args in
            let texts = try args.rest.map(Formatting.displayString)
            let bytes = texts.reduce(0) { $0 + $1.utf8.count + 1 }
            if let problem = LengthLimits.stringProblem(bytes) { throw ScriptError(problem) }
            let copied = Formatting.copiedBytes(args.rest, texts) + texts.count
            try WorkTally.charge(copied, for: "printing \(bytes) bytes")
            args.write(texts.joined(separator: " ") + "\n")
            return .nil
        },
        Builtin(name: "str", doc: "The text print would show for a value.", parameters: [Parameter("value")],
            example: """
                print(str(1.5) + "!", len(str([1, 2])))  # expect: 1.5! 6
                """) { args in
            .string(try Formatting.displayString(args["value"]))
        },
        Builtin(name: "type", doc: "The type name of a value: number, bool, string, list, record, range, matrix, function, nil, or a host type.",
                parameters: [Parameter("value")],
            example: """
                print(type(1), type("a"), type([1]), type(eye(2)))  # expect: number string list matrix
                """) { args in
            .string(args["value"].typeName)
        },
        Builtin(name: "num", doc: "Parses a string as a number (e.g. a script argument); numbers pass through.",
                parameters: [Parameter("text")],
            example: """
                print(num("2.5") * 2)  # expect: 5
                """) { args in
            if case .number = args["text"] { return args["text"] }
            let text = try args.string("text").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            guard let x = Double(text), !text.isEmpty, !text.lowercased().contains("x") else {
                throw ScriptError("cannot read '\(try args.string("text"))' as a number")
            }
            return .number(x)
        },
        Builtin(name: "assert", doc: "Stops the script with an error when the condition is false.",
                parameters: [Parameter("condition"), Parameter("message", default: .nil, doc: "what the error adds after 'assertion failed: '")],
            example: """
                assert(1 + 1 == 2, "arithmetic works")
                print("ok")  # expect: ok
                """) { args in
            guard try args.bool("condition") else {
                if case .nil = args["message"] { throw RuntimeFailure("assertion failed", at: args.site) }
                throw RuntimeFailure("assertion failed: \(Formatting.display(args["message"]))", at: args.site)
            }
            return .nil
        },
        Builtin(name: "error", doc: "Raises an error: it stops the script with the message (and hint), or goes to the nearest enclosing catch, whose record has the message, hint and data. error(e) raises a caught error e again.",
                parameters: [Parameter("message", doc: "what went wrong (any value is shown as print shows it), or a caught error record"),
                             Parameter("hint", default: .nil, doc: "how to fix it (a string)"),
                             Parameter("data", default: .nil, doc: "any value for the catch block: e.data")],
            example: """
                fn safe_sqrt(x) {
                    if x < 0 { error("negative input \\(x)") }
                    return sqrt(x)
                }
                print(safe_sqrt(9))  # expect: 3
                try { safe_sqrt(-1) } catch e { print(e.message, e.line) }  # expect: negative input -1 2
                """) { args in
            try RaisedError.raise(args)
        },
    ]

    private static func unary(_ name: String, _ doc: String, example: String,
                              _ f: @escaping @Sendable (Double) throws -> Double) -> Builtin {
        Builtin(name: name, doc: doc + " Elementwise on lists and matrices.", parameters: [Parameter("x")], example: example) { args in
            try ElementwiseFunction.apply(args["x"], name, f)
        }
    }

    static let numeric: [Builtin] = [
        unary("abs", "Absolute value |x|.", example: "print(abs(-2.5), abs(3))  # expect: 2.5 3") { abs($0) },
        unary("sqrt", "Square root √x; x must not be negative.", example: "print(sqrt(16))  # expect: 4\nprint(sqrt([1, 4, 9]))  # expect: [1, 2, 3]") { x in
            guard x >= 0 else { throw ScriptError("square root of a negative number (\(Formatting.number(x)))") }
            return x.squareRoot()
        },
        unary("exp", "The exponential eˣ.", example: "print(exp(0), round(exp(1), 4))  # expect: 1 2.7183") { Foundation.exp($0) },
        unary("log", "The natural logarithm ln x; x must be positive (log(0) is -inf).", example: "print(log(1), round(log(100) / log(10), 6))  # expect: 0 2") { x in
            guard x >= 0 else { throw ScriptError("logarithm of a negative number (\(Formatting.number(x)))") }
            return Foundation.log(x)
        },
        unary("sin", "The sine of x (radians).", example: "print(sin(0), round(sin(acos(-1) / 2), 12))  # expect: 0 1") { Foundation.sin($0) },
        unary("cos", "The cosine of x (radians).", example: "print(cos(0), round(cos(acos(-1)), 12))  # expect: 1 -1") { Foundation.cos($0) },
        unary("tan", "The tangent of x (radians).", example: "print(tan(0), round(tan(atan(2)), 12))  # expect: 0 2") { Foundation.tan($0) },
        unary("asin", "The arcsine of x in [−π/2, π/2]; x must be in [−1, 1].", example: "print(asin(0), round(asin(1) * 2, 12) == round(acos(-1), 12))  # expect: 0 true") { x in
            guard !(abs(x) > 1) else { throw ScriptError("arcsine of a number outside [-1, 1] (\(Formatting.number(x)))") }
            return Foundation.asin(x)
        },
        unary("acos", "The arccosine of x in [0, π]; x must be in [−1, 1]. acos(-1) is π; acos(σ) of the singular values σ of U₁ᵀU₂ (orthonormal U₁, U₂) are the principal angles between their column spaces.", example: "print(round(acos(-1), 6), acos(1))  # expect: 3.141593 0") { x in
            guard !(abs(x) > 1) else {
                throw ScriptError("arccosine of a number outside [-1, 1] (\(Formatting.number(x)))",
                                  hint: "cosines computed in floating point may pass 1 by a rounding error: clip(x, -1, 1) first")
            }
            return Foundation.acos(x)
        },
        unary("atan", "The arctangent of x in (−π/2, π/2).", example: "print(atan(0), round(4 * atan(1), 6))  # expect: 0 3.141593") { Foundation.atan($0) },
        unary("tanh", "The hyperbolic tangent of x.", example: "print(tanh(0), round(tanh(1), 4))  # expect: 0 0.7616") { Foundation.tanh($0) },
        unary("floor", "The largest integer ≤ x.", example: "print(floor(1.8), floor(-1.2))  # expect: 1 -2") { $0.rounded(.down) },
        unary("ceil", "The smallest integer ≥ x.", example: "print(ceil(1.2), ceil(-1.2))  # expect: 2 -1") { $0.rounded(.up) },
        Builtin(name: "round", doc: "Rounds x to `digits` decimals, halves away from zero: round(2.5) == 3 (NumPy's round takes halves to even: np.round(2.5) == 2).",
                parameters: [Parameter("x"), Parameter("digits", default: .number(0))],
            example: """
                print(round(3.14159), round(3.14159, 2))  # expect: 3 3.14
                """) { args in
            let x = try args.number("x"), digits = try args.integer("digits")
            guard (0...15).contains(digits) else { throw ScriptError("digits must be between 0 and 15") }
            let scale = Foundation.pow(10, Double(digits))
            return .number((x * scale).rounded(.toNearestOrAwayFromZero) / scale)
        },
        extremum("min", "The smallest of the arguments, or of the elements of a single list, range or matrix.", example: "print(min(3, 7, 5), min([1, 9, 2]))  # expect: 3 1") { $0 < $1 },
        extremum("max", "The largest of the arguments, or of the elements of a single list, range or matrix.", example: "print(max(3, 7, 5), max([1, 9, 2]))  # expect: 7 9") { $0 > $1 },
        Builtin(name: "sum", doc: "The sum of the elements of a list, range or matrix (0 when empty).",
                parameters: [Parameter("values")],
            example: """
                print(sum([1, 2, 3]), sum(ones(2, 2)))  # expect: 6 4
                """) { args in
            if case .matrix(let m) = args["values"] { return .number(m.elements.reduce(0, +)) }
            var total: Value = .number(0)
            for item in try items(of: args["values"], for: "sum") {
                if case .number(let a) = total, case .number(let b) = item { total = .number(a + b); continue }
                total = try Operators.arithmetic(.add, total, item, args.site)
            }
            return total
        },
    ]

    private static func extremum(_ name: String, _ doc: String, example: String,
                                 _ better: @escaping @Sendable (Double, Double) -> Bool) -> Builtin {
        Builtin(name: name, doc: doc, variadic: Parameter("values"), example: example) { args in
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
                parameters: [Parameter("value")],
            example: """
                print(len([1, 2, 3]), len("héllo"), len({a: 1}))  # expect: 3 5 1
                """) { args in
            switch args["value"] {
            case .list(let l): return .number(Double(l.items.count))
            case .string(let s):
                // Counting characters reads every byte.
                try WorkTally.charge(s.utf8.count, for: "counting the characters of \(s.utf8.count) bytes")
                return .number(Double(s.count))
            case .range(let lower, let upper): return .number(Double(max(0, upper - lower)))
            case .record(let r): return .number(Double(r.names.count))
            case .matrix(let m): return .number(Double(m.rows == 1 || m.cols == 1 ? m.count : m.rows))
            default: throw ScriptError("\(withArticle(args["value"].typeName)) has no length")
            }
        },
        Builtin(name: "range", doc: "The list start, start+step, … up to but excluding stop; range(n) is 0 … n-1. (`a..b` is the lazy form.)",
                parameters: [Parameter("start"), Parameter("stop", default: .nil), Parameter("step", default: .number(1))],
            example: """
                print(range(3), range(1, 7, 2))  # expect: [0, 1, 2] [1, 3, 5]
                """) { args in
            var start = try args.integer("start"), stop: Int
            if case .nil = args["stop"] { stop = start; start = 0 } else { stop = try args.integer("stop") }
            let step = try args.integer("step")
            guard step != 0 else { throw ScriptError("step must not be 0") }
            let count = step > 0 ? max(0, (stop - start + step - 1) / step) : max(0, (start - stop - step - 1) / -step)
            try LengthLimits.requireList(count, hint: "use a range a..b instead")
            return .list((0..<count).map { .number(Double(start + $0 * step)) })
        },
        Builtin(name: "list", doc: "A new list of the items of a list, range, vector, matrix rows or string characters.",
                parameters: [Parameter("value")],
            example: """
                print(list(0..4))  # expect: [0, 1, 2, 3]
                """) { args in .list(try items(of: args["value"], for: "list")) },
        Builtin(name: "push", doc: "Appends a value to the end of a list (in place) and returns the list.",
                parameters: [Parameter("list"), Parameter("value")],
            example: """
                let xs = [1]
                push(xs, 2)
                print(xs)  # expect: [1, 2]
                """) { args in
            let list = try args.list("list")
            if let problem = LengthLimits.growthProblem(list.items.count + 1) { throw ScriptError(problem) }
            list.items.append(args["value"])
            return args["list"]
        },
        Builtin(name: "pop", doc: "Removes and returns the last element of a list.", parameters: [Parameter("list")],
            example: """
                let xs = [1, 2, 3]
                print(pop(xs), xs)  # expect: 3 [1, 2]
                """) { args in
            guard let last = try args.list("list").items.popLast() else { throw ScriptError("cannot pop from an empty list") }
            return last
        },
        Builtin(name: "keys", doc: "The field names of a record or host object, as a list of strings.",
                parameters: [Parameter("record")],
            example: """
                print(keys({lr: 0.1, steps: 10}))  # expect: ["lr", "steps"]
                """) { args in
            switch args["record"] {
            case .record(let r):
                try LengthLimits.requireList(r.names.count)
                return .list(r.names.map(Value.string))
            case .object(let o): return .list(o.fieldNames.map(Value.string))
            default: throw ScriptError("expected a record, got \(args["record"].typeName)")
            }
        },
        Builtin(name: "join", doc: "Joins the items of a list into one string, with a separator between them.",
                parameters: [Parameter("values"), Parameter("separator", default: .string(""))],
            example: """
                print(join(["a", "b", "c"], "-"))  # expect: a-b-c
                """) { args in
            let items = try args.list("values").items, separator = try args.string("separator")
            let texts = try items.map(Formatting.displayString)
            let separators = max(texts.count - 1, 0) * separator.utf8.count
            let bytes = texts.reduce(0) { $0 + $1.utf8.count } + separators
            if let problem = LengthLimits.stringProblem(bytes) { throw ScriptError(problem) }
            try WorkTally.charge(Formatting.copiedBytes(items, texts) + separators, for: "joining \(bytes) bytes")
            return .string(texts.joined(separator: separator))
        },
    ]

    private static func dimension(_ args: Arguments, _ name: String) throws -> Int {
        let n = try args.integer(name)
        guard n >= 0 else { throw ScriptError("argument '\(name)' must not be negative, got \(n)") }
        return n
    }

    private static func makeMatrix(_ rows: Int, _ cols: Int, _ value: Double, _ args: Arguments) throws -> Value {
        try args.reserve(8 * Double(rows) * Double(cols), for: "a \(rows)×\(cols) matrix")
        do { return .matrix(try Matrix(rows: rows, cols: cols, repeating: value)) } catch { throw ScriptError(error.description) }
    }

    static let matrices: [Builtin] = [
        Builtin(name: "zeros", doc: "A rows×cols matrix of zeros (a column vector when cols is omitted).",
                parameters: [Parameter("rows"), Parameter("cols", default: .number(1))],
            example: """
                print(zeros(2))  # expect: [0; 0]
                """) { args in
            try makeMatrix(try dimension(args, "rows"), try dimension(args, "cols"), 0, args)
        },
        Builtin(name: "ones", doc: "A rows×cols matrix of ones (a column vector when cols is omitted).",
                parameters: [Parameter("rows"), Parameter("cols", default: .number(1))],
            example: """
                print(ones(2, 3))  # expect: [1, 1, 1; 1, 1, 1]
                """) { args in
            try makeMatrix(try dimension(args, "rows"), try dimension(args, "cols"), 1, args)
        },
        Builtin(name: "eye", doc: "The n×n identity matrix.", parameters: [Parameter("n")],
            example: """
                print(eye(2))  # expect: [1, 0; 0, 1]
                """) { args in
            let n = try dimension(args, "n")
            guard case .matrix(var m) = try makeMatrix(n, n, 0, args) else { return .nil }
            for i in 0..<n { m[i, i] = 1 }
            return .matrix(m)
        },
        Builtin(name: "shape", doc: "The shape of a matrix as the list [rows, cols]; a number is [1, 1]; an object with a shape field (an array loaded from .npy) gives that field.",
                parameters: [Parameter("matrix")],
            example: """
                print(shape(zeros(2, 3)))  # expect: [2, 3]
                """) { args in
            if case .object(let object) = args[0], object.fieldNames.contains("shape"), let shape = try object.field(named: "shape") {
                return shape
            }
            let m = try args.matrix("matrix")
            return .list([.number(Double(m.rows)), .number(Double(m.cols))])
        },
        Builtin(name: "matrix", doc: "A matrix from a list of rows (lists of numbers), or a column vector from a list of numbers.",
                parameters: [Parameter("rows")],
            example: """
                print(matrix([[1, 2], [3, 4]]))  # expect: [1, 2; 3, 4]
                """) { args in
            var rows: [[Double]] = []
            for item in try args.list("rows").items {
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
            return .matrix(try Matrix(rows))
        },
    ]
}
