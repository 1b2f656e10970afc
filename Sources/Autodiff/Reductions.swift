import Tensor

/// Scalar summaries of matrices. Each returns a `1×1` variable `y`; `ȳ` is its adjoint and `𝟙` the
/// matrix of ones of the operand's shape.
extension Tape {
    /// `y = Σᵢⱼ Aᵢⱼ` (0 for an empty matrix); `Ā = ȳ 𝟙`.
    public func sum(_ a: Variable) throws(AutodiffError) -> Variable {
        if let v = try fusedSum(a, divisor: 1, squared: false) { return v }
        let x = try value(a)
        return record(Matrix(column: [x.elementSum]), inputs: [a]) { g, _ in
            [Matrix.filled(rows: x.rows, cols: x.cols, with: g.elements[0])]
        }
    }

    /// `y = (1/n) Σᵢⱼ Aᵢⱼ` with `n = rows·cols ≥ 1`; `Ā = (ȳ/n) 𝟙`.
    public func mean(_ a: Variable) throws(AutodiffError) -> Variable {
        if a.rows * a.cols > 0, let v = try fusedSum(a, divisor: Double(a.rows * a.cols), squared: false) { return v }
        let x = try value(a)
        guard x.count > 0 else {
            throw .invalidArgument("the mean of an empty \(shapeText(x.rows, x.cols)) matrix is undefined")
        }
        let n = Double(x.count)
        return record(Matrix(column: [x.elementSum / n]), inputs: [a]) { g, _ in
            [Matrix.filled(rows: x.rows, cols: x.cols, with: g.elements[0] / n)]
        }
    }

    /// `y = ‖A‖²_F = Σᵢⱼ Aᵢⱼ²` (BLAS `ddot`); `Ā = 2ȳ A`.
    public func squaredNorm(_ a: Variable) throws(AutodiffError) -> Variable {
        if let v = try fusedSum(a, divisor: 1, squared: true) { return v }
        let x = try value(a)
        let y = try tensor { () throws(TensorError) in try Matrix.inner(x, x) }
        return record(Matrix(column: [y]), inputs: [a]) { g, _ in
            let factor = 2 * g.elements[0]
            return [x.mapped { factor * $0 }]
        }
    }

    /// `y = ‖A‖_F = √(Σᵢⱼ Aᵢⱼ²)` (BLAS `dnrm2`); `Ā = ȳ A / y`, and `Ā = 0` at `A = 0` (the
    /// minimum-norm subgradient).
    public func frobeniusNorm(_ a: Variable) throws(AutodiffError) -> Variable {
        let x = try value(a)
        let y = x.frobeniusNorm
        return record(Matrix(column: [y]), inputs: [a]) { g, _ in
            let factor = y > 0 ? g.elements[0] / y : 0
            return [x.mapped { factor * $0 }]
        }
    }

    /// `y = tr A = Σᵢ Aᵢᵢ` for a square `A`; `Ā = ȳ I`.
    public func trace(_ a: Variable) throws(AutodiffError) -> Variable {
        let x = try value(a)
        guard x.isSquare else {
            throw .shapeMismatch("the trace needs a square matrix, not \(shapeText(x.rows, x.cols))")
        }
        let y = x.diagonalElements.reduce(0, +)
        return record(Matrix(column: [y]), inputs: [a]) { g, _ in
            var out = Matrix.filled(rows: x.rows, cols: x.cols, with: 0)
            for i in 0..<x.rows { out[i, i] = g.elements[0] }
            return [out]
        }
    }

    /// The Frobenius inner product `y = ⟨A, B⟩ = Σᵢⱼ Aᵢⱼ Bᵢⱼ` (same shape, BLAS `ddot`);
    /// `Ā = ȳ B`, `B̄ = ȳ A`.
    public func dot(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        let (x, y) = try sameShape(a, b, "inner product")
        let value = try tensor { () throws(TensorError) in try Matrix.inner(x, y) }
        return record(Matrix(column: [value]), inputs: [a, b]) { g, needed in
            let s = g.elements[0]
            return [needed[0] ? y.mapped { s * $0 } : nil, needed[1] ? x.mapped { s * $0 } : nil]
        }
    }
}
