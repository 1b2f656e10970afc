import Autodiff
import Foundation
import MSenseCore
import Sensing
import Tensor

/// The builtins that differentiate: when a call to one of these has a traced argument (inside
/// `grad`), the call is recorded on the tape instead of computed on plain values. Other builtins
/// receive a traced value as it is (`print` and `type` show it; the rest refuse it as any value of
/// the wrong type).
///
/// | builtin | traced meaning |
/// | --- | --- |
/// | `sum(X)`, `mean(X)` | `Σᵢⱼ Xᵢⱼ`, `(1/n) Σᵢⱼ Xᵢⱼ` |
/// | `norm(X)` | `‖X‖_F` (gradient `X/‖X‖_F`, 0 at `X = 0`) |
/// | `trace(X)` | `Σᵢ Xᵢᵢ` |
/// | `inner(A, B)` | `⟨A, B⟩` |
/// | `abs`, `sign`, `sqrt`, `exp`, `log` | elementwise (`sign(0) = 0`; `sqrt` and `log` refuse negative elements, as for numbers) |
/// | `clip(X, lo, hi)` | elementwise, constant bounds; gradient 1 on `[lo, hi]`, 0 outside |
/// | `maximum(A, B)`, `minimum(A, B)` | elementwise (docs/autodiff.md states the gradient at ties) |
/// | `shape(X)` | `[rows, cols]`, a plain list |
/// | `measure(A, Z)` | `(⟨Aᵢ, Z⟩)ᵢ` (symmetric ensembles: `⟨Sᵢ, Z⟩`), adjoint `w ↦ Σᵢ wᵢAᵢ` |
enum TracedBuiltins {
    /// The traced result of builtin `name` on `arguments` (one of them traced), or nil when the
    /// builtin does not differentiate (it then runs as usual).
    static func call(_ name: String, _ arguments: Arguments) throws -> Value? {
        try implementations[name]?(arguments)
    }

    private typealias Implementation = @Sendable (Arguments) throws -> Value

    private static let implementations: [String: Implementation] = [
        "sum": { args in try reduce(args["values"]) { t, v in try t.sum(v) } },
        "mean": { args in
            guard case .nil = args["axis"] else {
                throw ScriptError("inside grad, mean reduces over every element; axis: cannot be differentiated",
                                  hint: "for the column means of X (n rows) write ones(1, n) @ X / n")
            }
            return try reduce(args["x"]) { t, v in try t.mean(v) }
        },
        "norm": { args in try reduce(args["M"]) { t, v in try t.frobeniusNorm(v) } },
        "trace": { args in try reduce(args["M"]) { t, v in try t.trace(v) } },
        "inner": { args in
            let (a, b) = (try operand(args["A"]), try operand(args["B"]))
            let session = try sessionOf(a, b)
            return session.traced(try session.tape.dot(try a.variable(on: session), try b.variable(on: session)), isNumber: true)
        },
        "abs": { args in try elementwise(args["x"]) { t, v in try t.abs(v) } },
        "sign": { args in try elementwise(args["x"]) { t, v in try t.sign(v) } },
        "exp": { args in try elementwise(args["x"]) { t, v in try t.exp(v) } },
        "sqrt": { args in
            try requireNonNegative(args["x"], "square root of a negative number")
            return try elementwise(args["x"]) { t, v in try t.sqrt(v) }
        },
        "log": { args in
            try requireNonNegative(args["x"], "logarithm of a negative number")
            return try elementwise(args["x"]) { t, v in try t.log(v) }
        },
        "clip": { args in
            let (lo, hi) = try PiecewiseBuiltins.clipBounds(args)
            return try elementwise(args["x"]) { t, v in try t.clip(v, lower: lo, upper: hi) }
        },
        "maximum": { args in
            try pairwise(args, "maximum", constant: { t, v, c in try t.maximum(v, c) }, both: { t, u, v in try t.maximum(u, v) })
        },
        "minimum": { args in
            try pairwise(args, "minimum", constant: { t, v, c in try t.minimum(v, c) }, both: { t, u, v in try t.minimum(u, v) })
        },
        "min": { _ in throw extremumOfArguments("min", elementwise: "minimum") },
        "max": { _ in throw extremumOfArguments("max", elementwise: "maximum") },
        "shape": { args in
            let (rows, cols) = try operand(args["matrix"]).shape
            return .list([.number(Double(rows)), .number(Double(cols))])
        },
        "measure": { args in
            guard args.values.count == 2 else {
                throw ScriptError("inside grad, the method A.measure(Z) is not recorded",
                                  hint: "write measure(A, Z), which grad differentiates")
            }
            let z = try operand(args["Z"])
            let session = try sessionOf(z, z)
            let measurement = try EnsembleMeasurements.measurement(args, measuring: try z.value())
            return session.traced(try session.tape.measure(measurement, try z.variable(on: session)), isNumber: false)
        },
    ]

    private static func operand(_ value: Value) throws -> TracedOperand {
        guard let operand = TracedOperand(value) else {
            throw ScriptError("expected a number, a matrix or a traced value, got \(value.typeName)")
        }
        return operand
    }

    private static func sessionOf(_ a: TracedOperand, _ b: TracedOperand) throws -> TraceSession {
        guard let session = a.traced?.session ?? b.traced?.session else {
            throw ScriptError("expected a traced value")
        }
        return session
    }

    /// A scalar summary of one traced operand: a traced number.
    private static func reduce(_ value: Value, _ body: (Tape, Variable) throws -> Variable) throws -> Value {
        try record(value, resultIsNumber: true, body)
    }

    /// An elementwise function of one traced operand, keeping its kind (number or matrix).
    private static func elementwise(_ value: Value, _ body: (Tape, Variable) throws -> Variable) throws -> Value {
        try record(value, resultIsNumber: nil, body)
    }

    /// `body` applied to one traced operand; the result is a number as `resultIsNumber` says
    /// (nil: when the operand is one).
    private static func record(_ value: Value, resultIsNumber: Bool?, _ body: (Tape, Variable) throws -> Variable) throws -> Value {
        let x = try operand(value)
        let session = try sessionOf(x, x)
        return session.traced(try body(session.tape, try x.variable(on: session)), isNumber: resultIsNumber ?? x.isNumber)
    }

    /// `maximum(a, b)` or `minimum(a, b)`: against a constant number `c` through `constant`
    /// (the gradient passes on the closed side, as for `clip`); otherwise both operands are
    /// brought to one shape (a number meets every element) and recorded through `both`.
    private static func pairwise(
        _ args: Arguments, _ name: String,
        constant: (Tape, Variable, Double) throws -> Variable,
        both: (Tape, Variable, Variable) throws -> Variable
    ) throws -> Value {
        let (x, y) = (try operand(args["a"]), try operand(args["b"]))
        let session = try sessionOf(x, y)
        let tape = session.tape
        let isNumber = x.isNumber && y.isNumber
        switch (x, y) {
        case (.traced(let t), .number(let c)), (.number(let c), .traced(let t)):
            return session.traced(try constant(tape, t.variable, c), isNumber: isNumber)
        default:
            let (rows, cols) = try TracedOperators.resultShape(name, x, y)
            let u = try TracedOperators.lifted(x, rows, cols, session), v = try TracedOperators.lifted(y, rows, cols, session)
            return session.traced(try both(tape, u, v), isNumber: isNumber)
        }
    }

    /// The refusal of `min`/`max` on traced values, pointing to the elementwise builtin.
    private static func extremumOfArguments(_ name: String, elementwise: String) -> ScriptError {
        ScriptError("\(name)(…) of traced values cannot be differentiated",
                    hint: "\(elementwise)(a, b) is the elementwise \(elementwise) of two values, and is differentiated")
    }

    private static func requireNonNegative(_ value: Value, _ message: String) throws {
        if let negative = try operand(value).value().elements.first(where: { $0 < 0 }) {
            throw ScriptError("\(message) (\(Formatting.number(negative)))")
        }
    }
}
