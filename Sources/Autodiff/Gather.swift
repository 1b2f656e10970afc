import Tensor

extension Tape {
    /// The rows `Y = A[indices, :]` of `A` in the order given (repeats allowed; each index in
    /// `0..<A.rows`): for a column vector, its entries `(aᵢ)_{i ∈ indices}`. The pullback adds
    /// each row of `Ȳ` back where it came from: `Ā[iₖ, :] += Ȳ[k, :]` (a repeated index
    /// collects every copy's adjoint).
    public func gather(_ a: Variable, rows indices: [Int]) throws(AutodiffError) -> Variable {
        let x = try value(a)
        if let bad = indices.first(where: { $0 < 0 || $0 >= x.rows }) {
            throw .invalidArgument("gather: row \(bad) is outside a matrix of \(counted(x.rows, "row"))")
        }
        guard !indices.isEmpty else { throw .invalidArgument("gather: no rows were selected") }
        var y = Matrix.filled(rows: indices.count, cols: x.cols, with: 0)
        for (k, i) in indices.enumerated() {
            for j in 0..<x.cols { y[k, j] = x[i, j] }
        }
        return record(y, inputs: [a]) { g, _ in
            var out = Matrix.filled(rows: x.rows, cols: x.cols, with: 0)
            for (k, i) in indices.enumerated() {
                for j in 0..<x.cols { out[i, j] += g[k, j] }
            }
            return [out]
        }
    }
}
