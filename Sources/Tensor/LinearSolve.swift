import CBLAS

/// Solving square linear systems A X = B by LU factorisation with partial pivoting
/// (LAPACK `dgetrf`, `dgecon`, `dgetrs`), and the inverse as the solution of A X = I.
extension Matrix {
    /// X with A X = B, for square non-singular `a` (`n×n`) and any `n×p` right-hand side `b`.
    ///
    /// A matrix is refused as singular when LU meets an exactly zero pivot, or when its
    /// estimated reciprocal condition number in the 1-norm, 1 / (‖A‖₁ ‖A⁻¹‖₁), is below
    /// n · ε (ε = 2⁻⁵²): then no digit of X could be trusted.
    ///
    /// - Throws: ``TensorError`` for a non-square `a`, mismatched row counts, non-finite entries,
    ///   or a singular `a`.
    public static func solve(_ a: Matrix, _ b: Matrix) throws(TensorError) -> Matrix {
        guard a.isSquare else {
            throw .invalidArgument("solve needs a square coefficient matrix, not \(a.rows)×\(a.cols)")
        }
        guard a.rows == b.rows else {
            throw .shapeMismatch(operation: "solve", lhs: a.shape, rhs: b.shape)
        }
        guard a.allFinite, b.allFinite else {
            throw .invalidArgument("solve of a system with NaN or infinite entries")
        }
        let n = a.rows, p = b.cols
        guard n > 0, p > 0 else { return b }
        // A's LU and the right-hand sides, each twice (LAPACKE's column-major copies).
        try AvailableMemory.requireWorkspace(
            doubles: AvailableMemory.doubles((2 * n, n), (2 * n, p)), operations: RunBudget.operations(n, n, n + p), for: "solving a \(n)×\(n) system with \(p) right-hand sides")
        var lu = a.elements
        var x = b.elements
        var pivots = [Int32](repeating: 0, count: n)
        let anorm = lu.withUnsafeBufferPointer {
            LAPACKE_dlange(LAPACK_ROW_MAJOR, 49 /* '1' */, Int32(n), Int32(n), $0.baseAddress, Int32(n))
        }
        let info = lu.withUnsafeMutableBufferPointer { pa in
            pivots.withUnsafeMutableBufferPointer { pp in
                LAPACKE_dgetrf(LAPACK_ROW_MAJOR, Int32(n), Int32(n), pa.baseAddress, Int32(n), pp.baseAddress)
            }
        }
        if info > 0 {
            throw .invalidArgument("the matrix is singular (pivot \(info) of its LU factorisation is exactly zero)")
        }
        guard info == 0 else { throw .lapackFailure(routine: "dgetrf", info: Int(info)) }
        var rcond = 0.0
        let conInfo = lu.withUnsafeBufferPointer { pa in
            LAPACKE_dgecon(LAPACK_ROW_MAJOR, 49 /* '1' */, Int32(n), pa.baseAddress, Int32(n), anorm, &rcond)
        }
        guard conInfo == 0 else { throw .lapackFailure(routine: "dgecon", info: Int(conInfo)) }
        guard rcond >= Double(n) * Double.ulpOfOne else {
            throw .invalidArgument(
                "the matrix is singular to working precision (reciprocal condition number \(rcond))")
        }
        let trsInfo = lu.withUnsafeBufferPointer { pa in
            pivots.withUnsafeBufferPointer { pp in
                x.withUnsafeMutableBufferPointer { px in
                    LAPACKE_dgetrs(
                        LAPACK_ROW_MAJOR, 78 /* N */, Int32(n), Int32(p), pa.baseAddress, Int32(n),
                        pp.baseAddress, px.baseAddress, Int32(p))
                }
            }
        }
        guard trsInfo == 0 else { throw .lapackFailure(routine: "dgetrs", info: Int(trsInfo)) }
        return Matrix(uncheckedRows: n, cols: p, elements: x)
    }

    /// A⁻¹, the X with A X = I, by ``solve(_:_:)`` (same refusals).
    public func inverse() throws(TensorError) -> Matrix {
        guard isSquare else {
            throw .invalidArgument("only a square matrix has an inverse, not \(rows)×\(cols)")
        }
        return try Matrix.solve(self, Matrix.identity(rows))
    }
}
