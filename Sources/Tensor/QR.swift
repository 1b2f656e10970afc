import CBLAS

/// The thin QR factorisation `A = Q R` of an `m×n` matrix, by LAPACK's `dgeqrf` and `dorgqr`.
///
/// With k = min(m, n), `q` is `m×k` with orthonormal columns and `r` is `k×n` upper triangular.
/// The signs are LAPACK's (the diagonal of `r` may be negative).
public struct QR: Sendable {
    /// `m×k` factor with orthonormal columns.
    public let q: Matrix
    /// `k×n` upper-triangular factor.
    public let r: Matrix

    /// Factorises `a`. Throws on non-finite entries or if LAPACK reports failure.
    public init(_ a: Matrix) throws(TensorError) {
        let m = a.rows, n = a.cols, k = min(m, n)
        let (work, tau, rElems) = try Self.reflectors(a, formingQ: true)
        // Keep the first k columns (the reflectors) and form Q from them.
        var qElems = [Double](repeating: 0, count: m * k)
        for i in 0..<m {
            for j in 0..<k { qElems[i * k + j] = work[i * n + j] }
        }
        if k > 0 {
            let info = qElems.withUnsafeMutableBufferPointer { pq in
                tau.withUnsafeBufferPointer { pt in
                    LAPACKE_dorgqr(LAPACK_ROW_MAJOR, Int32(m), Int32(k), Int32(k), pq.baseAddress, Int32(k), pt.baseAddress)
                }
            }
            guard info == 0 else { throw .lapackFailure(routine: "dorgqr", info: Int(info)) }
        }
        q = Matrix(uncheckedRows: m, cols: k, elements: qElems)
        r = Matrix(uncheckedRows: k, cols: n, elements: rElems)
    }

    /// The `k×n` factor `R` of `a = QR` alone, without forming `Q` (the same `R` as
    /// `QR(a).r`): for what depends on `R` only, such as the singular values of `a`.
    public static func upperTriangular(_ a: Matrix) throws(TensorError) -> Matrix {
        let (_, _, rElems) = try reflectors(a, formingQ: false)
        return Matrix(uncheckedRows: min(a.rows, a.cols), cols: a.cols, elements: rElems)
    }

    /// LAPACK's `dgeqrf` of `a`: the factored rows (reflectors below the diagonal), the reflectors'
    /// scales τ, and `R`'s `k×n` entries.
    private static func reflectors(_ a: Matrix, formingQ: Bool) throws(TensorError) -> (work: [Double], tau: [Double], r: [Double]) {
        guard a.elements.allSatisfy(\.isFinite) else {
            throw .invalidArgument("QR factorisation of a matrix with NaN or infinite entries")
        }
        let m = a.rows, n = a.cols, k = min(m, n)
        // A's copy twice (LAPACKE's column-major copy), R, Q twice (when formed), and a block workspace.
        try AvailableMemory.requireWorkspace(
            doubles: AvailableMemory.doubles((2 * m, n), (k, n), (formingQ ? 2 * m : 0, k), (64, n)),
            operations: RunBudget.operations(m, n, k), for: "QR factorisation of a \(m)×\(n) matrix")
        var work = a.elements
        var tau = [Double](repeating: 0, count: k)
        if k > 0 {
            let info = work.withUnsafeMutableBufferPointer { pa in
                tau.withUnsafeMutableBufferPointer { pt in
                    LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), pa.baseAddress, Int32(n), pt.baseAddress)
                }
            }
            guard info == 0 else { throw .lapackFailure(routine: "dgeqrf", info: Int(info)) }
        }
        var rElems = [Double](repeating: 0, count: k * n)
        for i in 0..<k {
            for j in i..<n { rElems[i * n + j] = work[i * n + j] }
        }
        return (work, tau, rElems)
    }
}
