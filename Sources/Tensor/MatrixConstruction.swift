/// Standard matrices built from a size or a list of values, and the diagonal read back.
extension Matrix {
    /// The `n×n` identity matrix I, with Iᵢᵢ = 1 and Iᵢⱼ = 0 for i ≠ j.
    public static func identity(_ n: Int) throws(TensorError) -> Matrix {
        var m = try Matrix(rows: n, cols: n)
        for i in 0..<n { m.elements[i * n + i] = 1 }
        return m
    }

    /// The `rows×cols` matrix of zeros.
    public static func zeros(rows: Int, cols: Int) throws(TensorError) -> Matrix {
        try Matrix(rows: rows, cols: cols, repeating: 0)
    }

    /// The square matrix D with Dᵢᵢ = `values[i]` and zeros elsewhere.
    public static func diagonal(_ values: [Double]) throws(TensorError) -> Matrix {
        let n = values.count
        var m = try Matrix(rows: n, cols: n)
        for (i, v) in values.enumerated() { m.elements[i * n + i] = v }
        return m
    }

    /// The main diagonal (a₀₀, a₁₁, …, aₖₖ) with k = min(rows, cols) − 1; works for any shape.
    public var diagonalElements: [Double] {
        (0..<min(rows, cols)).map { elements[$0 * cols + $0] }
    }
}
