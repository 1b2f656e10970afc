import Tensor

/// Sums, differences, products and scalings. In every pullback `Ȳ` is the adjoint of the result
/// `Y`, and `Ā`, `B̄`, `s̄` the contributions to the adjoints of the operands.
extension Tape {
    /// `Y = A + B` (same shape); `Ā = Ȳ`, `B̄ = Ȳ`.
    public func add(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        if let v = try deferredBinary(a, b, "elementwise sum", .sum, replay: { t throws(AutodiffError) in try t.add(a, b) }) { return v }
        let (x, y) = try sameShape(a, b, "elementwise sum")
        return record(x.zipped(y, +), inputs: [a, b]) { g, _ in [g, g] }
    }

    /// `Y = A − B` (same shape); `Ā = Ȳ`, `B̄ = −Ȳ`.
    public func subtract(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        if let v = try deferredBinary(a, b, "elementwise difference", .difference,
                                      replay: { t throws(AutodiffError) in try t.subtract(a, b) }) { return v }
        let (x, y) = try sameShape(a, b, "elementwise difference")
        return record(x.zipped(y, -), inputs: [a, b]) { g, needed in
            [g, needed[1] ? g.mapped { -$0 } : nil]
        }
    }

    /// `Y = −A`; `Ā = −Ȳ`.
    public func negate(_ a: Variable) throws(AutodiffError) -> Variable {
        try scale(a, by: -1)
    }

    /// `Y = c·A` for a constant `c`; `Ā = c·Ȳ`.
    public func scale(_ a: Variable, by c: Double) throws(AutodiffError) -> Variable {
        if let v = deferredUnary(a, .scale(c),
                                 replay: { t throws(AutodiffError) in try t.scale(a, by: c) }) { return v }
        let x = try value(a)
        return record(x.mapped { c * $0 }, inputs: [a]) { g, _ in [g.mapped { c * $0 }] }
    }

    /// `Y = s·A` for a scalar (`1×1`) variable `s`; `Ā = s·Ȳ`, `s̄ = ⟨Ȳ, A⟩`.
    public func scale(_ a: Variable, by s: Variable) throws(AutodiffError) -> Variable {
        let x = try value(a)
        let factor = try scalar(s)
        return record(x.mapped { factor * $0 }, inputs: [a, s]) { g, needed throws(AutodiffError) in
            [needed[0] ? g.mapped { factor * $0 } : nil,
             needed[1] ? Matrix(column: [try tensor { () throws(TensorError) in try Matrix.inner(g, x) }]) : nil]
        }
    }

    /// `Y = A + c·𝟙` (every element shifted by the constant `c`); `Ā = Ȳ`.
    public func shift(_ a: Variable, by c: Double) throws(AutodiffError) -> Variable {
        if let v = deferredUnary(a, .shift(c),
                                 replay: { t throws(AutodiffError) in try t.shift(a, by: c) }) { return v }
        let x = try value(a)
        return record(x.mapped { $0 + c }, inputs: [a]) { g, _ in [g] }
    }

    /// `Y = s·𝟙`, the `rows×cols` matrix with every element the scalar (`1×1`) `s`;
    /// `s̄ = Σᵢⱼ Ȳᵢⱼ`. Combines a scalar with a matrix in sums, differences and quotients.
    public func broadcast(_ s: Variable, rows: Int, cols: Int) throws(AutodiffError) -> Variable {
        let v = try scalar(s)
        let y = try tensor { () throws(TensorError) in try Matrix(rows: rows, cols: cols, repeating: v) }
        return record(y, inputs: [s]) { g, _ in [Matrix(column: [g.elementSum])] }
    }

    /// The matrix product `Y = A B` (`n×k` times `k×p`, BLAS `dgemm`); `Ā = Ȳ Bᵀ`, `B̄ = Aᵀ Ȳ`.
    public func matmul(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        let x = try value(a)
        let y = try value(b)
        let product = try tensor { () throws(TensorError) in try Matrix.gemm(x, y) }
        return record(product, inputs: [a, b]) { g, needed throws(AutodiffError) in
            try tensor { () throws(TensorError) in
                [needed[0] ? try Matrix.gemm(g, y, transposeB: true) : nil,
                 needed[1] ? try Matrix.gemm(x, g, transposeA: true) : nil]
            }
        }
    }

    /// `Y = Aᵀ`; `Ā = Ȳᵀ`.
    public func transpose(_ a: Variable) throws(AutodiffError) -> Variable {
        let x = try value(a)
        return record(x.transposed, inputs: [a]) { g, _ in [g.transposed] }
    }

    /// The Hadamard product `Y = A ∘ B`, `Yᵢⱼ = Aᵢⱼ Bᵢⱼ` (same shape); `Ā = Ȳ ∘ B`, `B̄ = Ȳ ∘ A`.
    public func hadamard(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        if let v = try deferredBinary(a, b, "elementwise product", .product,
                                      replay: { t throws(AutodiffError) in try t.hadamard(a, b) }) { return v }
        let (x, y) = try sameShape(a, b, "elementwise product")
        return record(x.zipped(y, *), inputs: [a, b]) { g, needed in
            [needed[0] ? g.zipped(y, *) : nil, needed[1] ? g.zipped(x, *) : nil]
        }
    }

    /// The elementwise quotient `Y = A / B` (same shape, IEEE semantics for zeros);
    /// `Ā = Ȳ / B`, `B̄ = −Ȳ ∘ A / B²` (computed as `−Ȳ ∘ Y / B`).
    public func divide(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        if let v = try deferredBinary(a, b, "elementwise quotient", .quotient,
                                      replay: { t throws(AutodiffError) in try t.divide(a, b) }) { return v }
        let (x, y) = try sameShape(a, b, "elementwise quotient")
        let quotient = x.zipped(y, /)
        return record(quotient, inputs: [a, b]) { g, needed in
            [needed[0] ? g.zipped(y, /) : nil,
             needed[1] ? g.zipped(quotient, y) { -$0 * $1 / $2 } : nil]
        }
    }

    /// The values of `a` and `b` after checking that their shapes are equal.
    func sameShape(_ a: Variable, _ b: Variable, _ operation: String) throws(AutodiffError) -> (Matrix, Matrix) {
        let x = try value(a)
        let y = try value(b)
        try checkSameShape(a, b, operation)
        return (x, y)
    }

    /// Throws unless `a` and `b` have one shape (read from the variables, computing nothing).
    func checkSameShape(_ a: Variable, _ b: Variable, _ operation: String) throws(AutodiffError) {
        guard a.rows == b.rows, a.cols == b.cols else {
            throw .shapeMismatch(
                "\(operation): shapes \(shapeText(a.rows, a.cols)) and \(shapeText(b.rows, b.cols)) do not match")
        }
    }
}
