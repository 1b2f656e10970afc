import Autodiff
import MSenseCore
import Tensor

/// `grad(f, at)`: the gradient of a function written in the language, by reverse-mode automatic
/// differentiation (docs/autodiff.md).
enum DifferentiationLibrary {
    static let builtins: [Builtin] = [grad]

    /// Calls `f` on traced copies of the points, so every operator and differentiable builtin it
    /// applies is recorded on a tape, then walks the tape back once for ∇f at every point.
    static let grad = Builtin(
        name: "grad",
        doc: """
            The gradient of f at the given point by reverse-mode automatic differentiation: \
            grad(f, [X, Y]) is [∇_X f(X, Y), ∇_Y f(X, Y)] (grad(f, X) is ∇f(X)), each of its point's shape. \
            f must return a number; inside it the points are traced values: + - * / ^ (constant exponent) @ ' \
            and sum, norm, trace, inner, abs, sqrt, exp, log, shape, measure are recorded and differentiated \
            (formulas in docs/autodiff.md).
            """,
        parameters: [
            Parameter("f", doc: "a function of as many arguments as there are points, returning a number"),
            Parameter("at", doc: "the point: a list of numbers and matrices (one per argument of f), or one number or matrix"),
        ],
        example: """
            let A = matrix([[1, 2], [3, 4]])
            fn f(X) => sum(X * X) / 2 + inner(A, X)
            print(grad(f, matrix([[1, 0], [0, 1]])))  # expect: [2, 2; 3, 5]
            print(grad(fn(x, y) => x * x * y, [3, 2]))  # expect: [12, 9]
            """
    ) { args in
        let single: Bool
        let points: [Value]
        switch args[1] {
        case .list(let list): (single, points) = (false, list.items)
        default: (single, points) = (true, [args[1]])
        }
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
        let result = try args.call(args[0], traced)
        let tape = session.tape
        let gradients: [Matrix]
        switch result {
        case .number:
            gradients = try points.map { point in try tensor { () throws(TensorError) in
                try Matrix.zeros(rows: point.shape.rows, cols: point.shape.cols) } }
        case .object(let value as TracedValue) where value.session === session && value.variable.isScalar:
            gradients = try differentiable { () throws(AutodiffError) in
                try tape.gradients(of: value.variable, withRespectTo: inputs)
            }
        default:
            let returned = if case .object(let object as TracedValue) = result { object.describe() } else { withArticle(result.typeName) }
            throw ScriptError("f must return a number, but it returned \(returned)",
                              hint: "reduce a matrix to a number, e.g. with sum(…), norm(…) or inner(…)")
        }
        let out: [Value] = zip(points, gradients).map { point, g in point.isNumber ? .number(g.elements[0]) : .matrix(g) }
        return single ? out[0] : .list(out)
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
