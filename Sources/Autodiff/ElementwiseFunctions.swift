import Tensor

/// Functions applied to every element, `Yᵢⱼ = φ(Aᵢⱼ)`, with pullback `Āᵢⱼ = Ȳᵢⱼ φ'(Aᵢⱼ)`.
///
/// Values follow IEEE arithmetic (the log of a negative number is NaN, of 0 is −∞). Where φ has a
/// kink the derivative is fixed by convention, stated per function (the same as PyTorch's).
extension Tape {
    /// `Yᵢⱼ = |Aᵢⱼ|`; `Āᵢⱼ = Ȳᵢⱼ sign(Aᵢⱼ)` with `sign(0) = 0`.
    public func abs(_ a: Variable) throws(AutodiffError) -> Variable {
        try elementwise(a, .abs)
    }

    /// `Yᵢⱼ = min(max(Aᵢⱼ, lo), hi)` for `lo ≤ hi`; `Āᵢⱼ = Ȳᵢⱼ` where `lo ≤ Aᵢⱼ ≤ hi`, else 0.
    public func clip(_ a: Variable, lower lo: Double, upper hi: Double) throws(AutodiffError) -> Variable {
        guard !lo.isNaN, !hi.isNaN, lo <= hi else {
            throw .invalidArgument("clip needs lower ≤ upper, not lower = \(lo) and upper = \(hi)")
        }
        return try elementwise(a, .clip(lower: lo, upper: hi))
    }

    /// `Yᵢⱼ = max(Aᵢⱼ, c)` for a constant `c`; `Āᵢⱼ = Ȳᵢⱼ` where `Aᵢⱼ ≥ c`, else 0.
    /// (`c = 0` is the ReLU.)
    public func maximum(_ a: Variable, _ c: Double) throws(AutodiffError) -> Variable {
        try elementwise(a, .maximum(c))
    }

    /// `Yᵢⱼ = min(Aᵢⱼ, c)` for a constant `c`; `Āᵢⱼ = Ȳᵢⱼ` where `Aᵢⱼ ≤ c`, else 0.
    public func minimum(_ a: Variable, _ c: Double) throws(AutodiffError) -> Variable {
        try elementwise(a, .minimum(c))
    }

    /// `Yᵢⱼ = sign(Aᵢⱼ)` ∈ {−1, 0, 1} (`sign(0) = 0`, NaN stays NaN); piecewise constant, so
    /// `Ā = 0` everywhere (also at 0, where the derivative does not exist).
    public func sign(_ a: Variable) throws(AutodiffError) -> Variable {
        try elementwise(a, .sign)
    }

    /// `Yᵢⱼ = log Aᵢⱼ` (natural); `Āᵢⱼ = Ȳᵢⱼ / Aᵢⱼ`.
    public func log(_ a: Variable) throws(AutodiffError) -> Variable {
        try elementwise(a, .log)
    }

    /// `Yᵢⱼ = exp Aᵢⱼ`; `Āᵢⱼ = Ȳᵢⱼ Yᵢⱼ`.
    public func exp(_ a: Variable) throws(AutodiffError) -> Variable {
        try elementwise(a, .exp)
    }

    /// `Yᵢⱼ = √Aᵢⱼ`; `Āᵢⱼ = Ȳᵢⱼ / (2 Yᵢⱼ)`.
    public func sqrt(_ a: Variable) throws(AutodiffError) -> Variable {
        try elementwise(a, .sqrt)
    }

    /// `Yᵢⱼ = Aᵢⱼ²`; `Āᵢⱼ = 2 Ȳᵢⱼ Aᵢⱼ`.
    public func square(_ a: Variable) throws(AutodiffError) -> Variable {
        try elementwise(a, .square)
    }

    /// `Yᵢⱼ = Aᵢⱼᵖ` for a constant `p` (`pow`); `Āᵢⱼ = Ȳᵢⱼ p Aᵢⱼᵖ⁻¹`, and `Ā = 0` for `p = 0`.
    /// `p = 2`, the square of every square loss, is ``square(_:)`` (`Aᵢⱼ·Aᵢⱼ`, no `pow` call).
    public func power(_ a: Variable, _ p: Double) throws(AutodiffError) -> Variable {
        guard p.isFinite else {
            throw .invalidArgument("the exponent of power must be a finite number, not \(p)")
        }
        if p == 2 { return try square(a) }
        return try elementwise(a, .power(p))
    }

    /// Records `Y = φ(A)` elementwise (deferred while `A` is a pending measured value,
    /// PendingValues.swift) with pullback `Ā = Ȳ ∘ φ'(A)`.
    private func elementwise(_ a: Variable, _ f: ElementFunction) throws(AutodiffError) -> Variable {
        if let v = deferredUnary(a, f, replay: { t throws(AutodiffError) in try t.elementwise(a, f) }) { return v }
        let x = try value(a)
        let y = x.mapped(f.value)
        return record(y, inputs: [a]) { g, _ in [g.zipped(x, y) { $0 * f.derivative($1, $2) }] }
    }
}
