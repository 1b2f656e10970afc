import Foundation
import Tensor

/// The meaning of msense's operators on every combination of operand types.
///
/// Numbers: `+ - * /` as in IEEE double arithmetic, except that dividing by zero is an error
/// (`1/0` does not give inf). `a % b` is the floored remainder, with the sign of `b`
/// (`-7 % 3 == 2`, like Python); `b == 0` is an error. `a ^ b` is `pow(a, b)`; `a ^ 2` is computed
/// as `a · a`, which is bitwise what `pow(a, 2)` gives (both correctly rounded; checked over
/// 2·10⁸ doubles and by `PowerOperatorTests`), without the call.
/// Matrices: `+ - * / ^` are elementwise (shapes must match) or with a scalar on either side;
/// `@` is the matrix product; `'` transposes. Strings and lists concatenate with `+`, up to
/// ``LengthLimits``. Work over a whole value (concatenating, `==`, ordering strings) is charged
/// to the run's budget, one operation per item, element or byte.
enum Operators {
    /// Largest magnitude up to which every integer is exactly a Double (2⁵³).
    static let maxExactInteger = 9_007_199_254_740_992.0

    /// `x` as an Int when it is integral and |x| ≤ 2⁵³, else nil.
    static func exactInteger(_ x: Double) -> Int? {
        guard x == x.rounded(), abs(x) <= maxExactInteger else { return nil }
        return Int(x)
    }

    private static func mismatch(_ op: BinaryOperator, _ a: Value, _ b: Value, _ site: Site) -> RuntimeFailure {
        var hint: String?
        if op == .add, case .string = a { hint = "convert with str(x) or use interpolation \"…\\(x)…\"" }
        if op == .add, case .string = b { hint = "convert with str(x) or use interpolation \"…\\(x)…\"" }
        if hint == nil, a.kind == .list || b.kind == .list {
            hint = "a list of numbers becomes a column vector with vec(xs)"
        }
        if hint == nil { hint = operatorHint(op.rawValue, a, b) }
        return RuntimeFailure("cannot apply '\(op.rawValue)' to \(a.typeName) and \(b.typeName)", hint: hint, at: site)
    }

    /// Arithmetic `a op b` for every operator except comparisons and and/or.
    static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value, _ site: Site) throws -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try scalar(op, x, y, site))
        case (.matrix(let m), .matrix(let n)):
            if op == .matrixProduct {
                if m.cols != n.rows, let hint = ProductShapeHint.hint(m, n) {
                    let mismatch = TensorError.shapeMismatch(operation: "matrix product", lhs: m.shape, rhs: n.shape)
                    throw RuntimeFailure(mismatch.description, hint: hint, at: site)
                }
                return .matrix(try tensor(site) { try m.matmul(n) })
            }
            guard m.rows == n.rows, m.cols == n.cols else {
                throw RuntimeFailure("cannot apply '\(op.rawValue)' to matrices of shapes \(TensorError.format(m.shape)) and \(TensorError.format(n.shape))",
                                     hint: op == .multiply ? "'*' is elementwise; use '@' for the matrix product" : nil, at: site)
            }
            try tensor(site) { try Matrix.checkAllocation(m.rows, m.cols) }
            // `+ − *` through Tensor's elementwise loops (each element `x op y`, as `scalar`
            // computes it); the other operators keep the per-element loop and its errors.
            switch op {
            case .add: return .matrix(try tensor(site) { try m + n })
            case .subtract: return .matrix(try tensor(site) { try m - n })
            case .multiply: return .matrix(try tensor(site) { try m ∘ n })
            default: break
            }
            var out = [Double](repeating: 0, count: m.count)
            for i in 0..<m.count { out[i] = try scalar(op, m.elements[i], n.elements[i], site) }
            return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols, elements: out))
        case (.matrix(let m), .number(let y)) where op != .matrixProduct:
            try tensor(site) { try Matrix.checkAllocation(m.rows, m.cols) }
            switch op {
            case .add: return .matrix(m.mapElements { $0 + y })
            case .subtract: return .matrix(m.mapElements { $0 - y })
            case .multiply: return .matrix(m * y)
            default: break
            }
            var out = m.elements
            for i in 0..<out.count { out[i] = try scalar(op, out[i], y, site) }
            return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols, elements: out))
        case (.number(let x), .matrix(let m)) where op != .matrixProduct:
            try tensor(site) { try Matrix.checkAllocation(m.rows, m.cols) }
            switch op {
            case .add: return .matrix(m.mapElements { x + $0 })
            case .subtract: return .matrix(m.mapElements { x - $0 })
            case .multiply: return .matrix(x * m)
            default: break
            }
            var out = m.elements
            for i in 0..<out.count { out[i] = try scalar(op, x, out[i], site) }
            return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols, elements: out))
        case (.string(let s), .string(let t)) where op == .add:
            let bytes = s.utf8.count + t.utf8.count
            if let problem = LengthLimits.stringProblem(bytes) { throw RuntimeFailure(problem, at: site) }
            // One operation per byte copied.
            do { try WorkTally.charge(bytes, for: "a string of \(bytes) bytes") } catch { throw failure(error, at: site) }
            return .string(s + t)
        case (.list(let l), .list(let r)) where op == .add:
            try LengthLimits.requireList(l.items.count + r.items.count, at: site)
            return .list(ScriptList(l.items + r.items))
        default:
            if let defined = try OperandObjects.binary(op, a, b, site) { return defined }
            if let value = try VectorArithmetic.combine(op, a, b, site) { return value }
            throw mismatch(op, a, b, site)
        }
    }

    /// `x op y` on numbers, with the documented errors.
    @inline(__always)
    static func scalar(_ op: BinaryOperator, _ x: Double, _ y: Double, _ site: Site) throws -> Double {
        switch op {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide:
            guard y != 0 else { throw RuntimeFailure("division by zero", at: site) }
            return x / y
        case .remainder:
            guard y != 0 else { throw RuntimeFailure("division by zero in '%'", at: site) }
            var r = fmod(x, y)
            if r != 0, (r < 0) != (y < 0) { r += y }
            return r
        case .power: return y == 2 ? x * x : pow(x, y)
        case .matrixProduct: return x * y
        default: throw RuntimeFailure("'\(op.rawValue)' is not an arithmetic operator", at: site)
        }
    }

    /// Runs a Tensor operation, turning its error into a runtime failure at `site`.
    static func tensor<T>(_ site: Site, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as TensorError { throw failure(error, at: site) }
    }

    /// A Tensor error as a runtime failure at `site` (a cancel as the run's cancel).
    static func failure(_ error: TensorError, at site: Site) -> RuntimeFailure {
        if error == .cancelled { return RuntimeFailure.cancelled(at: site) }
        return RuntimeFailure(error.description, hint: error.hint, at: site)
    }

    /// `-a` for numbers and matrices.
    static func negate(_ a: Value, _ site: Site) throws -> Value {
        switch a {
        case .number(let x): return .number(-x)
        case .matrix(let m):
            try tensor(site) { try Matrix.checkAllocation(m.rows, m.cols) }
            return .matrix(Matrix(uncheckedRows: m.rows, cols: m.cols, elements: m.elements.map { -$0 }))
        default:
            if let defined = try OperandObjects.unary("-", a, site) { return defined }
            if let value = try VectorArithmetic.negate(a, site) { return value }
            throw RuntimeFailure("cannot negate \(withArticle(a.typeName))", at: site)
        }
    }

    /// `a'`: the transpose of a matrix; numbers are their own transpose.
    static func transpose(_ a: Value, _ site: Site) throws -> Value {
        switch a {
        case .number: return a
        case .matrix(let m): return .matrix(m.transposed)
        default:
            if let defined = try OperandObjects.unary("'", a, site) { return defined }
            throw RuntimeFailure("cannot transpose \(withArticle(a.typeName))", hint: "' transposes matrices", at: site)
        }
    }

    /// Ordering comparison `<, <=, >, >=` of two numbers or two strings.
    static func compare(_ op: BinaryOperator, _ a: Value, _ b: Value, _ site: Site) throws -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return ordered(op, x, y)
        case (.string(let s), .string(let t)):
            // One operation per byte of the longer string.
            let bytes = max(s.utf8.count, t.utf8.count)
            do { try WorkTally.charge(bytes, for: "comparing two strings with '\(op.rawValue)'") } catch { throw failure(error, at: site) }
            let x = Array(s.unicodeScalars.map(\.value)), y = Array(t.unicodeScalars.map(\.value))
            let less = x.lexicographicallyPrecedes(y), greater = y.lexicographicallyPrecedes(x)
            switch op {
            case .less: return less
            case .lessEqual: return !greater
            case .greater: return greater
            default: return !less
            }
        default:
            let masks = ["matrix", "list", "range"]
            let hint: String? = if OperandObjects.of(a) != nil || OperandObjects.of(b) != nil {
                "a traced value (inside grad or minimize) cannot be compared: a comparison has no derivative; "
                    + "write the kink with clip, minimum, maximum, abs or sign (docs/autodiff.md)"
            } else if masks.contains(a.typeName) || masks.contains(b.typeName) {
                "comparing a matrix or list gives a mask, not one bool; test it with all(…) or any(…)"
            } else {
                nil
            }
            throw RuntimeFailure("cannot compare \(a.typeName) and \(b.typeName) with '\(op.rawValue)'", hint: hint, at: site)
        }
    }

    @inline(__always)
    static func ordered(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Bool {
        switch op {
        case .less: x < y
        case .lessEqual: x <= y
        case .greater: x > y
        default: x >= y
        }
    }

    /// Structural equality: numbers (IEEE, so nan != nan), strings, bools, nil, ranges, matrices
    /// (same shape and elements), lists and records elementwise; functions and objects by identity.
    /// Nesting deeper than 1000 levels compares as unequal rather than recursing further.
    /// Free: for the host (`Value ==`); a script's `==` is ``equal(_:_:at:)``.
    static func equal(_ a: Value, _ b: Value, depth: Int = 0) -> Bool {
        var proven = Set<ContainerPair>()
        var tally: WorkTally?
        do { return try equal(a, b, depth: depth, proven: &proven, tally: &tally) } catch { return false }
    }

    /// A script's `a == b`: ``equal(_:_:depth:)`` with its work charged to the run's budget,
    /// one operation per item of a list or record, element of a matrix and byte of a string
    /// compared, in bulk per container (`WorkTally`), so that a step limit bounds it; a refusal
    /// is a failure at `site`.
    static func equal(_ a: Value, _ b: Value, at site: Site) throws -> Bool {
        switch (a, b) {
        case (.list, .list), (.record, .record), (.matrix, .matrix): break
        case (.string(let x), .string(let y)):
            let bytes = max(x.utf8.count, y.utf8.count)
            do { try WorkTally.charge(bytes, for: "comparing two strings with ==") } catch { throw failure(error, at: site) }
            return x == y
        default: return equal(a, b)
        }
        var proven = Set<ContainerPair>()
        var tally: WorkTally? = WorkTally { "comparing two values with ==" }
        do {
            let same = try equal(a, b, depth: 0, proven: &proven, tally: &tally)
            try tally?.settle()
            return same
        } catch {
            throw failure(error, at: site)
        }
    }

    /// Two containers, the left and the right side's, by identity.
    struct ContainerPair: Hashable {
        let left: ObjectIdentifier
        let right: ObjectIdentifier
    }

    /// `equal` remembering the pairs of lists and records already found equal in this
    /// comparison, so that a value sharing its parts (`a = [a, a]` thirty times over) is
    /// compared in time proportional to its distinct parts, not to its unfolded size. Each
    /// container's items, matrix's elements and string's bytes are counted in `tally` (nil:
    /// free) before they are compared.
    private static func equal(_ a: Value, _ b: Value, depth: Int, proven: inout Set<ContainerPair>,
                              tally: inout WorkTally?) throws(TensorError) -> Bool {
        guard depth < 1000 else { return false }
        switch (a, b) {
        case (.nil, .nil): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)):
            try tally?.add(max(x.utf8.count, y.utf8.count))
            return x == y
        case (.range(let a0, let a1), .range(let b0, let b1)): return a0 == b0 && a1 == b1
        case (.matrix(let m), .matrix(let n)):
            guard m.rows == n.rows, m.cols == n.cols else { return false }
            try tally?.add(m.count)
            return m == n
        case (.list(let l), .list(let r)):
            if l === r { return true }
            let pair = ContainerPair(left: ObjectIdentifier(l), right: ObjectIdentifier(r))
            if proven.contains(pair) { return true }
            guard l.items.count == r.items.count else { return false }
            try tally?.add(l.items.count)
            for (x, y) in zip(l.items, r.items) {
                guard try equal(x, y, depth: depth + 1, proven: &proven, tally: &tally) else { return false }
            }
            proven.insert(pair)
            return true
        case (.record(let l), .record(let r)):
            if l === r { return true }
            let pair = ContainerPair(left: ObjectIdentifier(l), right: ObjectIdentifier(r))
            if proven.contains(pair) { return true }
            // The names, then the values.
            try tally?.add(2 * l.names.count)
            guard l.names == r.names else { return false }
            for (x, y) in zip(l.values, r.values) {
                guard try equal(x, y, depth: depth + 1, proven: &proven, tally: &tally) else { return false }
            }
            proven.insert(pair)
            return true
        // The same definition closed over the same call: copies made by Frame.keep/recall
        // are the same function.
        case (.function(let f), .function(let g)): return f === g || (f.code === g.code && f.captured === g.captured)
        case (.builtin(let f), .builtin(let g)): return f === g
        case (.object(let o), .object(let p)): return o === p
        default: return false
        }
    }

    /// The integer range `lower..<upper` (or `..=`), with bounds checked to be exact integers.
    static func range(_ a: Value, _ b: Value, inclusive: Bool, _ site: Site) throws -> Value {
        guard case .number(let x) = a, case .number(let y) = b else {
            throw RuntimeFailure("range bounds must be numbers, got \(a.typeName) and \(b.typeName)", at: site)
        }
        guard let lower = exactInteger(x), let upper = exactInteger(y) else {
            let bad = exactInteger(x) == nil ? x : y
            throw RuntimeFailure("range bounds must be integers of magnitude at most 2^53, got \(Formatting.number(bad))", at: site)
        }
        return .range(lower: lower, upper: inclusive ? upper + 1 : upper)
    }
}

extension Value: Equatable {
    /// Structural equality as msense's `==` defines it (see `Operators.equal`).
    public static func == (lhs: Value, rhs: Value) -> Bool { Operators.equal(lhs, rhs) }
}
