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
/// | `sum(X)` | `Σᵢⱼ Xᵢⱼ` |
/// | `norm(X)` | `‖X‖_F` (gradient `X/‖X‖_F`, 0 at `X = 0`) |
/// | `trace(X)` | `Σᵢ Xᵢᵢ` |
/// | `inner(A, B)` | `⟨A, B⟩` |
/// | `abs`, `sqrt`, `exp`, `log` | elementwise (`sign(0) = 0`; `sqrt` and `log` refuse negative elements, as for numbers) |
/// | `shape(X)` | `[rows, cols]`, a plain list |
/// | `measure(A, Z)` | `(⟨Sᵢ, Z⟩)ᵢ`, adjoint `w ↦ Σᵢ wᵢSᵢ` |
enum TracedBuiltins {
    /// The traced result of builtin `name` on `arguments` (one of them traced), or nil when the
    /// builtin does not differentiate (it then runs as usual).
    static func call(_ name: String, _ arguments: Arguments) throws -> Value? {
        try implementations[name]?(arguments)
    }

    private typealias Implementation = @Sendable (Arguments) throws -> Value

    private static let implementations: [String: Implementation] = [
        "sum": { args in try reduce(args[0]) { (t, v) throws(AutodiffError) in try t.sum(v) } },
        "norm": { args in try reduce(args[0]) { (t, v) throws(AutodiffError) in try t.frobeniusNorm(v) } },
        "trace": { args in try reduce(args[0]) { (t, v) throws(AutodiffError) in try t.trace(v) } },
        "inner": { args in
            let (a, b) = (try operand(args[0]), try operand(args[1]))
            let session = try sessionOf(a, b)
            let (u, v) = (try a.variable(on: session), try b.variable(on: session))
            let tape = session.tape
            return session.traced(try differentiable { () throws(AutodiffError) in try tape.dot(u, v) }, isNumber: true)
        },
        "abs": { args in try elementwise(args[0]) { (t, v) throws(AutodiffError) in try t.abs(v) } },
        "exp": { args in try elementwise(args[0]) { (t, v) throws(AutodiffError) in try t.exp(v) } },
        "sqrt": { args in
            try requireNonNegative(args[0], "square root of a negative number")
            return try elementwise(args[0]) { (t, v) throws(AutodiffError) in try t.sqrt(v) }
        },
        "log": { args in
            try requireNonNegative(args[0], "logarithm of a negative number")
            return try elementwise(args[0]) { (t, v) throws(AutodiffError) in try t.log(v) }
        },
        "shape": { args in
            let m = try operand(args[0]).value()
            return .list([.number(Double(m.rows)), .number(Double(m.cols))])
        },
        "measure": { args in
            let ensemble = try args.object(0, as: EnsembleObject.self, typeName: "ensemble").ensemble
            let z = try operand(args[1])
            let session = try sessionOf(z, z)
            let u = try z.variable(on: session)
            let tape = session.tape
            let measurement = EnsembleMeasurement(ensemble: ensemble)
            return session.traced(try differentiable { () throws(AutodiffError) in try tape.measure(measurement, u) },
                                  isNumber: false)
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
    private static func reduce(
        _ value: Value, _ body: @escaping (Tape, Variable) throws(AutodiffError) -> Variable
    ) throws -> Value {
        try record(value, resultIsNumber: true, body)
    }

    /// An elementwise function of one traced operand, keeping its kind (number or matrix).
    private static func elementwise(
        _ value: Value, _ body: @escaping (Tape, Variable) throws(AutodiffError) -> Variable
    ) throws -> Value {
        try record(value, resultIsNumber: nil, body)
    }

    /// `body` applied to one traced operand; the result is a number as `resultIsNumber` says
    /// (nil: when the operand is one).
    private static func record(
        _ value: Value, resultIsNumber: Bool?, _ body: @escaping (Tape, Variable) throws(AutodiffError) -> Variable
    ) throws -> Value {
        let x = try operand(value)
        let session = try sessionOf(x, x)
        let (u, tape) = (try x.variable(on: session), session.tape)
        return session.traced(try differentiable { () throws(AutodiffError) in try body(tape, u) },
                              isNumber: resultIsNumber ?? x.isNumber)
    }

    private static func requireNonNegative(_ value: Value, _ message: String) throws {
        if let negative = try operand(value).value().elements.first(where: { $0 < 0 }) {
            throw ScriptError("\(message) (\(Formatting.number(negative)))")
        }
    }
}

/// A sensing ensemble as the linear map `Z ↦ (⟨Sᵢ, Z⟩)ᵢ` on `d×d` matrices, with adjoint
/// `w ↦ Σᵢ wᵢSᵢ` (`m` times the ensemble's normalised adjoint `(1/m) Σᵢ wᵢSᵢ`).
struct EnsembleMeasurement: LinearMeasurement {
    let ensemble: any SensingOperator

    var inputRows: Int { ensemble.d }
    var inputCols: Int { ensemble.d }
    var measurementCount: Int { ensemble.m }

    func measurements(of matrix: Matrix) throws -> [Double] {
        try ensemble.measure(matrix)
    }

    func weightedSum(_ weights: [Double]) throws -> Matrix {
        Double(ensemble.m) * (try ensemble.adjoint(weights))
    }
}
