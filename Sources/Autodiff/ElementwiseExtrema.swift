import Tensor

/// The elementwise extremes of two matrices of one shape, `max(Aᵢⱼ, Bᵢⱼ)` and `min(Aᵢⱼ, Bᵢⱼ)`:
/// the gradient goes to the operand that is selected, and is split evenly where the two are equal
/// (PyTorch's convention for `maximum`/`minimum`); NaN in either operand gives NaN. Against a constant `c`, `maximum(A, c)` and
/// `minimum(A, c)` pass the whole gradient on their closed range instead.
extension Tape {
    /// `Yᵢⱼ = max(Aᵢⱼ, Bᵢⱼ)`; `Āᵢⱼ = Ȳᵢⱼ` where `Aᵢⱼ > Bᵢⱼ`, `B̄ᵢⱼ = Ȳᵢⱼ` where `Bᵢⱼ > Aᵢⱼ`, and
    /// `Āᵢⱼ = B̄ᵢⱼ = Ȳᵢⱼ/2` where `Aᵢⱼ = Bᵢⱼ`.
    public func maximum(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        try extremum(a, b, "elementwise maximum", { x, y in x.isNaN || y.isNaN ? .nan : (x >= y ? x : y) }) { x, y in x > y ? 1 : (x < y ? 0 : 0.5) }
    }

    /// `Yᵢⱼ = min(Aᵢⱼ, Bᵢⱼ)`; `Āᵢⱼ = Ȳᵢⱼ` where `Aᵢⱼ < Bᵢⱼ`, `B̄ᵢⱼ = Ȳᵢⱼ` where `Bᵢⱼ < Aᵢⱼ`, and
    /// `Āᵢⱼ = B̄ᵢⱼ = Ȳᵢⱼ/2` where `Aᵢⱼ = Bᵢⱼ`.
    public func minimum(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        try extremum(a, b, "elementwise minimum", { x, y in x.isNaN || y.isNaN ? .nan : (x <= y ? x : y) }) { x, y in x < y ? 1 : (x > y ? 0 : 0.5) }
    }

    /// Records `Y = pick(A, B)` elementwise, where `shareOfA(x, y)` ∈ {0, ½, 1} is the part of
    /// `Ȳᵢⱼ` that goes to `A` at `(Aᵢⱼ, Bᵢⱼ) = (x, y)`; `B` gets the rest.
    private func extremum(
        _ a: Variable, _ b: Variable, _ operation: String, _ pick: @escaping (Double, Double) -> Double,
        shareOfA: @escaping (_ x: Double, _ y: Double) -> Double
    ) throws(AutodiffError) -> Variable {
        let combination = ElementCombination(value: pick, partials: { x, y, _ in
            let share = shareOfA(x, y)
            return (share, 1 - share)
        })
        if let v = try deferredBinary(a, b, operation, combination, replay: { t throws(AutodiffError) in
            try t.extremum(a, b, operation, pick, shareOfA: shareOfA)
        }) { return v }
        let (x, y) = try sameShape(a, b, operation)
        return record(x.zipped(y, pick), inputs: [a, b]) { g, needed in
            [needed[0] ? g.zipped(x, y) { $0 * shareOfA($1, $2) } : nil,
             needed[1] ? g.zipped(x, y) { $0 * (1 - shareOfA($1, $2)) } : nil]
        }
    }
}
