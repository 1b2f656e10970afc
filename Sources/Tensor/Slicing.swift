/// Rows, columns and rectangular blocks copied out of a matrix, with every range checked.
extension Matrix {
    /// Row `i` (0-based) as a `1×cols` matrix.
    public func row(_ i: Int) throws(TensorError) -> Matrix {
        guard i >= 0, i < rows else {
            throw .indexOutOfRange("row \(i) is outside a \(rows)×\(cols) matrix")
        }
        return Matrix(uncheckedRows: 1, cols: cols, elements: Array(elements[(i * cols)..<((i + 1) * cols)]))
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
