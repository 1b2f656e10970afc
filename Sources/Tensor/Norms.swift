import CBLAS

/// Scalar summaries of a matrix: trace, the Frobenius inner product, and the Frobenius and
/// spectral norms.
extension Matrix {
    /// tr(A) = Σᵢ Aᵢᵢ; only square matrices have a trace.
    public func trace() throws(TensorError) -> Double {
        guard isSquare else {
            throw .invalidArgument("the trace needs a square matrix, not \(rows)×\(cols)")
        }
        return diagonalElements.reduce(0, +)
    }

    /// The Frobenius inner product ⟨A, B⟩ = Σᵢⱼ Aᵢⱼ Bᵢⱼ = tr(AᵀB) (BLAS `ddot`).
    public static func inner(_ a: Matrix, _ b: Matrix) throws(TensorError) -> Double {
        guard a.rows == b.rows, a.cols == b.cols else {
            throw .shapeMismatch(operation: "inner product", lhs: a.shape, rhs: b.shape)
        }
        let n = a.count
        guard n > 0 else { return 0 }
        return a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                cblas_ddot(Int32(n), pa.baseAddress, 1, pb.baseAddress, 1)
            }
        }
    }

    /// ‖A‖_F = √(Σᵢⱼ Aᵢⱼ²), computed by BLAS `dnrm2` (scaled, so it neither overflows nor
    /// underflows for representable results). 0 for an empty matrix.
    public var frobeniusNorm: Double {
        let n = count
        guard n > 0 else { return 0 }
        return elements.withUnsafeBufferPointer { cblas_dnrm2(Int32(n), $0.baseAddress, 1) }
    }

    /// `√(Σ_k ‖A_k‖²_F)`, the norm of several matrices taken as one vector (the global gradient
    /// norm of an optimizer, a trace's `grad_norm`): each matrix's squares summed in row-major
    /// order, the matrices' sums added in order. One summation for every caller, so that runs
    /// that record it by different routes agree to the last bit.
    public static func globalNorm(_ matrices: [Matrix]) -> Double {
        matrices.reduce(0) { total, a in total + a.elements.reduce(0) { $0 + $1 * $1 } }.squareRoot()
    }

    /// ‖A‖₂ = σ₁, the largest singular value (LAPACK `dgesdd`, values only). 0 for an empty matrix.
    ///
    /// - Throws: ``TensorError`` for NaN or infinite entries, or if LAPACK fails to converge.
    public func spectralNorm() throws(TensorError) -> Double {
        try SVD.singularValues(of: self).first ?? 0
    }
}
