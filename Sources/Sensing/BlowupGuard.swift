import Tensor

/// The blow-up guard of a run (built-in `gd` and model runs, and `minimize`): a run whose loss
/// grows far beyond any sensible value fails with an error naming the step, instead of running
/// on to its budget.
///
/// With `c > 1` the multiple (`blowup:`, default `10⁶`), the reference is
/// `f_ref = max(f(X₀), f(0))`: the larger of the loss at step 0 and the loss at the origin (of
/// `M = 0` for a sensing problem, `Σᵢ yᵢ² / (c_f·m)` with the loss's denominator `c_f`: 4 for
/// `UUᵀ`, 2 for the other models; of every parameter 0 for a function given to `minimize`, left
/// out when it is not a finite number), so that a run started at a good point is not stopped by
/// a small rise. The run fails at the first evaluated step `t` with `f(X_t) > c · f_ref`. When
/// `f_ref = 0` (no data and `M₀ = 0`) there is nothing to compare with and the guard is off.
public struct BlowupGuard: Sendable {
    /// `c`.
    public let multiple: Double
    /// `f_ref`.
    public let reference: Double

    /// The guard for a run whose step-0 loss is `start` and whose loss at the origin is `zero`
    /// (nil or non-finite: left out), or `nil` when no multiple is set or the reference is 0.
    public init?(multiple: Double?, start: Double, zero: Double?) {
        let origin = zero.flatMap { $0.isFinite ? $0 : nil } ?? start
        self.init(multiple: multiple, reference: max(start, origin))
    }

    /// The guard with a known reference (a resumed run's), or `nil` when no multiple is set or
    /// the reference is not a positive number.
    public init?(multiple: Double?, reference: Double) {
        guard let multiple, reference > 0, reference.isFinite else { return nil }
        self.multiple = multiple
        self.reference = reference
    }

    /// `c · f_ref`.
    public var limit: Double { multiple * reference }

    /// Throws ``SensingError/blewUp(step:loss:multiple:reference:)`` when `loss > c · f_ref`.
    public func check(step: Int, loss: Double) throws(SensingError) {
        if loss > limit { throw .blewUp(step: step, loss: loss, multiple: multiple, reference: reference) }
    }

    /// Throws unless `multiple` is `nil` or a finite number `> 1`.
    public static func validate(_ multiple: Double?) throws(SensingError) {
        if let multiple, !(multiple.isFinite && multiple > 1) {
            throw .invalidArgument("blowup must be a number > 1 (a multiple of max(f(X₀), f(0))) or nil, not \(NumberText.display(multiple))")
        }
    }

    /// The loss of `M = 0` on measurements `y`: `Σᵢ yᵢ² / (denominator · m)`.
    public static func lossAtZero(_ y: [Double], denominator: Double) -> Double {
        y.reduce(0) { $0 + $1 * $1 } / (denominator * Double(y.count))
    }
}
