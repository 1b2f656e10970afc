import Tensor

/// Operations that move elements without changing them: reshapes and blocks.
extension Tape {
    /// `Y` = the elements of `A` in row-major order laid out as `rows×cols` (NumPy's `reshape`),
    /// which needs `rows·cols` = the element count of `A`; `Ā` = `Ȳ` laid out in `A`'s shape.
    public func reshape(_ a: Variable, rows: Int, cols: Int) throws(AutodiffError) -> Variable {
        let x = try value(a)
        let (n, overflow) = rows.multipliedReportingOverflow(by: cols)
        guard rows >= 0, cols >= 0, !overflow, n == x.count else {
            throw .shapeMismatch(
                "reshape: a \(shapeText(x.rows, x.cols)) matrix has \(x.count) elements and cannot be laid out as \(shapeText(rows, cols))")
        }
        let y = Matrix(uncheckedRows: rows, cols: cols, elements: x.elements)
        return record(y, inputs: [a]) { g, _ in
            [Matrix(uncheckedRows: x.rows, cols: x.cols, elements: g.elements)]
        }
    }

    /// `vec(A)`, the columns of `A` stacked into one `(rows·cols)×1` column (the mathematical
    /// `vec`, column-major: `vec(A)[j·rows + i] = Aᵢⱼ`); `Ā = unvec(Ȳ)`, the inverse layout.
    public func vec(_ a: Variable) throws(AutodiffError) -> Variable {
        let x = try value(a)
        let y = Matrix(uncheckedRows: x.count, cols: 1, elements: x.transposed.elements)
        return record(y, inputs: [a]) { g, _ in
            [Matrix(uncheckedRows: x.cols, cols: x.rows, elements: g.elements).transposed]
        }
    }

    /// The block `Y = A[rowRange, colRange]` (half-open, 0-based ranges inside `A`);
    /// `Ā` = zeros of `A`'s shape with `Ȳ` placed in the block.
    public func slice(_ a: Variable, rows rowRange: Range<Int>, cols colRange: Range<Int>) throws(AutodiffError) -> Variable {
        let x = try value(a)
        let y = try tensor { () throws(TensorError) in try x.submatrix(rows: rowRange, cols: colRange) }
        return record(y, inputs: [a]) { g, _ in
            var out = Matrix.filled(rows: x.rows, cols: x.cols, with: 0)
            for (bi, i) in rowRange.enumerated() {
                for (bj, j) in colRange.enumerated() { out[i, j] = g[bi, bj] }
            }
            return [out]
        }
    }
}
