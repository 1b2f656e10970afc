import MSenseCore
import Tensor

/// An array of 3 or more dimensions (a measurement stack) indexed like NumPy: `A[i]` is the
/// matrix at position i of the first dimension, `A[lo:hi]` a sub-stack, `A[i, j, k]` a number;
/// every dimension takes a position or a slice, and a list of positions picks matrices
/// (`A[perm[0:80]]`). A result with 2 dimensions is a matrix, 1 an n×1 column, 0 a number.
extension ArrayObject: SubscriptableObject {
    func subscripted(_ items: [IndexArgument], _ site: Site) throws -> Value? {
        let shape = array.shape
        if items.count == 1, case .single(.list(let selector)) = items[0] {
            let picked = try ExtendedIndexing.positions(selector, count: shape.first ?? 0, of: "array", site)
            let size = shape.dropFirst().reduce(1, *)
            var elements: [Double] = []
            elements.reserveCapacity(picked.count * size)
            for i in picked { elements.append(contentsOf: array.elements[(i * size)..<((i + 1) * size)]) }
            let result = try located(site) { () throws(TensorError) in
                try NDArray(shape: [picked.count] + shape.dropFirst(), elements: elements, dtype: array.dtype)
            }
            return try value(result, site)
        }
        guard items.count <= shape.count else {
            throw RuntimeFailure("an array of shape \(TensorError.format(shape)) takes at most \(shape.count) indices, got \(items.count)", at: site)
        }
        var indices: [NDIndex] = []
        for (k, item) in items.enumerated() {
            switch item {
            case .single(let v): indices.append(.single(try Indexing.position(v, count: shape[k], of: "array dimension \(k)", site)))
            case .slice(let lo, let hi): indices.append(.range(try Indexing.sliceRange(lo, hi, count: shape[k], site)))
            }
        }
        let result = try located(site) { () throws(TensorError) in try array.sliced(indices) }
        return try value(result, site)
    }

    /// An array as scripts see it: a number, a column vector, a matrix, or an array object.
    private func value(_ result: NDArray, _ site: Site) throws -> Value {
        switch result.rank {
        case 0: return .number(result.elements.first ?? 0)
        case 1, 2: return .matrix(try located(site) { () throws(TensorError) in try result.asMatrix() })
        default: return .object(ArrayObject(result, path: "\(path)[…]"))
        }
    }

    private func located<T>(_ site: Site, _ body: () throws(TensorError) -> T) throws -> T {
        do { return try body() } catch { throw RuntimeFailure(error.description, at: site) }
    }
}

extension TraceObject: ColumnIndexable {
    var columnNames: [String] { trace.columns }
    func columnValue(named name: String) -> Value? {
        guard let j = trace.columns.firstIndex(of: name) else { return nil }
        return .list(trace.rows.map { .number($0[j]) })
    }
}

extension SweepTableObject: ColumnIndexable {
    var columnNames: [String] { table.columns }
    func columnValue(named name: String) -> Value? {
        guard let cells = table.column(named: name) else { return nil }
        return .list(ScriptList(cells.map { SweepTableObject.value($0) }))
    }
}
