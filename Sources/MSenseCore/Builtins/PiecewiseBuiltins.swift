import Tensor

/// The piecewise-linear elementwise functions robust losses are written with: `sign`, `clip`,
/// `minimum`, `maximum`. Inside `grad` they are recorded on the tape (docs/autodiff.md gives the
/// derivative conventions at their kinks). NaN propagates through all of them.
package enum PiecewiseBuiltins {
    static let all: [Builtin] = [sign, clip, maximum, minimum]

    static let sign = Builtin(
        name: "sign", doc: "The sign of x: −1, 0 or 1 (sign(0) = 0). Elementwise on lists and matrices.",
        parameters: [Parameter("x", doc: "a number, a list of numbers or a matrix")],
        example: "print(sign(-2.5), sign(0), sign([3, -1]))  # expect: -1 0 [1, -1]"
    ) { args in
        try ElementwiseFunction.apply(args["x"], "sign") { x in x > 0 ? 1 : (x < 0 ? -1 : x) }
    }

    static let clip = Builtin(
        name: "clip", doc: "x limited to [lo, hi]: min(max(x, lo), hi), elementwise on lists and matrices (NumPy's clip); lo ≤ hi.",
        parameters: [Parameter("x", doc: "a number, a list of numbers or a matrix"),
                     Parameter("lo", doc: "the lower bound, a number"),
                     Parameter("hi", doc: "the upper bound, a number ≥ lo")],
        example: """
            print(clip(5, 0, 1), clip([-2, 0.5, 3], -1, 1))  # expect: 1 [-1, 0.5, 1]
            print(clip([-3, 3;], -2, 1e9))  # expect: [-2, 3;]
            """
    ) { args in
        let (lo, hi) = try clipBounds(args)
        return try ElementwiseFunction.apply(args["x"], "clip") { x in x.isNaN ? x : Swift.min(Swift.max(x, lo), hi) }
    }

    static let maximum = Builtin(
        name: "maximum", doc: "The elementwise maximum max(aᵢⱼ, bᵢⱼ) of two matrices of one shape, or of a matrix and a number (NumPy's maximum); max(a, b) for two numbers. (max(…) is the largest of its arguments.)",
        parameters: [Parameter("a", doc: "a number or a matrix"), Parameter("b", doc: "a number or a matrix")],
        example: """
            print(maximum([1, 5;], [3, 2;]))  # expect: [3, 5;]
            print(maximum([-1, 2;], 0), maximum(2, 7))  # expect: [0, 2;] 7
            """
    ) { args in
        try pairwise(args) { x, y in x.isNaN || y.isNaN ? .nan : (x >= y ? x : y) }
    }

    static let minimum = Builtin(
        name: "minimum", doc: "The elementwise minimum min(aᵢⱼ, bᵢⱼ) of two matrices of one shape, or of a matrix and a number (NumPy's minimum); min(a, b) for two numbers. (min(…) is the smallest of its arguments.)",
        parameters: [Parameter("a", doc: "a number or a matrix"), Parameter("b", doc: "a number or a matrix")],
        example: """
            print(minimum([1, 5;], [3, 2;]))  # expect: [1, 2;]
            print(minimum([-1, 2;], 0), minimum(2, 7))  # expect: [-1, 0;] 2
            """
    ) { args in
        try pairwise(args) { x, y in x.isNaN || y.isNaN ? .nan : (x <= y ? x : y) }
    }

    /// The bounds `lo ≤ hi` of a `clip` call (numbers, not NaN), also for its traced form.
    package static func clipBounds(_ args: Arguments) throws -> (lo: Double, hi: Double) {
        let lo = try args.number("lo"), hi = try args.number("hi")
        guard !lo.isNaN, !hi.isNaN, lo <= hi else {
            throw ScriptError("needs lo ≤ hi, but lo = \(Formatting.number(lo)) and hi = \(Formatting.number(hi))")
        }
        return (lo, hi)
    }

    /// `f(aᵢⱼ, bᵢⱼ)` for two numbers, a number and a matrix (the number meets every element) or
    /// two matrices of one shape.
    private static func pairwise(_ args: Arguments, _ f: (Double, Double) -> Double) throws -> Value {
        switch (args["a"], args["b"]) {
        case let (.number(x), .number(y)): return .number(f(x, y))
        case let (.matrix(a), .number(y)): return .matrix(a.mapElements { f($0, y) })
        case let (.number(x), .matrix(b)): return .matrix(b.mapElements { f(x, $0) })
        case let (.matrix(a), .matrix(b)):
            guard a.rows == b.rows, a.cols == b.cols else {
                throw ScriptError("the matrices must have one shape, not \(TensorError.format(a.shape)) and \(TensorError.format(b.shape))")
            }
            return .matrix(Matrix(uncheckedRows: a.rows, cols: a.cols, elements: zip(a.elements, b.elements).map(f)))
        case let (a, b):
            throw ScriptError("expected numbers or matrices, got \(a.typeName) and \(b.typeName)",
                              hint: "for lists, convert with matrix(…) first")
        }
    }
}
