/// Questions about a matrix's values that guard numerical routines: symmetry and finiteness.
extension Matrix {
    /// True when the matrix is square and |Aᵢⱼ − Aⱼᵢ| ≤ `tolerance` for every pair (i, j).
    /// A NaN entry off the diagonal makes it false.
    public func isSymmetric(tolerance: Double = 0) -> Bool {
        guard isSquare else { return false }
        for i in 0..<rows {
            for j in (i + 1)..<cols {
                if !(abs(elements[i * cols + j] - elements[j * cols + i]) <= tolerance) { return false }
            }
        }
        return true
    }

    /// True when no element is NaN or ±∞.
    public var allFinite: Bool { elements.allSatisfy(\.isFinite) }

    /// The (row, column) of the first NaN or ±∞ element in row-major order, or nil if all are finite.
    public var firstNonFiniteIndex: (row: Int, col: Int)? {
        guard let k = elements.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (k / cols, k % cols)
    }
}
