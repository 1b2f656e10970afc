import Autodiff
import MSenseCore
import Tensor

/// A value inside a `grad` call: a matrix or number recorded on that call's tape, so that the
/// operators and the differentiable builtins applied to it are recorded too (docs/autodiff.md,
/// "In scripts").
///
/// Scripts see it as type `traced`. `isNumber` keeps the language's distinction between a number
/// and a 1×1 matrix: a number combines with a matrix elementwise (`2 * X`, `X - s`), a matrix only
/// with a matrix of its shape.
final class TracedValue: OperandObject, TabledScriptObject, @unchecked Sendable {
    // Safety: made and used only on the interpreter thread running the `grad` call.
    let session: TraceSession
    let variable: Variable
    let isNumber: Bool

    init(_ session: TraceSession, _ variable: Variable, isNumber: Bool) {
        self.session = session
        self.variable = variable
        self.isNumber = isNumber && variable.isScalar
    }

    var typeName: String { "traced" }

    /// A traced value has no fields: scripts use it as the number or matrix it stands for.
    static let fields = FieldTable<TracedValue>([:])

    func binary(_ op: String, _ a: Value, _ b: Value) throws -> Value? {
        try TracedOperators.binary(op, a, b)
    }

    func unary(_ op: String) throws -> Value? {
        try TracedOperators.unary(op, self)
    }

    func callBuiltin(_ name: String, _ arguments: Arguments) throws -> Value? {
        try TracedBuiltins.call(name, arguments)
    }

    func describe() -> String {
        let value = try? session.tape.value(variable)
        if isNumber, let x = value?.elements.first { return "traced(\(Formatting.number(x)))" }
        return "traced(\(TensorError.format(variable.shape)) matrix)"
    }
}

/// The tape of one `grad` call, shared by its traced values.
final class TraceSession: @unchecked Sendable {
    // Safety: made and used only on the interpreter thread running the `grad` call.
    let tape = Tape()

    /// A traced value for the result `variable` of a tape operation.
    func traced(_ variable: Variable, isNumber: Bool) -> Value {
        .object(TracedValue(self, variable, isNumber: isNumber))
    }
}

/// An operand of a traced operation: a traced value, or a constant number or matrix.
enum TracedOperand {
    case traced(TracedValue)
    case number(Double)
    case matrix(Matrix)

    /// The operand of `value`, or nil for a value that cannot take part (a string, a list, …).
    init?(_ value: Value) {
        switch value {
        case .number(let x): self = .number(x)
        case .matrix(let m): self = .matrix(m)
        case .object(let object as TracedValue): self = .traced(object)
        default: return nil
        }
    }

    /// True for a number or a traced number (as opposed to a matrix).
    var isNumber: Bool {
        switch self {
        case .number: true
        case .matrix: false
        case .traced(let t): t.isNumber
        }
    }

    /// The traced value inside, if any.
    var traced: TracedValue? {
        if case .traced(let t) = self { return t }
        return nil
    }

    /// The operand as a variable of `session`'s tape (constants become leaves).
    func variable(on session: TraceSession) throws -> Variable {
        switch self {
        case .number(let x): return session.tape.variable(x)
        case .matrix(let m): return session.tape.variable(m)
        case .traced(let t):
            guard t.session === session else {
                throw ScriptError("a traced value of one grad call cannot be used inside another",
                                  hint: "nested grad calls are not supported; compute the inner gradient first")
            }
            return t.variable
        }
    }

    /// The shape of the operand (a traced value's without computing it).
    var shape: (rows: Int, cols: Int) {
        switch self {
        case .number: (1, 1)
        case .matrix(let m): (m.rows, m.cols)
        case .traced(let t): (t.variable.rows, t.variable.cols)
        }
    }

    /// The current value of the operand.
    func value() throws -> Matrix {
        switch self {
        case .number(let x): return Matrix(column: [x])
        case .matrix(let m): return m
        case .traced(let t): return try t.session.tape.value(t.variable)
        }
    }
}
