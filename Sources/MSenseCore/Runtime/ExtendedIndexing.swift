import Tensor

/// A host object that takes indices, `x[…]`: an array loaded from a file, a trace or table read
/// by column name. Libraries outside the core make their objects indexable through it.
package protocol SubscriptableObject: ScriptObject {
    /// `self[items]`, or nil when the object does not take these items (then the usual
    /// "cannot index" error is reported).
    func subscripted(_ items: [IndexArgument], _ site: Site) throws -> Value?
}

/// A host object whose columns scripts read by name, `t["loss"]` (traces and sweep tables),
/// with "did you mean" for a misspelt name.
package protocol ColumnIndexable: SubscriptableObject {
    /// The column names, in order.
    var columnNames: [String] { get }
    /// The column called `name` as a list, or nil when there is none.
    func columnValue(named name: String) -> Value?
}

extension ColumnIndexable {
    package func subscripted(_ items: [IndexArgument], _ site: Site) throws -> Value? {
        guard items.count == 1, case .single(.string(let name)) = items[0] else { return nil }
        guard let column = columnValue(named: name) else {
            throw RuntimeFailure("the \(typeName) has no column '\(name)'",
                                 hint: Suggestions.didYouMean(name, among: columnNames)
                                    ?? "columns: \(columnNames.joined(separator: ", "))", at: site)
        }
        return column
    }
}

/// The indexing forms beyond one position or slice per dimension of a list or matrix:
///
/// - a list of integer positions selects those items, or rows of a matrix (elements of a
///   vector), in that order: `y[train]`;
/// - a mask selects elements: a list of bools of a list's length, or a 0/1 matrix of a
///   matrix's shape (`x[x > 0]`), giving a list or a column of the elements where it is true
///   (row-major order);
/// - host objects index themselves (``SubscriptableObject``): arrays by position and slice per
///   dimension, traces and tables by column name (`s["phase1_mean"]`).
package enum ExtendedIndexing {
    /// `base[items]` in one of the forms above, or nil to let ``Indexing`` handle it.
    static func get(_ base: Value, _ items: [IndexArgument], _ site: Site) throws -> Value? {
        if case .object(let object as any SubscriptableObject) = base {
            return try object.subscripted(items, site)
        }
        guard items.count == 1, case .single(let index) = items[0] else { return nil }
        switch (base, index) {
        case (.list(let list), .list(let selector)):
            if let mask = try boolMask(selector, count: list.items.count, site) {
                try LengthLimits.requireList(list.items.count, at: site)
                return .list(ScriptList(zip(list.items, mask).filter(\.1).map(\.0)))
            }
            let positions = try self.positions(selector, count: list.items.count, of: "list", site)
            try LengthLimits.requireList(positions.count, at: site)
            return .list(ScriptList(positions.map { list.items[$0] }))
        case (.matrix(let m), .list(let selector)):
            let vector = m.rows == 1 || m.cols == 1
            let positions = try self.positions(selector, count: vector ? m.count : m.rows, of: vector ? "vector" : "matrix row", site)
            if vector {
                let picked = positions.map { m.elements[$0] }
                return .matrix(m.rows == 1 ? Matrix(uncheckedRows: 1, cols: picked.count, elements: picked) : Matrix(column: picked))
            }
            var out: [Double] = []
            out.reserveCapacity(positions.count * m.cols)
            for i in positions { out.append(contentsOf: m.elements[(i * m.cols)..<((i + 1) * m.cols)]) }
            return .matrix(Matrix(uncheckedRows: positions.count, cols: m.cols, elements: out))
        case (.matrix(let m), .matrix(let mask)):
            let keep = try matrixMask(mask, for: m, site)
            return .matrix(Matrix(column: zip(m.elements, keep).filter(\.1).map(\.0)))
        default:
            return nil
        }
    }

    /// `base[mask] = value` for a matrix and a 0/1 mask of its shape: every selected element
    /// becomes the number, or the next element of a vector with one element per selected one.
    static func set(_ base: Value, _ items: [IndexArgument], _ value: Value, _ site: Site) throws -> Value? {
        guard case .matrix(var m) = base, items.count == 1, case .single(.matrix(let mask)) = items[0] else { return nil }
        let keep = try matrixMask(mask, for: m, site)
        let selected = keep.indices.filter { keep[$0] }
        let values: [Double]
        switch value {
        case .number(let x): values = Array(repeating: x, count: selected.count)
        case .matrix(let v) where v.count == selected.count && (v.rows == 1 || v.cols == 1): values = v.elements
        default:
            throw RuntimeFailure("cannot assign \(withArticle(value.typeName)) to the \(selected.count) elements a mask selects",
                                 hint: "assign a number or a vector with one element per selected element", at: site)
        }
        for (k, i) in selected.enumerated() { m[i / m.cols, i % m.cols] = values[k] }
        return .matrix(m)
    }

    private static func matrixMask(_ mask: Matrix, for m: Matrix, _ site: Site) throws -> [Bool] {
        guard mask.rows == m.rows, mask.cols == m.cols else {
            throw RuntimeFailure("a mask of shape \(mask.rows)×\(mask.cols) cannot index a \(m.rows)×\(m.cols) matrix",
                                 hint: "a mask is a comparison of a matrix of the same shape, e.g. M[M > 0]", at: site)
        }
        return try mask.elements.map { x in
            guard x == 0 || x == 1 else {
                throw RuntimeFailure("a mask must hold only 0 and 1, found \(Formatting.number(x))",
                                     hint: "make one with a comparison, e.g. M > 0", at: site)
            }
            return x == 1
        }
    }

    /// The bools of a list that holds only bools (nil when it holds numbers).
    private static func boolMask(_ selector: ScriptList, count: Int, _ site: Site) throws -> [Bool]? {
        guard let first = selector.items.first, case .bool = first else { return nil }
        let mask = try selector.items.map { item in
            guard case .bool(let b) = item else {
                throw RuntimeFailure("a mask must hold only bools, found \(withArticle(item.typeName))", at: site)
            }
            return b
        }
        guard mask.count == count else {
            throw RuntimeFailure("a mask of \(counted(mask.count, "bool")) cannot index a list of \(counted(count, "item"))", at: site)
        }
        return mask
    }

    package static func positions(_ selector: ScriptList, count: Int, of what: String, _ site: Site) throws -> [Int] {
        try selector.items.map { try Indexing.position($0, count: count, of: what, site) }
    }
}
