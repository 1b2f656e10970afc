import Tensor

/// The hint for `a @ b` whose shapes do not agree (`a.cols ≠ b.rows`), written for the habits
/// NumPy brings: `y @ y` of two vectors is NumPy's inner product, and `F @ G` where `F @ G.T`
/// was meant. Suggests the transpose that makes the shapes agree, or nil when none does.
enum ProductShapeHint {
    static func hint(_ a: Matrix, _ b: Matrix) -> String? {
        if a.cols == 1, b.cols == 1, a.rows == b.rows {
            return "both are \(a.rows)×1 columns: x' @ y is their inner product as a 1×1 matrix, inner(x, y) as a number (NumPy's x @ y)"
        }
        if a.cols == b.cols {
            return "a @ b' multiplies by the transpose of the right operand (' transposes, NumPy's b.T); \(shape(a)) @ \(shape(b, transposed: true)) agree"
        }
        if a.rows == b.rows {
            return "a' @ b multiplies the transpose of the left operand (' transposes, NumPy's a.T); \(shape(a, transposed: true)) @ \(shape(b)) agree"
        }
        return nil
    }

    private static func shape(_ m: Matrix, transposed: Bool = false) -> String {
        transposed ? "\(m.cols)×\(m.rows)" : "\(m.rows)×\(m.cols)"
    }
}
