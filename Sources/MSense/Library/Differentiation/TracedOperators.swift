import Autodiff
import Tensor

/// The operators on traced values (inside `grad`), recorded on the call's tape with the meaning
/// they have on numbers and matrices: `+ - * /` elementwise (a number with a matrix applies to
/// every element; two matrices must have one shape), `^` with a constant number as exponent
/// (`pow`, elementwise), `@` the matrix product, `'` the transpose, unary `-`. Dividing by a value
/// with a zero element is an error, as for numbers. `%` cannot be differentiated.
enum TracedOperators {
    /// `a op b` when either operand is traced, or nil when neither is (or one is a value no
    /// operator takes), leaving the usual error to the caller.
    static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value, _ site: Site) throws -> Value? {
        guard let x = TracedOperand(a), let y = TracedOperand(b),
              let session = x.traced?.session ?? y.traced?.session
        else { return nil }
        return try located(site) { try binary(op, x, y, session) }
    }

    /// `-a` for a traced `a`, or nil.
    static func negate(_ a: Value, _ site: Site) throws -> Value? {
        guard case .object(let object as TracedValue) = a else { return nil }
        let tape = object.session.tape
        return try located(site) {
            object.session.traced(try differentiable { () throws(AutodiffError) in try tape.negate(object.variable) },
                                  isNumber: object.isNumber)
        }
    }

    /// `a'` for a traced `a` (a traced number is its own transpose), or nil.
    static func transpose(_ a: Value, _ site: Site) throws -> Value? {
        guard case .object(let object as TracedValue) = a else { return nil }
        if object.isNumber { return a }
        let tape = object.session.tape
        return try located(site) {
            object.session.traced(try differentiable { () throws(AutodiffError) in try tape.transpose(object.variable) },
                                  isNumber: false)
        }
    }

    private static func binary(_ op: BinaryOperator, _ x: TracedOperand, _ y: TracedOperand, _ session: TraceSession) throws -> Value {
        let tape = session.tape
        switch op {
        case .matrixProduct:
            guard !x.isNumber, !y.isNumber else {
                throw ScriptError("'@' needs two matrices", hint: "use '*' to multiply by a number")
            }
            let (u, v) = (try x.variable(on: session), try y.variable(on: session))
            return session.traced(try differentiable { () throws(AutodiffError) in try tape.matmul(u, v) }, isNumber: false)
        case .power:
            guard case .number(let p) = y else {
                throw ScriptError("inside grad, '^' needs a constant number as its exponent",
                                  hint: "x ^ 2 squares every element; a traced or matrix exponent cannot be differentiated")
            }
            let u = try x.variable(on: session)
            return session.traced(try differentiable { () throws(AutodiffError) in try tape.power(u, p) }, isNumber: x.isNumber)
        case .add, .subtract, .multiply, .divide:
            let (rows, cols) = try resultShape(op, x, y)
            if op == .divide, try y.value().elements.contains(0) {
                throw ScriptError("division by zero")
            }
            let u = try lifted(x, rows, cols, session), v = try lifted(y, rows, cols, session)
            let result = try differentiable { () throws(AutodiffError) -> Variable in
                switch op {
                case .add: try tape.add(u, v)
                case .subtract: try tape.subtract(u, v)
                case .multiply: try tape.hadamard(u, v)
                default: try tape.divide(u, v)
                }
            }
            return session.traced(result, isNumber: x.isNumber && y.isNumber)
        default:
            throw ScriptError("'\(op.rawValue)' cannot be differentiated", hint: "inside grad, use + - * / ^ @ and '")
        }
    }

    /// The shape of `x op y`: the matrix operand's (both matrices must agree), or 1×1 for numbers.
    private static func resultShape(_ op: BinaryOperator, _ x: TracedOperand, _ y: TracedOperand) throws -> (Int, Int) {
        let (a, b) = (try x.value(), try y.value())
        switch (x.isNumber, y.isNumber) {
        case (true, true): return (1, 1)
        case (true, false): return (b.rows, b.cols)
        case (false, true): return (a.rows, a.cols)
        case (false, false):
            guard a.rows == b.rows, a.cols == b.cols else {
                throw ScriptError("cannot apply '\(op.rawValue)' to matrices of shapes \(TensorError.format(a.shape)) and \(TensorError.format(b.shape))",
                                  hint: op == .multiply ? "'*' is elementwise; use '@' for the matrix product" : nil)
            }
            return (a.rows, a.cols)
        }
    }

    /// The operand as a `rows×cols` variable: a number is spread over every element.
    private static func lifted(_ operand: TracedOperand, _ rows: Int, _ cols: Int, _ session: TraceSession) throws -> Variable {
        let tape = session.tape
        guard operand.isNumber, rows * cols != 1 else { return try operand.variable(on: session) }
        if case .number(let c) = operand {
            return tape.variable(try tensor { () throws(TensorError) in try Matrix(rows: rows, cols: cols, repeating: c) })
        }
        let s = try operand.variable(on: session)
        return try differentiable { () throws(AutodiffError) in try tape.broadcast(s, rows: rows, cols: cols) }
    }

    /// Runs `body`, giving a script error the location `site`.
    private static func located<T>(_ site: Site, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let problem as ScriptError {
            throw RuntimeFailure(problem.message, hint: problem.hint, at: site)
        }
    }
}
