import Foundation
import Tensor

/// Reductions and grids over numbers: mean, var, std, median, quantile, cumsum, argmin, argmax,
/// any, all, linspace, logspace (definitions in ``Statistics`` and docs/language.md).
///
/// A list or range of numbers (a trace column) and a vector matrix reduce to a number; a
/// matrix reduces over all its elements, or along `axis` — 0 gives one value per column (a
/// 1×cols row), 1 one value per row (a rows×1 column), as NumPy's `axis`.
enum StatisticsLibrary {
    /// The numbers of a list, range or matrix (row-major), for whole-value reductions; reading
    /// a list's or matrix's numbers is charged one operation each (a range's are made, and
    /// charged, as a new list's are).
    static func values(_ value: Value, _ name: String) throws -> [Double] {
        switch value {
        case .matrix(let m):
            try WorkTally.charge(m.count, for: "reading the \(m.count) numbers of argument '\(name)'")
            return m.elements
        case .number(let x): return [x]
        case .range(let lower, let upper):
            try LengthLimits.requireList(max(lower, upper) - lower)
            return (lower..<max(lower, upper)).map(Double.init)
        case .list(let list):
            try WorkTally.charge(list.items.count, for: "reading the \(list.items.count) items of argument '\(name)'")
            return try list.items.enumerated().map { i, item in
                switch item {
                case .number(let x): return x
                case .bool(let b): return b ? 1 : 0
                default: throw ScriptError("argument '\(name)' must hold numbers; element \(i) is \(withArticle(item.typeName))")
                }
            }
        default:
            throw ScriptError("argument '\(name)' must be a list of numbers or a matrix, got \(value.typeName)")
        }
    }

    /// `statistic` of argument `x`, over everything or along argument `axis`.
    private static func reduce(_ args: Arguments,
                               _ statistic: @escaping ([Double]) throws(TensorError) -> Double) throws -> Value {
        if case .nil = args["axis"] {
            let xs = try values(args["x"], "x")
            return .number(try statistic(xs))
        }
        let axis = try args.integer("axis")
        guard case .matrix(let m) = args["x"] else {
            throw ScriptError("axis is for matrices; \(withArticle(args["x"].typeName)) reduces to one number without it")
        }
        try WorkTally.charge(m.count, for: "reading the \(m.count) numbers of argument 'x'")
        return .matrix(try m.reduced(axis: axis, statistic))
    }

    /// The `ddof` argument, checked non-negative.
    private static func ddof(_ args: Arguments) throws -> Int {
        let n = try args.integer("ddof")
        guard n >= 0 else { throw ScriptError("ddof must not be negative, got \(n)") }
        return n
    }

    static let axisDoc = "nil reduces over every element; 0 gives one value per column, 1 one per row (matrices)"

    static let builtins: [Builtin] = [
        Builtin(name: "mean", doc: "The mean x̄ = (1/n) Σᵢ xᵢ of a list of numbers or of a matrix's elements, or along an axis.",
                parameters: [Parameter("x", doc: "a list of numbers, a range or a matrix"),
                             Parameter("axis", default: .nil, doc: axisDoc)],
                example: """
                    print(mean([1, 2, 3, 6]))  # expect: 3
                    print(mean([1, 2; 3, 4], axis: 0))  # expect: [2, 3;]
                    """) { args in
            try reduce(args) { x throws(TensorError) in try Statistics.mean(x) }
        },
        Builtin(name: "var", doc: "The variance Σᵢ (xᵢ − x̄)² / (n − ddof); ddof = 0 by default (NumPy's), ddof: 1 gives the unbiased sample variance.",
                parameters: [Parameter("x", doc: "a list of numbers, a range or a matrix"),
                             Parameter("axis", default: .nil, doc: axisDoc),
                             Parameter("ddof", default: .number(0), doc: "delta degrees of freedom: the divisor is n − ddof")],
                example: """
                    print(var([1, 2, 3, 4]))  # expect: 1.25
                    print(var([1, 2, 3, 4], ddof: 1))  # expect: 1.6666666666666667
                    """) { args in
            let d = try ddof(args)
            return try reduce(args) { x throws(TensorError) in try Statistics.variance(x, ddof: d) }
        },
        Builtin(name: "std", doc: "The standard deviation √(Σᵢ (xᵢ − x̄)² / (n − ddof)); ddof = 0 by default (NumPy's), ddof: 1 for the sample standard deviation.",
                parameters: [Parameter("x", doc: "a list of numbers, a range or a matrix"),
                             Parameter("axis", default: .nil, doc: axisDoc),
                             Parameter("ddof", default: .number(0), doc: "delta degrees of freedom: the divisor is n − ddof")],
                example: """
                    print(std([2, 4, 4, 4, 5, 5, 7, 9]))  # expect: 2
                    """) { args in
            let d = try ddof(args)
            return try reduce(args) { x throws(TensorError) in try Statistics.standardDeviation(x, ddof: d) }
        },
        Builtin(name: "median", doc: "The median: the 0.5 quantile (the mean of the two middle values for an even count).",
                parameters: [Parameter("x", doc: "a list of numbers, a range or a matrix"),
                             Parameter("axis", default: .nil, doc: axisDoc)],
                example: """
                    print(median([3, 1, 4, 1]))  # expect: 2
                    """) { args in
            try reduce(args) { x throws(TensorError) in try Statistics.median(x) }
        },
        Builtin(name: "quantile", doc: "The q-quantile, 0 ≤ q ≤ 1, by linear interpolation (NumPy's default): with the values sorted s₀ ≤ … ≤ sₙ₋₁ and h = (n − 1)q, s⌊h⌋ + (h − ⌊h⌋)(s⌊h⌋₊₁ − s⌊h⌋). A NaN among the values gives NaN.",
                parameters: [Parameter("x", doc: "a list of numbers, a range or a matrix"),
                             Parameter("q", doc: "the probability, from 0 to 1"),
                             Parameter("axis", default: .nil, doc: axisDoc)],
                example: """
                    print(quantile([1, 2, 3, 4, 5], 0.25))  # expect: 2
                    print(quantile([1, 2, 3, 4], 0.5))  # expect: 2.5
                    """) { args in
            let q = try args.number("q")
            return try reduce(args) { x throws(TensorError) in try Statistics.quantile(x, q) }
        },
        Builtin(name: "cumsum", doc: "Cumulative sums cₖ = Σᵢ≤ₖ xᵢ: a list gives a list, a vector a vector; a matrix gives them over its elements in row-major order (as a column), or along an axis (same shape).",
                parameters: [Parameter("x", doc: "a list of numbers, a range or a matrix"),
                             Parameter("axis", default: .nil, doc: "nil: over every element; 0: down each column; 1: along each row")],
                example: """
                    print(cumsum([1, 2, 3]))  # expect: [1, 3, 6]
                    """) { args in
            if case .nil = args["axis"] {
                let sums = Statistics.cumulativeSum(try values(args["x"], "x"))
                if case .matrix(let m) = args["x"] {
                    let vector = m.rows == 1 || m.cols == 1
                    return .matrix(Matrix(uncheckedRows: vector ? m.rows : m.count, cols: vector ? m.cols : 1, elements: sums))
                }
                try LengthLimits.requireList(sums.count)
                return .list(sums.map(Value.number))
            }
            let axis = try args.integer("axis")
            guard case .matrix(let m) = args["x"] else { throw ScriptError("axis is for matrices, got \(withArticle(args["x"].typeName))") }
            try WorkTally.charge(m.count, for: "reading the \(m.count) numbers of argument 'x'")
            return .matrix(try m.transformed(axis: axis, Statistics.cumulativeSum))
        },
        Builtin(name: "argmin", doc: "The 0-based index of the first smallest value (a NaN counts as smallest, as in NumPy); of a matrix, the row-major index, or per column/row with an axis.",
                parameters: [Parameter("x", doc: "a list of numbers, a range or a matrix"),
                             Parameter("axis", default: .nil, doc: axisDoc)],
                example: """
                    print(argmin([3, 1, 2, 1]))  # expect: 1
                    """) { args in
            try reduce(args) { x throws(TensorError) in Double(try Statistics.argmin(x)) }
        },
        Builtin(name: "argmax", doc: "The 0-based index of the first largest value (a NaN counts as largest, as in NumPy); of a matrix, the row-major index, or per column/row with an axis.",
                parameters: [Parameter("x", doc: "a list of numbers, a range or a matrix"),
                             Parameter("axis", default: .nil, doc: axisDoc)],
                example: """
                    print(argmax([3, 1, 5, 5]))  # expect: 2
                    print(argmax([1, 9; 7, 2], axis: 1))  # expect: [1; 0]
                    """) { args in
            try reduce(args) { x throws(TensorError) in Double(try Statistics.argmax(x)) }
        },
        Builtin(name: "any", doc: "Whether any element of a mask (a list of bools or numbers, or a matrix) is true or non-zero.",
                parameters: [Parameter("mask")],
                example: """
                    print(any([1, 5, 2] > 4), any([1, 2; 3, 4] > 9))  # expect: true false
                    """) { args in
            .bool(try values(args["mask"], "mask").contains { $0 != 0 })
        },
        Builtin(name: "all", doc: "Whether every element of a mask (a list of bools or numbers, or a matrix) is true or non-zero (true when empty).",
                parameters: [Parameter("mask")],
                example: """
                    print(all([1, 5, 2] > 0), all([1, 2; 3, 4] > 1))  # expect: true false
                    """) { args in
            .bool(try values(args["mask"], "mask").allSatisfy { $0 != 0 })
        },
        Builtin(name: "linspace", doc: "n evenly spaced numbers from start to stop, both included: start + i·(stop − start)/(n − 1) for i = 0…n−1 (NumPy's linspace), as a list.",
                parameters: [Parameter("start"), Parameter("stop"), Parameter("n", default: .number(50), doc: "how many numbers (0 gives [], 1 gives [start])")],
                example: """
                    print(linspace(0, 1, 5))  # expect: [0, 0.25, 0.5, 0.75, 1]
                    """) { args in
            .list(try grid(args).map(Value.number))
        },
        Builtin(name: "logspace", doc: "n numbers evenly spaced on a log scale: base^e for e in linspace(start, stop, n) (NumPy's logspace), as a list.",
                parameters: [Parameter("start", doc: "the first exponent"), Parameter("stop", doc: "the last exponent"),
                             Parameter("n", default: .number(50)), Parameter("base", default: .number(10))],
                example: """
                    print(logspace(-2, 1, 4))  # expect: [0.01, 0.1, 1, 10]
                    """) { args in
            let base = try args.number("base")
            guard base > 0 else { throw ScriptError("base must be positive, got \(Formatting.number(base))") }
            return .list(try grid(args).map { exponent in
                // Integer exponents of 10 are formed exactly (10^-2 is 0.01, not 0.010000000000000002).
                if base == 10, exponent == exponent.rounded(), abs(exponent) <= 22 {
                    return .number(exponent >= 0 ? Foundation.pow(10, exponent) : 1 / Foundation.pow(10, -exponent))
                }
                return .number(Foundation.pow(base, exponent))
            })
        },
    ]

    /// start + i·(stop − start)/(n − 1), i = 0…n−1, the last exactly `stop`.
    private static func grid(_ args: Arguments) throws -> [Double] {
        let start = try args.number("start"), stop = try args.number("stop"), n = try args.integer("n")
        guard n >= 0 else { throw ScriptError("n must not be negative, got \(n)") }
        try LengthLimits.requireList(n)
        guard start.isFinite, stop.isFinite else { throw ScriptError("start and stop must be finite") }
        if n == 1 { return [start] }
        let step = (stop - start) / Double(n - 1)
        return (0..<n).map { $0 == n - 1 ? stop : start + Double($0) * step }
    }
}
