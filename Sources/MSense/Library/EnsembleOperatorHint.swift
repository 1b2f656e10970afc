import MSenseCore

/// `A * M` or `A @ M` on an ensemble: in NumPy the measurements are `A @ M.ravel()` over the stack
/// as an `m×d²` matrix; here they are `measure(A, M)` (or `A.measure(M)`).
private func ensembleHint(_ op: String, _ a: Value, _ b: Value) -> String? {
    guard op == "*" || op == "@", a.kind == .matrix || b.kind == .matrix else { return nil }
    return "the measurements ⟨Aᵢ, M⟩ are measure(A, M) (or A.measure(M)), an m×1 matrix"
}

extension EnsembleObject: OperatorHinting {
    func operatorHint(_ op: String, _ a: Value, _ b: Value) -> String? { ensembleHint(op, a, b) }
}

extension MatrixEnsembleObject: OperatorHinting {
    func operatorHint(_ op: String, _ a: Value, _ b: Value) -> String? { ensembleHint(op, a, b) }
}
