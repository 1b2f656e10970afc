import Autodiff
import MSenseCore
import Tensor

/// The operators on traced values (inside `grad`), recorded on the call's tape with the meaning
/// they have on numbers and matrices: `+ - * /` elementwise (a number with a matrix applies to
/// every element; two matrices must have one shape), `^` with a constant number as exponent
/// (`pow`, elementwise), `@` the matrix product, `'` the transpose, unary `-`. Dividing by a value
/// with a zero element is an error, as for numbers. `%` cannot be differentiated.
enum TracedOperators {
    /// `a op b` (`op` the operator's token) when either operand is traced, or nil when one
    /// operand is a value no operator takes, leaving the usual error.
    static func binary(_ op: String, _ a: Value, _ b: Value) throws -> Value? {
        guard let x = TracedOperand(a), let y = TracedOperand(b),
              let session = x.traced?.session ?? y.traced?.session
        else { return nil }
        let tape = session.tape
        switch op {
        case "@":
            guard !x.isNumber, !y.isNumber else {
                throw ScriptError("'@' needs two matrices", hint: "use '*' to multiply by a number")
            }
            let (u, v) = (try x.variable(on: session), try y.variable(on: session))
            return session.traced(try tape.matmul(u, v), isNumber: false)
        case "^":
            guard case .number(let p) = y else {
                throw ScriptError("inside grad, '^' needs a constant number as its exponent",
                                  hint: "x ^ 2 squares every element; a traced or matrix exponent cannot be differentiated")
            }
            let u = try x.variable(on: session)
            return session.traced(try tape.power(u, p), isNumber: x.isNumber)
        case "+", "-", "*", "/":
            let (rows, cols) = try resultShape(op, x, y)
            if op == "/", try y.value().elements.contains(0) {
                throw ScriptError("division by zero")
            }
            let u = try lifted(x, rows, cols, session), v = try lifted(y, rows, cols, session)
            let result = switch op {
            case "+": try tape.add(u, v)
            case "-": try tape.subtract(u, v)
            case "*": try tape.hadamard(u, v)
            default: try tape.divide(u, v)
            }
            return session.traced(result, isNumber: x.isNumber && y.isNumber)
        default:
            throw ScriptError("'\(op)' cannot be differentiated", hint: "inside grad, use + - * / ^ @ and '")
        }
    }

    /// `-a` (`op == "-"`) or `a'` (`op == "'"`; a traced number is its own transpose).
    static func unary(_ op: String, _ a: TracedValue) throws -> Value? {
        let tape = a.session.tape
        if op == "'" {
            if a.isNumber { return .object(a) }
            return a.session.traced(try tape.transpose(a.variable), isNumber: false)
        }
        guard op == "-" else { return nil }
        return a.session.traced(try tape.negate(a.variable), isNumber: a.isNumber)
    }

    /// The shape of `x op y`: the matrix operand's (both matrices must agree), or 1×1 for numbers.
    static func resultShape(_ op: String, _ x: TracedOperand, _ y: TracedOperand) throws -> (Int, Int) {
        let (a, b) = (x.shape, y.shape)
        switch (x.isNumber, y.isNumber) {
        case (true, true): return (1, 1)
        case (true, false): return (b.rows, b.cols)
        case (false, true): return (a.rows, a.cols)
        case (false, false):
            guard a.rows == b.rows, a.cols == b.cols else {
                throw ScriptError("cannot apply '\(op)' to matrices of shapes \(TensorError.format([a.rows, a.cols])) and \(TensorError.format([b.rows, b.cols]))",
                                  hint: op == "*" ? "'*' is elementwise; use '@' for the matrix product" : nil)
            }
            return (a.rows, a.cols)
        }
    }

    /// The operand as a `rows×cols` variable: a number is spread over every element.
    static func lifted(_ operand: TracedOperand, _ rows: Int, _ cols: Int, _ session: TraceSession) throws -> Variable {
        let tape = session.tape
        guard operand.isNumber, rows * cols != 1 else { return try operand.variable(on: session) }
        if case .number(let c) = operand {
            return tape.variable(try Matrix(rows: rows, cols: cols, repeating: c))
        }
        let s = try operand.variable(on: session)
        return try tape.broadcast(s, rows: rows, cols: cols)
    }
}
