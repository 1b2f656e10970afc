import Tensor

/// Random draws from the interpreter's seeded stream (``RandomState``; xoshiro256** as in
/// docs/tensor.md), so `seed(n)` makes them reproducible and each sweep point draws from its
/// own point seed, like every other random builtin.
///
/// Shapes: with `rows` omitted a draw is one number; with `rows` (and `cols`, default 1) it is
/// a rows×cols matrix filled in row-major order.
/// - `rand`: uniform on [0, 1) — the top 53 bits of a 64-bit output times 2⁻⁵³.
/// - `randn`: standard normal N(0, 1) by the Marsaglia polar method.
/// - `randint(low, high)`: uniform on the integers low, …, high − 1 (NumPy's convention), without
///   modulo bias (Lemire's method).
/// - `bernoulli(p)`: 1 with probability p, else 0 — 1 exactly when a uniform draw u < p.
/// - `permutation`: the Fisher–Yates shuffle, for i = n−1 down to 1 swapping item i with item
///   j uniform on 0…i.
/// - `choice` with replacement: k independent uniform picks; without: the first k items of a
///   Fisher–Yates shuffle run forwards (for i = 0…k−1 swap item i with item j uniform on i…n−1).
enum RandomLibrary {
    /// The `rows` and `cols` arguments (``shapeParameters``), or nil for one number.
    private static func shape(_ args: Arguments) throws -> (Int, Int)? {
        if case .nil = args["rows"] { return nil }
        let r = try args.integer("rows"), c = try args.integer("cols")
        guard r >= 0, c >= 0 else { throw ScriptError("rows and cols must not be negative, got \(r) and \(c)") }
        try args.reserve(8 * Double(r) * Double(c), for: "a \(r)×\(c) matrix of random draws")
        return (r, c)
    }

    /// One draw, or a matrix of them in row-major order.
    private static func draws(_ args: Arguments, _ random: RandomState,
                              _ draw: (inout Xoshiro256) throws -> Double) throws -> Value {
        guard let (r, c) = try shape(args) else { return .number(try random.draw { try draw(&$0) }) }
        var m = try Matrix(rows: r, cols: c)
        try random.draw { rng in
            for k in 0..<m.count { m[k / max(c, 1), k % max(c, 1)] = try draw(&rng) }
        }
        return .matrix(m)
    }

    private static let shapeParameters = [
        Parameter("rows", default: .nil, doc: "omit for one number; else the number of rows"),
        Parameter("cols", default: .number(1), doc: "the number of columns (with rows)"),
    ]

    /// The items `x` names: a list's items, or the integers 0…n−1 for a number n.
    private static func population(_ x: Value, _ args: Arguments) throws -> [Value] {
        switch x {
        case .list(let list): return list.items
        case .range(let lower, let upper):
            try LengthLimits.requireList(max(lower, upper) - lower)
            return (lower..<max(lower, upper)).map { .number(Double($0)) }
        case .number:
            let n = try args.integer("x")
            guard n >= 0 else { throw ScriptError("the number of items must not be negative, got \(n)") }
            try LengthLimits.requireList(n)
            return (0..<n).map { .number(Double($0)) }
        default:
            throw ScriptError("argument 'x' must be a list or a count n (for 0…n−1), got \(x.typeName)")
        }
    }

    static func builtins(random: RandomState) -> [Builtin] {
        [
            Builtin(name: "rand", doc: "Uniform draws on [0, 1) from the seeded stream: one number, or a rows×cols matrix.",
                    parameters: shapeParameters,
                    example: """
                        seed(1)
                        let u = rand(1000)
                        print(shape(u), min(u) >= 0 and max(u) < 1)  # expect: [1000, 1] true
                        """) { args in
                try draws(args, random) { $0.nextDouble() }
            },
            Builtin(name: "randn", doc: "Standard normal N(0, 1) draws from the seeded stream (Marsaglia polar method): one number, or a rows×cols matrix.",
                    parameters: shapeParameters,
                    example: """
                        seed(7)
                        let noise = 0.1 * randn(1500)
                        print(shape(noise), abs(mean(noise)) < 0.01)  # expect: [1500, 1] true
                        """) { args in
                try draws(args, random) { $0.nextNormal() }
            },
            Builtin(name: "randint", doc: "Uniform integers on low, …, high − 1 (high excluded, as NumPy) from the seeded stream: one number, or a rows×cols matrix.",
                    parameters: [Parameter("low"), Parameter("high", doc: "one past the largest value")] + shapeParameters,
                    example: """
                        seed(3)
                        let k = randint(0, 6)
                        print(k >= 0 and k < 6 and k == floor(k))  # expect: true
                        """) { args in
                let low = try args.integer("low"), high = try args.integer("high")
                guard high > low else { throw ScriptError("randint needs low < high, got \(low) and \(high)", hint: "high is excluded: randint(0, 6) draws 0…5") }
                return try draws(args, random) { rng in
                    Double(low + (try rng.nextInt(below: high - low)))
                }
            },
            Builtin(name: "bernoulli", doc: "Bernoulli(p) draws from the seeded stream: 1 with probability p (when a uniform draw u < p), else 0; one number, or a rows×cols 0/1 matrix (e.g. a completion mask).",
                    parameters: [Parameter("p", doc: "the probability of a 1, from 0 to 1")] + shapeParameters,
                    example: """
                        seed(1)
                        let mask = bernoulli(0.3, 100, 100)
                        print(abs(mean(mask) - 0.3) < 0.02)  # expect: true
                        """) { args in
                let p = try args.number("p")
                guard p >= 0, p <= 1 else { throw ScriptError("p must be between 0 and 1, got \(Formatting.number(p))") }
                return try draws(args, random) { $0.nextDouble() < p ? 1 : 0 }
            },
            Builtin(name: "permutation", doc: "A random order (Fisher–Yates shuffle, seeded stream): of the items of a list, or of 0…n−1 for a number n; returns a new list.",
                    parameters: [Parameter("x", doc: "a list, a range, or a count n")],
                    example: """
                        seed(2)
                        let p = permutation(5)
                        print(len(p), sum(p))  # expect: 5 10
                        """) { args in
                var items = try population(args["x"], args)
                // A list is copied before it is shuffled; the shuffle is one swap per item.
                if case .list = args["x"] { try LengthLimits.requireList(items.count) }
                try RunBudget.charge(items.count, for: "shuffling \(items.count) items")
                try random.draw { rng in
                    var i = items.count - 1
                    while i > 0 {
                        let j = try rng.nextInt(below: i + 1)
                        items.swapAt(i, j)
                        i -= 1
                    }
                }
                return .list(items)
            },
            Builtin(name: "choice", doc: "Random picks from a list (or from 0…n−1 for a number n) with the seeded stream: one item when k is omitted, else a list of k; with replacement by default, without (distinct positions) when replace is false.",
                    parameters: [Parameter("x", doc: "a list, a range, or a count n"),
                                 Parameter("k", default: .nil, doc: "how many to pick; omit for one item"),
                                 Parameter("replace", default: .bool(true), doc: "whether an item may be picked more than once")],
                    example: """
                        seed(4)
                        let picks = choice(10, 10, replace: false)
                        print(sum(picks))  # expect: 45
                        print(type(choice(["a", "b"])))  # expect: string
                        """) { args in
                var items = try population(args["x"], args)
                let replace = try args.bool("replace")
                var k = 1
                if case .nil = args["k"] {} else { k = try args.integer("k") }
                guard k >= 0 else { throw ScriptError("k must not be negative, got \(k)") }
                try LengthLimits.requireList(k)
                guard !items.isEmpty || k == 0 else { throw ScriptError("cannot choose from an empty list") }
                guard replace || k <= items.count else {
                    throw ScriptError("cannot choose \(k) distinct items from \(items.count)", hint: "choose with replace: true, or fewer items")
                }
                let n = items.count
                let picked: [Value] = try random.draw { rng in
                    if replace {
                        return try (0..<k).map { _ in items[try rng.nextInt(below: n)] }
                    }
                    for i in 0..<k {
                        let j = i + (try rng.nextInt(below: n - i))
                        items.swapAt(i, j)
                    }
                    return Array(items.prefix(k))
                }
                if case .nil = args["k"] { return picked.first ?? .nil }
                return .list(picked)
            },
        ]
    }
}
