import CBLAS

/// The thin singular value decomposition A = U Σ Vᵀ of an `m×n` matrix, by LAPACK's `dgesdd`.
///
/// With k = min(m, n): `u` is `m×k` with orthonormal columns, `singularValues` holds
/// σ₁ ≥ σ₂ ≥ … ≥ σₖ ≥ 0 (**descending**), and `vt` is `k×n` with orthonormal rows, so that
/// A = Σₗ σₗ uₗ vₗᵀ. Signs of singular vector pairs are LAPACK's (each pair may be negated together).
public struct SVD: Sendable {
    /// `m×k` left singular vectors as columns.
    public let u: Matrix
    /// σ₁ ≥ … ≥ σₖ ≥ 0.
    public let singularValues: [Double]
    /// `k×n` right singular vectors as rows (Vᵀ).
    public let vt: Matrix

    /// Decomposes `a`.
    ///
    /// - Throws: ``TensorError`` for NaN or infinite entries, or if LAPACK fails to converge.
    public init(_ a: Matrix) throws(TensorError) {
        let m = a.rows, n = a.cols, k = min(m, n)
        // A's copy, U and Vᵀ, each twice (LAPACKE's column-major copies), dgesdd's ~7k² + 4k + max(m, n) work.
        try AvailableMemory.requireWorkspace(
            doubles: AvailableMemory.doubles((2 * m, n), (2 * m, k), (2 * k, n), (7 * k, k), (4, k), (1, max(m, n))),
            operations: RunBudget.operations(m, n, k), for: "svd of a \(m)×\(n) matrix")
        var s = [Double](repeating: 0, count: k)
        var uElems = [Double](repeating: 0, count: m * k)
        var vtElems = [Double](repeating: 0, count: k * n)
        if k > 0 {
            try Self.checkFinite(a)
            var work = a.elements
            let info = work.withUnsafeMutableBufferPointer { pa in
                s.withUnsafeMutableBufferPointer { ps in
                    uElems.withUnsafeMutableBufferPointer { pu in
                        vtElems.withUnsafeMutableBufferPointer { pv in
                            LAPACKE_dgesdd(
                                LAPACK_ROW_MAJOR, 83 /* S: thin */, Int32(m), Int32(n),
                                pa.baseAddress, Int32(n), ps.baseAddress,
                                pu.baseAddress, Int32(k), pv.baseAddress, Int32(n))
                        }
                    }
                }
            }
            guard info == 0 else { throw .lapackFailure(routine: "dgesdd", info: Int(info)) }
        }
        u = Matrix(uncheckedRows: m, cols: k, elements: uElems)
        singularValues = s
        vt = Matrix(uncheckedRows: k, cols: n, elements: vtElems)
    }

    /// The singular values of `a` alone, descending (`dgesdd` without vectors: cheaper).
    public static func singularValues(of a: Matrix) throws(TensorError) -> [Double] {
        let m = a.rows, n = a.cols, k = min(m, n)
        guard k > 0 else { return [] }
        try checkFinite(a)
        try AvailableMemory.requireWorkspace(
            doubles: AvailableMemory.doubles((2 * m, n), (8, k), (1, max(m, n))),
            operations: RunBudget.operations(m, n, k), for: "computing the singular values of a \(m)×\(n) matrix")
        var work = a.elements
        var s = [Double](repeating: 0, count: k)
        let info = work.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                LAPACKE_dgesdd(
                    LAPACK_ROW_MAJOR, 78 /* N: values only */, Int32(m), Int32(n),
                    pa.baseAddress, Int32(n), ps.baseAddress, nil, 1, nil, Int32(n))  // row-major LAPACKE wants ldvt ≥ n even here
            }
        }
        guard info == 0 else { throw .lapackFailure(routine: "dgesdd", info: Int(info)) }
        return s
    }

    /// U · diag(σ) · Vᵀ, the matrix this decomposition represents.
    public func reconstructed() -> Matrix {
        var us = u
        let k = singularValues.count
        for i in 0..<us.rows {
            for l in 0..<k { us.elements[i * k + l] *= singularValues[l] }
        }
        return Matrix.gemmUnchecked(us, vt)
    }

    private static func checkFinite(_ a: Matrix) throws(TensorError) {
        if let (i, j) = a.firstNonFiniteIndex {
            throw .invalidArgument(
                "singular value decomposition of a matrix with a non-finite entry \(a.elements[i * a.cols + j]) at (\(i), \(j))")
        }
    }
}
