import CBLAS

/// The Cholesky factorisation A = L Lᵀ of a symmetric positive-definite matrix, by LAPACK `dpotrf`.
///
/// `l` is lower triangular with a positive diagonal (zeros above it).
public struct Cholesky: Sendable {
    /// The lower-triangular factor L.
    public let l: Matrix

    /// Factorises `a`.
    ///
    /// `a` must be square, finite and symmetric to within |Aᵢⱼ − Aⱼᵢ| ≤ 10⁻¹² · maxᵢⱼ |Aᵢⱼ|
    /// (only its lower triangle is then used).
    ///
    /// - Throws: ``TensorError/invalidArgument(_:)`` naming the reason when `a` is not square,
    ///   not finite, not symmetric, or not positive definite.
    public init(_ a: Matrix) throws(TensorError) {
        guard a.isSquare else {
            throw .invalidArgument("Cholesky factorisation needs a square matrix, not \(a.rows)×\(a.cols)")
        }
        guard a.allFinite else {
            throw .invalidArgument("Cholesky factorisation of a matrix with NaN or infinite entries")
        }
        let scale = a.elements.reduce(0) { max($0, abs($1)) }
        guard a.isSymmetric(tolerance: 1e-12 * scale) else {
            throw .invalidArgument("Cholesky factorisation needs a symmetric matrix")
        }
        let n = a.rows
        try AvailableMemory.requireWorkspace(doubles: AvailableMemory.doubles((2 * n, n)), operations: RunBudget.operations(n, n, n), for: "Cholesky factorisation of a \(n)×\(n) matrix")
        var work = a.elements
        if n > 0 {
            let info = work.withUnsafeMutableBufferPointer { pa in
                LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 76 /* L */, Int32(n), pa.baseAddress, Int32(n))
            }
            if info > 0 {
                throw .invalidArgument(
                    "Cholesky factorisation: the matrix is not positive definite (its leading \(info)×\(info) minor is not positive)")
            }
            guard info == 0 else { throw .lapackFailure(routine: "dpotrf", info: Int(info)) }
        }
        for i in 0..<n {
            for j in (i + 1)..<n { work[i * n + j] = 0 }
        }
        l = Matrix(uncheckedRows: n, cols: n, elements: work)
    }
}
