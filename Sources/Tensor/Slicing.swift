/// Rows, columns and rectangular blocks copied out of a matrix, with every range checked.
extension Matrix {
    /// Row `i` (0-based) as a `1×cols` matrix.
    public func row(_ i: Int) throws(TensorError) -> Matrix {
        guard i >= 0, i < rows else {
            throw .indexOutOfRange("row \(i) is outside a \(rows)×\(cols) matrix")
        }
        return Matrix(uncheckedRows: 1, cols: cols, elements: Array(rowElements(i)))
    }

    /// The elements of row `i`, for a caller that already knows `0 ≤ i < rows` (iterating over
    /// `0..<rows`); ``row(_:)`` checks `i`.
    public func rowElements(_ i: Int) -> ArraySlice<Double> {
        elements[(i * cols)..<((i + 1) * cols)]
    }

    /// The symmetric part `(A + Aᵀ)/2` of a square matrix, its diagonal kept exactly. Of a
    /// non-square matrix only the leading square block is symmetrised (callers check the shape).
    public var symmetrized: Matrix {
        var out = self
        let n = Swift.min(rows, cols)
        for i in 0..<n {
            for j in (i + 1)..<Swift.max(n, i + 1) {
                let s = (self[i, j] + self[j, i]) / 2
                out[i, j] = s
                out[j, i] = s
            }
        }
        return out
    }

    /// Column `j` (0-based) as a `rows×1` column vector.
    public func column(_ j: Int) throws(TensorError) -> Matrix {
        guard j >= 0, j < cols else {
            throw .indexOutOfRange("column \(j) is outside a \(rows)×\(cols) matrix")
        }
        return Matrix(column: (0..<rows).map { elements[$0 * cols + j] })
    }

    /// The block of rows `rowRange` and columns `colRange` (half-open, 0-based); empty ranges
    /// give an empty matrix.
    public func submatrix(rows rowRange: Range<Int>, cols colRange: Range<Int>) throws(TensorError) -> Matrix {
        guard rowRange.lowerBound >= 0, rowRange.upperBound <= rows,
              colRange.lowerBound >= 0, colRange.upperBound <= cols
        else {
            throw .indexOutOfRange(
                "rows \(rowRange.lowerBound)..<\(rowRange.upperBound), columns \(colRange.lowerBound)..<\(colRange.upperBound) are outside a \(rows)×\(cols) matrix")
        }
        var out = [Double]()
        out.reserveCapacity(rowRange.count * colRange.count)
        for i in rowRange {
            out.append(contentsOf: elements[(i * cols + colRange.lowerBound)..<(i * cols + colRange.upperBound)])
        }
        return Matrix(uncheckedRows: rowRange.count, cols: colRange.count, elements: out)
    }
}
