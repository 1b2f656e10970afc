import Autodiff
import MSenseCore
import Tensor

/// `v[idx]` on a traced value with a list of positions, recorded on the tape as `gather`
/// (docs/autodiff.md): as for plain matrices, a vector gives its elements at those positions (a
/// column stays a column, a row a row) and a matrix its rows; repeats are allowed, negative
/// positions count from the end. The adjoint adds every picked element's adjoint back at its
/// position. This is how a mini-batch loss reads the residuals of its batch (`r[batch]`).
extension TracedValue: SubscriptableObject {
    func subscripted(_ items: [IndexArgument], _ site: Site) throws -> Value? {
        guard items.count == 1, case .single(.list(let selector)) = items[0], !isNumber else { return nil }
        let (rows, cols) = (variable.rows, variable.cols)
        let isRow = rows == 1 && cols > 1
        let positions = try ExtendedIndexing.positions(selector, count: isRow ? cols : rows,
                                                       of: isRow || cols == 1 ? "vector" : "matrix row", site)
        let picked: Variable
        do {
            picked = try Self.gathered(session.tape, variable, positions, row: isRow)
        } catch {
            throw RuntimeFailure(error.message, hint: error.hint, at: site)
        }
        return session.traced(picked, isNumber: false)
    }

    /// The positions of `v` as a gather of rows (of `vᵀ` for a row vector).
    private static func gathered(_ tape: Tape, _ v: Variable, _ positions: [Int], row: Bool) throws(AutodiffError) -> Variable {
        guard row else { return try tape.gather(v, rows: positions) }
        return try tape.transpose(try tape.gather(try tape.transpose(v), rows: positions))
    }
}
