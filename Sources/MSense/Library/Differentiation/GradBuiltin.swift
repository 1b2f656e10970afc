import Autodiff
import MSenseCore
import Tensor

/// `grad(f, at)`: the gradient of a function written in the language, by reverse-mode automatic
/// differentiation (docs/autodiff.md).
enum DifferentiationLibrary {
    static let builtins: [Builtin] = [grad]

    /// Calls `f` on traced copies of the points, so every operator and differentiable builtin it
    /// applies is recorded on a tape, then walks the tape back once for ∇f at every point
    /// (``ScriptGradient/valueAndGradients(of:at:calling:)``).
    static let grad = Builtin(
        name: "grad",
        doc: """
            The gradient of f at the given point by reverse-mode automatic differentiation: \
            grad(f, [X, Y]) is [∇_X f(X, Y), ∇_Y f(X, Y)] (grad(f, X) is ∇f(X)), each of its point's shape. \
            f must return a number; inside it the points are traced values: + - * / ^ (constant exponent) @ ' \
            and sum, mean, norm, trace, inner, abs, sign, sqrt, exp, log, clip, minimum, maximum, shape, measure are recorded and differentiated \
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
        let count = if case .list(let list) = args["at"] { list.items.count } else { 1 }
        guard count > 0 else {
            throw ScriptError("at is an empty list: grad needs a point for each argument of f", hint: "grad(f, X) for one point, grad(f, [X, Y]) for two")
        }
        try args.requireCallable(args["f"], with: count, role: "f", passed: count == 1 ? "the point" : "one for each of the \(count) points",
                                 hint: "grad(fn(x, y) => …, [x0, y0]) passes one point to each argument; grad(f, X) passes X alone")
        switch args["at"] {
        case .list(let list):
            return .list(try ScriptGradient.valueAndGradients(of: args["f"], at: list.items, calling: args).gradients)
        case let point:
            return try ScriptGradient.valueAndGradients(of: args["f"], at: [point], calling: args).gradients[0]
        }
    }
}
