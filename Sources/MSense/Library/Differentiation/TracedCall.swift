import Autodiff
import MSenseCore
import Tensor

/// One traced call of a script function and one backward pass: what `grad` returns and what
/// `minimize` steps with. `f` is called on traced values standing for the points (numbers or
/// matrices), followed by `extra` plain arguments, and must return a number.
enum TracedCall {
    /// `f(points…, extra…)` and its gradient with respect to every point (a number's as 1×1).
    static func valueAndGradients(of f: Value, at points: [Value], extra: [Value] = [], _ args: Arguments)
        throws -> (value: Double, gradients: [Matrix])
    {
        let session = TraceSession()
        var inputs: [Variable] = []
        var traced: [Value] = []
        for (k, point) in points.enumerated() {
            let variable: Variable
            switch point {
            case .number(let x): variable = session.tape.variable(x)
            case .matrix(let m): variable = session.tape.variable(m)
            default:
                throw ScriptError("point \(k + 1) must be a number or a matrix, got \(point.typeName)")
            }
            inputs.append(variable)
            traced.append(session.traced(variable, isNumber: point.isNumber))
        }
        let result = try args.call(f, traced + extra)
        let tape = session.tape
        switch result {
        case .number(let x):
            return (x, try points.map { point in try Matrix.zeros(rows: point.pointShape.rows, cols: point.pointShape.cols) })
        case .object(let value as TracedValue) where value.session === session && value.variable.isScalar:
            return try differentiable { () throws(AutodiffError) in
                (try tape.scalar(value.variable), try tape.gradients(of: value.variable, withRespectTo: inputs))
            }
        default:
            let returned = if case .object(let object as TracedValue) = result { object.describe() } else { withArticle(result.typeName) }
            throw ScriptError("f must return a number, but it returned \(returned)",
                              hint: "reduce a matrix to a number, e.g. with sum(…), norm(…) or inner(…)")
        }
    }
}

extension Value {
    var isNumber: Bool {
        if case .number = self { return true }
        return false
    }

    /// The shape of a number (1×1) or matrix point.
    var pointShape: (rows: Int, cols: Int) {
        if case .matrix(let m) = self { return (m.rows, m.cols) }
        return (1, 1)
    }
}
