import Tensor

/// The bridge from a function recorded on a tape to an optimizer's gradient closure.
extension Tape {
    /// `(f(X₁, …, X_P), [∇_{X₁} f, …, ∇_{X_P} f])` for the scalar `f` that `body` records on a fresh
    /// tape from the variables of `parameters`.
    public static func valueAndGradients(
        at parameters: [Matrix], of body: (Tape, [Variable]) throws(AutodiffError) -> Variable
    ) throws(AutodiffError) -> (value: Double, gradients: [Matrix]) {
        let tape = Tape()
        let inputs = parameters.map { tape.variable($0) }
        let output = try body(tape, inputs)
        let value = try tape.scalar(output)
        return (value, try tape.gradients(of: output, withRespectTo: inputs))
    }
}
