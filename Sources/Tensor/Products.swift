import CBLAS

/// Matrix products backed by OpenBLAS (`cblas_dgemm`).
extension Matrix {
    /// The matrix product `self · other` (`m×k` times `k×n` gives `m×n`).
    public func matmul(_ other: Matrix) throws(TensorError) -> Matrix {
        try Matrix.gemm(self, other)
    }

    /// `alpha · op(a) · op(b)` where `op` transposes when asked: one BLAS call, no copies.
    ///
    /// - Parameters:
    ///   - a: the left factor.
    ///   - b: the right factor.
    ///   - transposeA: use `aᵀ` in place of `a`.
    ///   - transposeB: use `bᵀ` in place of `b`.
    ///   - alpha: the scale of the product.
    public static func gemm(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
        alpha: Double = 1
    ) throws(TensorError) -> Matrix {
        let (m, k) = transposeA ? (a.cols, a.rows) : (a.rows, a.cols)
        let (k2, n) = transposeB ? (b.cols, b.rows) : (b.rows, b.cols)
        guard k == k2 else {
            throw .shapeMismatch(
                operation: "matrix product", lhs: transposeA ? [k, m] : a.shape,
                rhs: transposeB ? [n, k2] : b.shape)
        }
        try checkShape(m, n)
        try checkAllocation(m, n)
        try RunBudget.charge(RunBudget.operations(m, n, k), for: "a \(m)×\(k) by \(k)×\(n) matrix product")
        return gemmUnchecked(a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha)
    }

    /// `gemm` for operands whose shapes the caller has already checked (other modules' kernels
    /// that know their shapes fit use it too).
    package static func gemmUnchecked(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
        alpha: Double = 1
    ) -> Matrix {
        let (m, k) = transposeA ? (a.cols, a.rows) : (a.rows, a.cols)
        let n = transposeB ? b.rows : b.cols
        var c = Matrix(uncheckedRows: m, cols: n, elements: [Double](repeating: 0, count: m * n))
        guard m > 0, n > 0, k > 0 else { return c }
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha,
                        pa.baseAddress, Int32(max(a.cols, 1)),
                        pb.baseAddress, Int32(max(b.cols, 1)),
                        0, pc.baseAddress, Int32(max(n, 1)))
                }
            }
        }
        return c
    }

    /// `(Σⱼ aᵢⱼ bᵢⱼ)ᵢ`: the dot product of row `i` of `a` with row `i` of `b`, for every `i`
    /// (summed in column order), for operands whose equal shapes the caller has checked (the
    /// measurements `⟨aᵢbᵢᵀ, M⟩ = aᵢᵀ(M bᵢ)` of rank-one ensembles).
    package static func rowDotsUnchecked(_ a: Matrix, _ b: Matrix) -> [Double] {
        var out = [Double](repeating: 0, count: a.rows)
        for i in 0..<a.rows {
            var s = 0.0
            for j in 0..<a.cols { s += a.elements[i * a.cols + j] * b.elements[i * b.cols + j] }
            out[i] = s
        }
        return out
    }

    /// The transpose `selfᵀ`.
    public var transposed: Matrix {
        var out = [Double](repeating: 0, count: count)
        for i in 0..<rows {
            for j in 0..<cols { out[j * rows + i] = elements[i * cols + j] }
        }
        return Matrix(uncheckedRows: cols, cols: rows, elements: out)
    }

    /// `U Uᵀ` for a `d×r` factor `U`: the symmetric `d×d` Gram matrix of its rows (its size
    /// and cost checked as for any product).
    public func outerGram() throws(TensorError) -> Matrix {
        try Matrix.gemm(self, self, transposeB: true)
    }

    /// `Uᵀ U` for a `d×r` factor `U`: the symmetric `r×r` Gram matrix of its columns.
    public func innerGram() throws(TensorError) -> Matrix {
        try Matrix.gemm(self, self, transposeA: true)
    }
}
