import Autodiff
import MSenseCore
import Tensor

/// The value and gradient of a function written in the language, by reverse-mode automatic
/// differentiation: the Swift entry point behind `grad`, for every builtin that optimizes a
/// script's function.
enum ScriptGradient {
    /// `(f(X₁, …, X_P), [∇_{X₁} f, …, ∇_{X_P} f])` for the script function `f` at `points`
    /// (each a number or a matrix; each gradient has its point's kind and shape).
    ///
    /// Calls `f` once through `caller` (any builtin's ``Arguments``) on traced values standing for
    /// the points, so every operation `f` applies to them is recorded on one tape, then walks the
    /// tape back once. `f` must return a number (or a traced number); one that does not depend on
    /// its arguments has gradient 0. `extra` plain arguments follow the points (a mini-batch's
    /// indices, for `minimize`).
    static func valueAndGradients(of f: Value, at points: [Value], extra: [Value] = [], calling caller: Arguments) throws -> (value: Double, gradients: [Value]) {
        let session = TraceSession()
        var inputs: [Variable] = []
        var traced: [Value] = []
        inputs.reserveCapacity(points.count)
        traced.reserveCapacity(points.count + extra.count)
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
        traced.append(contentsOf: extra)
        let result = try caller.call(f, traced)
        let value: Double
        let gradients: [Matrix]
        switch result {
        case .number(let x):
            value = x
            gradients = try points.map { point in try Matrix.zeros(rows: point.shape.rows, cols: point.shape.cols) }
        case .object(let output as TracedValue) where output.session === session && output.variable.isScalar:
            value = try session.tape.scalar(output.variable)
            gradients = try session.tape.gradients(of: output.variable, withRespectTo: inputs)
        default:
            let returned = if case .object(let object as TracedValue) = result { object.describe() } else { withArticle(result.typeName) }
            throw ScriptError("f must return a number, but it returned \(returned)",
                              hint: "reduce a matrix to a number, e.g. with sum(…), norm(…) or inner(…)")
        }
        let out: [Value] = zip(points, gradients).map { point, g in point.isNumber ? .number(g.elements[0]) : .matrix(g) }
        return (value, out)
    }
}

private extension Value {
    var isNumber: Bool {
        if case .number = self { return true }
        return false
    }

    /// The shape of a number (1×1) or matrix point.
    var shape: (rows: Int, cols: Int) {
        if case .matrix(let m) = self { return (m.rows, m.cols) }
        return (1, 1)
    }
}
