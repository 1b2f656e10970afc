import Tensor

/// One evaluated item between index brackets.
package enum IndexArgument {
    case single(Value)
    case slice(Value?, Value?)
}

/// Reading and writing `x[i]`, `A[i, j]`, slices, and fields `x.name`.
///
/// Indices are 0-based; negative indices count from the end (`xs[-1]` is the last element).
/// Slices `lo:hi` are half-open, may omit either bound and are clamped to the valid range,
/// like Python. For a matrix, one index selects an element of a vector (n×1 or 1×n) and a row
/// (as a 1×n matrix) otherwise; two indices select elements, rows, columns or blocks.
package enum Indexing {
    /// `index` as a position in a sequence of `count` elements, or an out-of-range error.
    package static func position(_ index: Value, count: Int, of what: String, _ site: Site) throws -> Int {
        guard case .number(let x) = index else {
            throw RuntimeFailure("\(what) index must be a number, got \(index.typeName)", at: site)
        }
        guard let i = Operators.exactInteger(x) else {
            throw RuntimeFailure("\(what) index must be an integer, got \(Formatting.number(x))", at: site)
        }
        let resolved = i < 0 ? i + count : i
        guard resolved >= 0, resolved < count else {
            throw RuntimeFailure("index \(i) is out of range for \(withArticle(what)) of \(counted(count, "element"))",
                                 hint: count == 0 ? "the \(what) is empty" : "valid indices are 0 to \(count - 1) (or -\(count) to -1)", at: site)
        }
        return resolved
    }

    /// The half-open range selected by slice bounds `lo:hi` over `count` elements (clamped).
    /// Charges walking `s` (one operation per byte) to the run's budget.
    private static func chargeWalk(_ s: String, _ site: Site) throws {
        do { try RunBudget.charge(s.utf8.count, for: "indexing a string of \(s.utf8.count) bytes") } catch {
            throw RuntimeFailure(error.description, hint: "the host set this limit (Interpreter.limits)", at: site)
        }
    }

    package static func sliceRange(_ lo: Value?, _ hi: Value?, count: Int, _ site: Site) throws -> Range<Int> {
        func bound(_ v: Value?, _ fallback: Int) throws -> Int {
            guard let v else { return fallback }
            guard case .number(let x) = v, let i = Operators.exactInteger(x) else {
                throw RuntimeFailure("slice bounds must be integers, got \(v.kind == .number ? Formatting.repr(v) : v.typeName)", at: site)
            }
            let resolved = i < 0 ? i + count : i
            return min(max(resolved, 0), count)
        }
        let lower = try bound(lo, 0), upper = try bound(hi, count)
        return lower..<max(lower, upper)
    }

    /// The rows or columns an index item selects in a dimension of size `count`.
    private static func selection(_ item: IndexArgument, count: Int, of what: String, _ site: Site) throws -> Range<Int> {
        switch item {
        case .single(let v):
            let i = try position(v, count: count, of: what, site)
            return i..<(i + 1)
        case .slice(let lo, let hi):
            return try sliceRange(lo, hi, count: count, site)
        }
    }

    private static func isSingle(_ item: IndexArgument) -> Bool {
        if case .single = item { return true }
        return false
    }

    /// Row and column ranges selected in matrix `m` by `items`.
    private static func matrixSelection(_ m: Matrix, _ items: [IndexArgument], _ site: Site) throws -> (Range<Int>, Range<Int>) {
        switch items.count {
        case 1 where m.cols == 1:
            return (try selection(items[0], count: m.rows, of: "vector", site), 0..<1)
        case 1 where m.rows == 1:
            return (0..<1, try selection(items[0], count: m.cols, of: "vector", site))
        case 1:
            return (try selection(items[0], count: m.rows, of: "matrix row", site), 0..<m.cols)
        case 2:
            return (try selection(items[0], count: m.rows, of: "matrix row", site),
                    try selection(items[1], count: m.cols, of: "matrix column", site))
        default:
            throw RuntimeFailure("a matrix takes one or two indices, got \(items.count)", at: site)
        }
    }

    private static func block(_ m: Matrix, _ rows: Range<Int>, _ cols: Range<Int>) -> Matrix {
        var out: [Double] = []
        out.reserveCapacity(rows.count * cols.count)
        for i in rows { out.append(contentsOf: m.elements[(i * m.cols + cols.lowerBound)..<(i * m.cols + cols.upperBound)]) }
        return Matrix(uncheckedRows: rows.count, cols: cols.count, elements: out)
    }

    /// `base[items]`.
    static func get(_ base: Value, _ items: [IndexArgument], _ site: Site) throws -> Value {
        if let value = try ExtendedIndexing.get(base, items, site) { return value }
        switch base {
        case .matrix(let m):
            let (rows, cols) = try matrixSelection(m, items, site)
            if items.allSatisfy(isSingle), rows.count == 1, cols.count == 1, items.count == 2 || m.rows == 1 || m.cols == 1 {
                return .number(m.elements[rows.lowerBound * m.cols + cols.lowerBound])
            }
            try Operators.tensor(site) { try Matrix.checkAllocation(rows.count, cols.count) }
            return .matrix(block(m, rows, cols))
        default:
            guard items.count == 1 else {
                throw RuntimeFailure("\(withArticle(base.typeName)) takes one index, got \(items.count)", at: site)
            }
        }
        switch (base, items[0]) {
        case (.list(let list), .single(let i)):
            return list.items[try position(i, count: list.items.count, of: "list", site)]
        case (.list(let list), .slice(let lo, let hi)):
            let range = try sliceRange(lo, hi, count: list.items.count, site)
            try LengthLimits.requireList(range.count, at: site)
            return .list(ScriptList(Array(list.items[range])))
        case (.string(let s), .single(let i)):
            // Characters are found by walking the string (no copy of it), charged as native work.
            try chargeWalk(s, site)
            let k = try position(i, count: s.count, of: "string", site)
            return .string(String(s[s.index(s.startIndex, offsetBy: k)]))
        case (.string(let s), .slice(let lo, let hi)):
            try chargeWalk(s, site)
            let range = try sliceRange(lo, hi, count: s.count, site)
            let start = s.index(s.startIndex, offsetBy: range.lowerBound)
            return .string(String(s[start..<s.index(start, offsetBy: range.count)]))
        case (.range(let lower, let upper), .single(let i)):
            return .number(Double(lower + (try position(i, count: max(0, upper - lower), of: "range", site))))
        case (.range(let lower, let upper), .slice(let lo, let hi)):
            let r = try sliceRange(lo, hi, count: max(0, upper - lower), site)
            return .range(lower: lower + r.lowerBound, upper: lower + r.upperBound)
        case (.record(let record), .single(.string(let name))):
            guard let value = record[name] else { throw missingField(name, record.names, "record", site) }
            return value
        default:
            throw RuntimeFailure("cannot index \(withArticle(base.typeName)) with \(describe(items[0]))", at: site)
        }
    }

    private static func describe(_ item: IndexArgument) -> String {
        switch item {
        case .single(let v): "\(withArticle(v.typeName))"
        case .slice: "a slice"
        }
    }

    /// `base[items] = value`. Lists and records change in place (returns nil); for a matrix the
    /// updated matrix is returned and must be stored back into the variable it came from.
    static func set(_ base: Value, _ items: [IndexArgument], _ value: Value, _ site: Site) throws -> Value? {
        if let updated = try ExtendedIndexing.set(base, items, value, site) { return updated }
        switch base {
        case .list(let list):
            guard items.count == 1, case .single(let i) = items[0] else {
                throw RuntimeFailure("a list element is assigned with one index, e.g. xs[i] = v", at: site)
            }
            list.items[try position(i, count: list.items.count, of: "list", site)] = value
            return nil
        case .record(let record):
            guard items.count == 1, case .single(.string(let name)) = items[0] else {
                throw RuntimeFailure("a record field is assigned with a string key, e.g. r[\"lr\"] = v", at: site)
            }
            record.set(name, value)
            return nil
        case .matrix(var m):
            let (rows, cols) = try matrixSelection(m, items, site)
            switch value {
            case .number(let x):
                for i in rows { for j in cols { m[i, j] = x } }
            case .matrix(let v) where v.rows == rows.count && v.cols == cols.count:
                for (a, i) in rows.enumerated() { for (b, j) in cols.enumerated() { m[i, j] = v.elements[a * v.cols + b] } }
            default:
                let shape = value.kind == .matrix ? "a matrix of another shape" : "\(withArticle(value.typeName))"
                throw RuntimeFailure("cannot assign \(shape) to a \(rows.count)×\(cols.count) block of a matrix",
                                     hint: "assign a number or a matrix of the same shape", at: site)
            }
            return .matrix(m)
        default:
            throw RuntimeFailure("cannot assign into \(withArticle(base.typeName)) with an index", at: site)
        }
    }

    private static func missingField(_ name: String, _ names: [String], _ type: String, _ site: Site) -> RuntimeFailure {
        let hint = Suggestions.didYouMean(name, among: names) ?? (names.isEmpty ? nil : "fields: \(names.joined(separator: ", "))")
        return RuntimeFailure("\(type) has no field '\(name)'", hint: hint, at: site)
    }

    /// `base.name` for records, host objects, and `rows`/`cols` of a matrix.
    static func field(_ base: Value, _ name: String, _ site: Site) throws -> Value {
        switch base {
        case .record(let record):
            guard let value = record[name] else { throw missingField(name, record.names, "record", site) }
            return value
        case .object(let object):
            let value: Value?
            do { value = try object.field(named: name) } catch let f as RuntimeFailure { throw f } catch {
                throw RuntimeFailure("\(object.typeName).\(name): \(error)", at: site)
            }
            guard let value else { throw missingField(name, object.fieldNames, object.typeName, site) }
            return value
        case .matrix(let m) where name == "rows": return .number(Double(m.rows))
        case .matrix(let m) where name == "cols": return .number(Double(m.cols))
        default:
            throw RuntimeFailure("\(withArticle(base.typeName)) has no field '\(name)'",
                                 hint: base.kind == .matrix ? matrixFieldHint(name) : nil, at: site)
        }
    }

    /// What a matrix offers instead of `name`, naming msense's spelling of NumPy's `.shape`
    /// and `.T`.
    private static func matrixFieldHint(_ name: String) -> String {
        switch name {
        case "shape": return "matrices have fields rows and cols; shape(M) gives [rows, cols] (a column vector from a 1-d .npy is n×1)"
        case "T": return "M' is the transpose of M (NumPy's M.T); matrices have fields rows and cols"
        default: return "matrices have fields rows and cols"
        }
    }

    /// `base.name = value` (records only; host objects are read-only).
    static func setField(_ base: Value, _ name: String, _ value: Value, _ site: Site) throws {
        guard case .record(let record) = base else {
            throw RuntimeFailure("cannot assign to field '\(name)' of \(withArticle(base.typeName))", at: site)
        }
        guard record[name] != nil else {
            throw RuntimeFailure("record has no field '\(name)'",
                                 hint: Suggestions.didYouMean(name, among: record.names) ?? "to add a field, write r[\"\(name)\"] = value", at: site)
        }
        record.set(name, value)
    }
}
