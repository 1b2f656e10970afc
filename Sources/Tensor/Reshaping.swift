/// Rearranging matrices: reshape, vec, stacking, Kronecker products, triangles.
///
/// Conventions: `reshaped` reads and writes elements in row-major (C) order, as NumPy's
/// `reshape`; `vectorized` is the mathematician's vec(M), stacking the columns (column-major),
/// so that vec(AXB) = (Bᵀ ⊗ A) vec(X).
extension Matrix {
    /// The same elements, in row-major order, as a `rows×cols` matrix (the counts must agree).
    public func reshaped(rows newRows: Int, cols newCols: Int) throws(TensorError) -> Matrix {
        try Self.checkShape(newRows, newCols)
        guard newRows * newCols == count else {
            throw .invalidShape("cannot reshape a \(rows)×\(cols) matrix (\(count) elements) to \(newRows)×\(newCols) (\(newRows * newCols) elements)")
        }
        return Matrix(uncheckedRows: newRows, cols: newCols, elements: elements)
    }

    /// vec(M): the columns of M stacked into one `rows·cols × 1` column.
    public var vectorized: Matrix {
        var out = [Double]()
        out.reserveCapacity(count)
        for j in 0..<cols { for i in 0..<rows { out.append(elements[i * cols + j]) } }
        return Matrix(column: out)
    }

    /// The matrices side by side, [A B …]; all must have the same number of rows.
    public static func horizontalStack(_ parts: [Matrix]) throws(TensorError) -> Matrix {
        guard let first = parts.first else { throw .invalidArgument("hstack needs at least one matrix") }
        var cols = 0
        for p in parts {
            guard p.rows == first.rows else { throw .shapeMismatch(operation: "hstack", lhs: first.shape, rhs: p.shape) }
            cols += p.cols
        }
        try checkShape(first.rows, cols)
        try checkAllocation(first.rows, cols)
        var out = [Double]()
        out.reserveCapacity(first.rows * cols)
        for i in 0..<first.rows {
            for p in parts { out.append(contentsOf: p.elements[(i * p.cols)..<((i + 1) * p.cols)]) }
        }
        return Matrix(uncheckedRows: first.rows, cols: cols, elements: out)
    }

    /// The matrices one above the other, [A; B; …]; all must have the same number of columns.
    public static func verticalStack(_ parts: [Matrix]) throws(TensorError) -> Matrix {
        guard let first = parts.first else { throw .invalidArgument("vstack needs at least one matrix") }
        var rows = 0
        for p in parts {
            guard p.cols == first.cols else { throw .shapeMismatch(operation: "vstack", lhs: first.shape, rhs: p.shape) }
            rows += p.rows
        }
        try checkShape(rows, first.cols)
        try checkAllocation(rows, first.cols)
        return Matrix(uncheckedRows: rows, cols: first.cols, elements: parts.flatMap(\.elements))
    }

    /// The Kronecker product A ⊗ B: the (ra·rb)×(ca·cb) block matrix whose block (i, j) is aᵢⱼB.
    public static func kronecker(_ a: Matrix, _ b: Matrix) throws(TensorError) -> Matrix {
        let (r1, r2) = a.rows.multipliedReportingOverflow(by: b.rows)
        let (c1, c2) = a.cols.multipliedReportingOverflow(by: b.cols)
        guard !r2, !c2 else { throw .invalidShape("the Kronecker product of \(format(a.shape)) and \(format(b.shape)) is too large") }
        try checkShape(r1, c1)
        try checkAllocation(r1, c1)
        var out = [Double](repeating: 0, count: r1 * c1)
        for i in 0..<a.rows {
            for j in 0..<a.cols {
                let s = a.elements[i * a.cols + j]
                for k in 0..<b.rows {
                    let row = (i * b.rows + k) * c1 + j * b.cols
                    for l in 0..<b.cols { out[row + l] = s * b.elements[k * b.cols + l] }
                }
            }
        }
        return Matrix(uncheckedRows: r1, cols: c1, elements: out)
    }

    /// The upper triangle: elements (i, j) with j − i ≥ k kept, the rest set to 0 (k = 0 keeps the diagonal).
    public func upperTriangle(_ k: Int = 0) -> Matrix {
        var out = self
        for i in 0..<rows { for j in 0..<cols where j - i < k { out.elements[i * cols + j] = 0 } }
        return out
    }

    /// The lower triangle: elements (i, j) with j − i ≤ k kept, the rest set to 0.
    public func lowerTriangle(_ k: Int = 0) -> Matrix {
        var out = self
        for i in 0..<rows { for j in 0..<cols where j - i > k { out.elements[i * cols + j] = 0 } }
        return out
    }

    private static func format(_ shape: [Int]) -> String { TensorError.format(shape) }
}
