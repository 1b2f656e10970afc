import Tensor

/// Lists of numbers (and ranges) as vectors: what `Operators` does with them.
///
/// - list ⊙ number, number ⊙ list: elementwise for `+ - * / % ^`, giving a list
///   (`run.trace.loss * 2`, `1 / xs`).
/// - list ⊙ list of the same length: elementwise for `- * / % ^`. `+` of two lists stays
///   concatenation (`[1] + [2] == [1, 2]`); to add elementwise write `vec(a) + vec(b)`.
/// - list ⊙ vector matrix (n×1 or 1×n with the same count), either side: elementwise for every
///   operator but `@`, giving a matrix of the vector's shape.
/// - comparisons `< <= > >=` of a list with a number or a list give a list of bools, of a matrix
///   with a number or a same-shape matrix a 0/1 matrix (a mask); `==`/`!=` stay whole-value
///   equality.
/// Every element must be a number; errors name the operator and the offending element.
enum VectorArithmetic {
    /// The numbers of a list or range, or nil for any other value; an error for a list holding
    /// something else than numbers.
    static func numbers(_ value: Value, _ op: String, _ site: Site) throws -> [Double]? {
        switch value {
        case .list(let list):
            return try list.items.enumerated().map { i, item in
                guard case .number(let x) = item else {
                    throw RuntimeFailure("cannot apply '\(op)' elementwise: element \(i) of the list is \(withArticle(item.typeName))",
                                         hint: "vector arithmetic needs a list of numbers", at: site)
                }
                return x
            }
        case .range(let lower, let upper):
            try LengthLimits.requireList(max(lower, upper) - lower, at: site)
            return (lower..<max(lower, upper)).map(Double.init)
        default:
            return nil
        }
    }

    private static func isVector(_ m: Matrix) -> Bool { m.rows == 1 || m.cols == 1 }

    /// The list of `xs`, checked and charged as a new list (``LengthLimits``).
    private static func list(_ xs: [Double], _ site: Site) throws -> Value {
        try LengthLimits.requireList(xs.count, at: site)
        return .list(ScriptList(xs.map(Value.number)))
    }

    /// The list of `count` bools `truth(i)`, checked and charged as a new list.
    private static func bools(_ count: Int, _ site: Site, _ truth: (Int) -> Bool) throws -> Value {
        try LengthLimits.requireList(count, at: site)
        return .list(ScriptList((0..<count).map { .bool(truth($0)) }))
    }

    /// `a op b` when a list or range takes part, or nil when neither side is one.
    static func combine(_ op: BinaryOperator, _ a: Value, _ b: Value, _ site: Site) throws -> Value? {
        guard op != .matrixProduct else { return nil }
        let xs = try numbers(a, op.rawValue, site), ys = try numbers(b, op.rawValue, site)
        if xs == nil && ys == nil { return nil }
        switch (xs, ys, a, b) {
        case (let xs?, nil, _, .number(let y)):
            return try list(try xs.map { try Operators.scalar(op, $0, y, site) }, site)
        case (nil, let ys?, .number(let x), _):
            return try list(try ys.map { try Operators.scalar(op, x, $0, site) }, site)
        case (let xs?, let ys?, _, _):
            guard xs.count == ys.count else {
                throw RuntimeFailure("cannot apply '\(op.rawValue)' to lists of lengths \(xs.count) and \(ys.count)",
                                     hint: "elementwise arithmetic needs lists of the same length", at: site)
            }
            return try list(try zip(xs, ys).map { try Operators.scalar(op, $0, $1, site) }, site)
        case (let xs?, nil, _, .matrix(let m)) where isVector(m):
            return try withVector(op, xs, m, listFirst: true, site)
        case (nil, let ys?, .matrix(let m), _) where isVector(m):
            return try withVector(op, ys, m, listFirst: false, site)
        default:
            return nil
        }
    }

    private static func withVector(_ op: BinaryOperator, _ xs: [Double], _ m: Matrix, listFirst: Bool, _ site: Site) throws -> Value {
        guard xs.count == m.count else {
            throw RuntimeFailure("cannot apply '\(op.rawValue)' to a list of \(xs.count) numbers and a \(m.rows)×\(m.cols) vector",
                                 hint: "elementwise arithmetic needs the same number of elements", at: site)
        }
        var out = m.elements
        for i in 0..<out.count {
            out[i] = listFirst ? try Operators.scalar(op, xs[i], out[i], site) : try Operators.scalar(op, out[i], xs[i], site)
        }
        return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols, elements: out))
    }

    /// `-xs` for a list or range of numbers, or nil for another value.
    static func negate(_ a: Value, _ site: Site) throws -> Value? {
        guard let xs = try numbers(a, "-", site) else { return nil }
        return try list(xs.map { -$0 }, site)
    }

    /// An ordering comparison `a op b` as a value: a bool for two numbers or strings, a list of
    /// bools when a list takes part, a 0/1 matrix (a mask) when a matrix takes part.
    static func compare(_ op: BinaryOperator, _ a: Value, _ b: Value, _ site: Site) throws -> Value {
        switch (a, b) {
        case (.matrix(let m), .number(let y)):
            return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols, elements: m.elements.map { Operators.ordered(op, $0, y) ? 1 : 0 }))
        case (.number(let x), .matrix(let m)):
            return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols, elements: m.elements.map { Operators.ordered(op, x, $0) ? 1 : 0 }))
        case (.matrix(let m), .matrix(let n)):
            guard m.rows == n.rows, m.cols == n.cols else {
                throw RuntimeFailure("cannot compare matrices of shapes \(m.rows)×\(m.cols) and \(n.rows)×\(n.cols) elementwise", at: site)
            }
            return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols,
                                  elements: zip(m.elements, n.elements).map { Operators.ordered(op, $0, $1) ? 1 : 0 }))
        default:
            break
        }
        let xs = try numbers(a, op.rawValue, site), ys = try numbers(b, op.rawValue, site)
        switch (xs, ys, a, b) {
        case (let xs?, nil, _, .number(let y)):
            return try bools(xs.count, site) { Operators.ordered(op, xs[$0], y) }
        case (nil, let ys?, .number(let x), _):
            return try bools(ys.count, site) { Operators.ordered(op, x, ys[$0]) }
        case (let xs?, let ys?, _, _):
            guard xs.count == ys.count else {
                throw RuntimeFailure("cannot compare lists of lengths \(xs.count) and \(ys.count) elementwise", at: site)
            }
            return try bools(xs.count, site) { Operators.ordered(op, xs[$0], ys[$0]) }
        default:
            return .bool(try Operators.compare(op, a, b, site))
        }
    }
}

/// Functions of one number applied elementwise: a number gives a number, a list (or range) a
/// list, a matrix a matrix of the same shape (`log(t.loss)`, `sqrt(M)`).
enum ElementwiseFunction {
    static func apply(_ value: Value, _ name: String, _ f: (Double) throws -> Double) throws -> Value {
        switch value {
        case .number(let x): return .number(try f(x))
        case .matrix(let m): return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols, elements: try m.elements.map(f)))
        case .list(let list):
            try LengthLimits.requireList(list.items.count)
            return .list(ScriptList(try list.items.enumerated().map { i, item in
                guard case .number(let x) = item else {
                    throw ScriptError("argument 'x' must be a number, a list of numbers or a matrix; element \(i) is \(withArticle(item.typeName))")
                }
                return .number(try f(x))
            }))
        case .range(let lower, let upper):
            try LengthLimits.requireList(max(lower, upper) - lower)
            return .list(ScriptList(try (lower..<max(lower, upper)).map { .number(try f(Double($0))) }))
        default:
            throw ScriptError("argument 'x' must be a number, got \(value.typeName)",
                              hint: "\(name) also applies elementwise to a list of numbers or a matrix")
        }
    }
}
