import Foundation

/// An elementwise function `y = φ(x)` as the tape records it: its value and its derivative
/// `φ'(x)`, given the input `x` and the output `y`. The eager operation and the fused
/// measurement pass evaluate the same two functions. A closed set of cases rather than closures,
/// so the fused pass's loop over a block of elements calls no function and retains nothing.
///
/// Values follow IEEE arithmetic (the log of a negative number is NaN, of 0 is −∞). Where φ has a
/// kink the derivative is fixed by convention (the same as PyTorch's).
enum ElementFunction: Sendable {
    /// `y = x²`, `φ'(x) = 2x`.
    case square
    /// `y = c·x`, `φ'(x) = c`.
    case scale(Double)
    /// `y = x + c`, `φ'(x) = 1`.
    case shift(Double)
    /// `y = |x|`, `φ'(x) = sign(x)` with `sign(0) = 0`.
    case abs
    /// `y = sign(x)` ∈ {−1, 0, 1} (`sign(0) = 0`, NaN stays NaN), `φ' = 0`.
    case sign
    /// `y = min(max(x, lo), hi)` (`lo ≤ hi`), `φ'(x) = 1` on `[lo, hi]`, else 0.
    case clip(lower: Double, upper: Double)
    /// `y = max(x, c)`, `φ'(x) = 1` where `x ≥ c`, else 0.
    case maximum(Double)
    /// `y = min(x, c)`, `φ'(x) = 1` where `x ≤ c`, else 0.
    case minimum(Double)
    /// `y = log x` (natural), `φ'(x) = 1/x`.
    case log
    /// `y = exp x`, `φ'(x) = y`.
    case exp
    /// `y = √x`, `φ'(x) = 1/(2y)`.
    case sqrt
    /// `y = xᵖ` (`pow`), `φ'(x) = p·xᵖ⁻¹`, and 0 for `p = 0`.
    case power(Double)

    /// `φ(x)`.
    @inline(__always)
    func value(_ x: Double) -> Double {
        switch self {
        case .square: x * x
        case .scale(let c): c * x
        case .shift(let c): x + c
        case .abs: Swift.abs(x)
        case .sign: x > 0 ? 1 : (x < 0 ? -1 : x)
        case .clip(let lo, let hi): Swift.min(Swift.max(x, lo), hi)
        case .maximum(let c): Swift.max(x, c)
        case .minimum(let c): Swift.min(x, c)
        case .log: Foundation.log(x)
        case .exp: Foundation.exp(x)
        case .sqrt: x.squareRoot()
        case .power(let p): Foundation.pow(x, p)
        }
    }

    /// `φ'(x)`, given `x` and `y = φ(x)`.
    @inline(__always)
    func derivative(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .square: 2 * x
        case .scale(let c): c
        case .shift: 1
        case .abs: x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .sign: 0
        case .clip(let lo, let hi): x >= lo && x <= hi ? 1 : 0
        case .maximum(let c): x >= c ? 1 : 0
        case .minimum(let c): x <= c ? 1 : 0
        case .log: 1 / x
        case .exp: y
        case .sqrt: 1 / (2 * y)
        case .power(let p): p == 0 ? 0 : p * Foundation.pow(x, p - 1)
        }
    }
}

extension ElementFunction {
    /// `body(self)`, with `self` passed as a value the compiler sees as one fixed case: a loop in
    /// `body` is compiled once per case with that case's formulas inlined, so it switches once
    /// per block of elements instead of once per element.
    @inline(__always)
    func withFixedCase(_ body: (ElementFunction) -> Void) {
        switch self {
        case .square: body(.square)
        case .scale(let c): body(.scale(c))
        case .shift(let c): body(.shift(c))
        case .abs: body(.abs)
        case .sign: body(.sign)
        case .clip(let lo, let hi): body(.clip(lower: lo, upper: hi))
        case .maximum(let c): body(.maximum(c))
        case .minimum(let c): body(.minimum(c))
        case .log: body(.log)
        case .exp: body(.exp)
        case .sqrt: body(.sqrt)
        case .power(let p): body(.power(p))
        }
    }
}

/// An elementwise function of two operands `y = φ(a, b)`: its value and the partial derivatives
/// `(∂y/∂a, ∂y/∂b)` at `(a, b, y)`.
enum ElementCombination: Sendable {
    /// `a + b`: `(1, 1)`.
    case sum
    /// `a − b`: `(1, −1)`.
    case difference
    /// `a·b`: `(b, a)`.
    case product
    /// `a / b`: `(1/b, −y/b)`.
    case quotient
    /// `max(a, b)` or `min(a, b)` (``Extremum``).
    case extremum(Extremum)

    /// `φ(a, b)`.
    @inline(__always)
    func value(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .sum: a + b
        case .difference: a - b
        case .product: a * b
        case .quotient: a / b
        case .extremum(let e): e.value(a, b)
        }
    }

    /// `(∂y/∂a, ∂y/∂b)` at `(a, b)` with `y = φ(a, b)`.
    @inline(__always)
    func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) {
        switch self {
        case .sum: return (1, 1)
        case .difference: return (1, -1)
        case .product: return (b, a)
        case .quotient: return (1 / b, -y / b)
        case .extremum(let e):
            let share = e.shareOfFirst(a, b)
            return (share, 1 - share)
        }
    }
}

extension ElementCombination {
    /// `body(self)`, with `self` passed as one fixed case (``ElementFunction/withFixedCase(_:)``).
    @inline(__always)
    func withFixedCase(_ body: (ElementCombination) -> Void) {
        switch self {
        case .sum: body(.sum)
        case .difference: body(.difference)
        case .product: body(.product)
        case .quotient: body(.quotient)
        case .extremum(.maximum): body(.extremum(.maximum))
        case .extremum(.minimum): body(.extremum(.minimum))
        }
    }
}

/// The elementwise extremes of two operands: the adjoint goes to the operand that is selected
/// and is split evenly where the two are equal (PyTorch's convention); NaN in either gives NaN.
enum Extremum: Sendable {
    /// `max(a, b)`: the share of `a` is 1 where `a > b`, 0 where `a < b`, ½ at ties.
    case maximum
    /// `min(a, b)`: the share of `a` is 1 where `a < b`, 0 where `a > b`, ½ at ties.
    case minimum

    /// `max(a, b)` or `min(a, b)`.
    @inline(__always)
    func value(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .maximum: a.isNaN || b.isNaN ? .nan : (a >= b ? a : b)
        case .minimum: a.isNaN || b.isNaN ? .nan : (a <= b ? a : b)
        }
    }

    /// The part ∈ {0, ½, 1} of the result's adjoint that goes to `a`; `b` gets the rest.
    @inline(__always)
    func shareOfFirst(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .maximum: a > b ? 1 : (a < b ? 0 : 0.5)
        case .minimum: a < b ? 1 : (a > b ? 0 : 0.5)
        }
    }
}
