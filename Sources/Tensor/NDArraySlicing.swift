/// One entry of an n-dimensional index: a single position (the dimension is dropped) or a
/// half-open range of positions (the dimension is kept).
public enum NDIndex: Sendable, Equatable {
    case single(Int)
    case range(Range<Int>)
}

extension NDArray {
    /// The sub-array selected by `items`, one per leading dimension (missing trailing entries
    /// select whole dimensions), like NumPy's basic indexing `A[i, lo:hi, …]`.
    ///
    /// Positions must already be resolved to 0 ≤ i < dᵢ and ranges clamped to 0…dᵢ.
    /// - Throws: ``TensorError/indexOutOfRange(_:)`` for more entries than dimensions or a
    ///   position outside its dimension.
    public func sliced(_ items: [NDIndex]) throws(TensorError) -> NDArray {
        guard items.count <= rank else {
            throw .indexOutOfRange("\(counted(items.count, "index", plural: "indices")) given for an array of shape \(TensorError.format(shape)) (\(counted(rank, "dimension")))")
        }
        var ranges: [Range<Int>] = []
        var kept: [Int] = []
        for (k, d) in shape.enumerated() {
            let item = k < items.count ? items[k] : .range(0..<d)
            switch item {
            case .single(let i):
                guard i >= 0, i < d else { throw .indexOutOfRange("index \(i) is outside dimension \(k) of size \(d)") }
                ranges.append(i..<(i + 1))
            case .range(let r):
                guard r.lowerBound >= 0, r.upperBound <= d else {
                    throw .indexOutOfRange("\(r.lowerBound):\(r.upperBound) is outside dimension \(k) of size \(d)")
                }
                ranges.append(r)
                kept.append(r.count)
            }
        }
        // Row-major strides of the source.
        var strides = [Int](repeating: 1, count: rank)
        for k in stride(from: rank - 2, through: 0, by: -1) { strides[k] = strides[k + 1] * shape[k + 1] }
        var out: [Double] = []
        out.reserveCapacity(ranges.reduce(1) { $0 * $1.count })
        func visit(_ k: Int, _ offset: Int) {
            if k == rank {
                out.append(elements[offset])
                return
            }
            for i in ranges[k] { visit(k + 1, offset + i * strides[k]) }
        }
        if ranges.allSatisfy({ !$0.isEmpty }) { visit(0, 0) }
        return try NDArray(shape: kept, elements: out, dtype: dtype)
    }
}
