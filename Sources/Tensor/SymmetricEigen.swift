import CBLAS

/// The eigendecomposition `A = Q Λ Qᵀ` of a real symmetric matrix, by LAPACK's `dsyevd`.
///
/// Eigenvalues are sorted in **descending** order (largest first), which is the order every
/// metric in msense uses; column `k` of `vectors` is the unit eigenvector of `values[k]`.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues, largest first.
    public let values: [Double]
    /// Orthonormal eigenvectors as columns, in the order of `values`.
    public let vectors: Matrix

    /// Decomposes the symmetric matrix `a`. Only its upper triangle is read.
    ///
    /// - Throws: ``TensorError`` if `a` is not square, holds a non-finite value, or LAPACK fails.
    public init(_ a: Matrix, computeVectors: Bool = true) throws(TensorError) {
        guard a.isSquare else {
            throw .invalidArgument("eigendecomposition needs a square matrix, not \(a.rows)×\(a.cols)")
        }
        guard a.elements.allSatisfy(\.isFinite) else {
            throw .invalidArgument("eigendecomposition of a matrix with NaN or infinite entries")
        }
        let n = a.rows
        // A's copy twice (LAPACKE's column-major copy), the reordered vectors, dsyevd's 1 + 6n + 2n² work.
        try AvailableMemory.requireWorkspace(
            doubles: computeVectors ? AvailableMemory.doubles((5 * n, n), (7, n)) : AvailableMemory.doubles((2 * n, n), (3, n)),
            operations: RunBudget.operations(n, n, n), for: "eigendecomposition of a \(n)×\(n) matrix")
        var work = a.elements
        var w = [Double](repeating: 0, count: n)
        if n > 0 {
            let info = work.withUnsafeMutableBufferPointer { pa in
                w.withUnsafeMutableBufferPointer { pw in
                    LAPACKE_dsyevd(
                        LAPACK_ROW_MAJOR, computeVectors ? 86 /* V */ : 78 /* N */,
                        85 /* U */, Int32(n), pa.baseAddress, Int32(n), pw.baseAddress)
                }
            }
            guard info == 0 else { throw .lapackFailure(routine: "dsyevd", info: Int(info)) }
        }
        // LAPACK returns ascending order; reverse values and columns.
        values = w.reversed()
        var q = [Double](repeating: 0, count: n * n)
        if computeVectors {
            for i in 0..<n {
                for k in 0..<n { q[i * n + k] = work[i * n + (n - 1 - k)] }
            }
        }
        vectors = Matrix(uncheckedRows: n, cols: computeVectors ? n : 0, elements: computeVectors ? q : [])
    }
}
