/// The blow-up guard of a run: a run whose loss grows far beyond any sensible value fails with
/// an error naming the step, instead of running on to its budget.
///
/// With `c` the multiple (`RunOptions.blowup`, `ModelRunOptions.blowup`; the `gd` builtin's
/// default is `10⁶`), the reference is `f_ref = max(f(X₀), f(0))`: the larger of the loss at
/// step 0 and the loss of `M = 0` (`Σᵢ yᵢ² / (4m)` for `UUᵀ`, `Σᵢ yᵢ² / (2m)` for the other
/// models). The run fails at the first evaluated step `t` with `f(X_t) > c · f_ref`. When
/// `f_ref = 0` (no data and `M₀ = 0`) there is nothing to compare with and the guard is off.
struct BlowupGuard {
    let multiple: Double
    let reference: Double

    /// The guard for a run whose step-0 loss is `start` and whose loss at `M = 0` is `zero`, or
    /// `nil` when no multiple is set or the reference is 0.
    init?(multiple: Double?, start: Double, zero: Double) {
        guard let multiple else { return nil }
        let reference = max(start, zero)
        guard reference > 0, reference.isFinite else { return nil }
        self.multiple = multiple
        self.reference = reference
    }

    /// `c · f_ref`.
    var limit: Double { multiple * reference }

    /// Throws ``SensingError/blewUp(step:loss:multiple:reference:)`` when `loss > c · f_ref`.
    func check(step: Int, loss: Double) throws(SensingError) {
        if loss > limit { throw .blewUp(step: step, loss: loss, multiple: multiple, reference: reference) }
    }

    /// Throws unless `multiple` is `nil` or a finite number `> 1`.
    static func validate(_ multiple: Double?) throws(SensingError) {
        if let multiple, !(multiple.isFinite && multiple > 1) {
            throw .invalidArgument("blowup must be a number > 1 (a multiple of the starting loss) or nil, not \(multiple)")
        }
    }
}
