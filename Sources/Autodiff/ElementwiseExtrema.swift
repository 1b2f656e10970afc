import Tensor

/// The elementwise extremes of two matrices of one shape, `max(Aᵢⱼ, Bᵢⱼ)` and `min(Aᵢⱼ, Bᵢⱼ)`:
/// the gradient goes to the operand that is selected, and is split evenly where the two are equal
/// (PyTorch's convention for `maximum`/`minimum`); NaN in either operand gives NaN. Against a constant `c`, `maximum(A, c)` and
/// `minimum(A, c)` pass the whole gradient on their closed range instead.
extension Tape {
    /// `Yᵢⱼ = max(Aᵢⱼ, Bᵢⱼ)`; `Āᵢⱼ = Ȳᵢⱼ` where `Aᵢⱼ > Bᵢⱼ`, `B̄ᵢⱼ = Ȳᵢⱼ` where `Bᵢⱼ > Aᵢⱼ`, and
    /// `Āᵢⱼ = B̄ᵢⱼ = Ȳᵢⱼ/2` where `Aᵢⱼ = Bᵢⱼ`.
    public func maximum(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        try extremum(a, b, "elementwise maximum", .maximum)
    }

    /// `Yᵢⱼ = min(Aᵢⱼ, Bᵢⱼ)`; `Āᵢⱼ = Ȳᵢⱼ` where `Aᵢⱼ < Bᵢⱼ`, `B̄ᵢⱼ = Ȳᵢⱼ` where `Bᵢⱼ < Aᵢⱼ`, and
    /// `Āᵢⱼ = B̄ᵢⱼ = Ȳᵢⱼ/2` where `Aᵢⱼ = Bᵢⱼ`.
    public func minimum(_ a: Variable, _ b: Variable) throws(AutodiffError) -> Variable {
        try extremum(a, b, "elementwise minimum", .minimum)
    }

    /// Records `Y = e(A, B)` elementwise, where `e.shareOfFirst(x, y)` ∈ {0, ½, 1} is the part of
    /// `Ȳᵢⱼ` that goes to `A` at `(Aᵢⱼ, Bᵢⱼ) = (x, y)`; `B` gets the rest.
    private func extremum(_ a: Variable, _ b: Variable, _ operation: String, _ e: Extremum) throws(AutodiffError) -> Variable {
        if let v = try deferredBinary(a, b, operation, .extremum(e), replay: { t throws(AutodiffError) in
            try t.extremum(a, b, operation, e)
        }) { return v }
        let (x, y) = try sameShape(a, b, operation)
        return record(x.zipped(y, e.value), inputs: [a, b]) { g, needed in
            [needed[0] ? g.zipped(x, y) { $0 * e.shareOfFirst($1, $2) } : nil,
             needed[1] ? g.zipped(x, y) { $0 * (1 - e.shareOfFirst($1, $2)) } : nil]
        }
    }
}
