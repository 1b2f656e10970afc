import CBLAS

/// The matrix–vector product, by BLAS `dgemv`.
extension Matrix {
    /// y = α·A·x, or y = α·Aᵀ·x when `transpose` is true; `x` and `y` are column vectors (`n×1`).
    ///
    /// - Throws: ``TensorError/shapeMismatch(operation:lhs:rhs:)`` unless `x` is a column whose
    ///   length is the number of columns of A (of rows, when transposed).
    public static func gemv(
        _ a: Matrix, _ x: Matrix, transpose: Bool = false, alpha: Double = 1
    ) throws(TensorError) -> Matrix {
        let (m, n) = transpose ? (a.cols, a.rows) : (a.rows, a.cols)
        guard x.cols == 1, x.rows == n else {
            throw .shapeMismatch(
                operation: "matrix–vector product", lhs: transpose ? [m, n] : a.shape, rhs: x.shape)
        }
        var y = [Double](repeating: 0, count: m)
        guard m > 0, n > 0 else { return Matrix(column: y) }
        a.elements.withUnsafeBufferPointer { pa in
            x.elements.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
                        Int32(a.rows), Int32(a.cols), alpha, pa.baseAddress, Int32(max(a.cols, 1)),
                        px.baseAddress, 1, 0, py.baseAddress, 1)
                }
            }
        }
        return Matrix(column: y)
    }
}
