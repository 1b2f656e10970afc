/// A host object that knows what a script most likely meant when an operator does not apply to
/// it: `A * M` on a measurement ensemble is the NumPy habit `A @ vec(M)` for the measurements,
/// which the domain library spells `measure(A, M)`. The interpreter asks an operand of a
/// mismatched `+ - * / % ^ @` for the type error's hint (the left one first); the language core
/// itself knows no such meaning.
package protocol OperatorHinting: ScriptObject {
    /// The hint for `a op b`, where `self` is `a` or `b` (`op` the operator's token, `"*"`,
    /// `"@"`, …), or nil for none.
    func operatorHint(_ op: String, _ a: Value, _ b: Value) -> String?
}

/// The hint the first ``OperatorHinting`` object among `a` and `b` gives for `a op b`, or nil.
func operatorHint(_ op: String, _ a: Value, _ b: Value) -> String? {
    for value in [a, b] {
        if case .object(let object) = value, let hinting = object as? any OperatorHinting {
            return hinting.operatorHint(op, a, b)
        }
    }
    return nil
}
