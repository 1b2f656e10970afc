/// The learning rate of an ``UpdateRule``, read and replaced, so that a schedule can give each
/// step its own `η_t` (``GradientOptimizer/update(_:loss:gradients:learningRate:)``).
extension UpdateRule {
    /// `η` of the rules that have one; nil for Polyak, whose step size comes from the loss.
    public var learningRate: Double? {
        switch self {
        case let .gd(eta), let .momentum(eta, _), let .nesterov(eta, _), let .adam(eta, _, _, _), let .rmsprop(eta, _, _): eta
        case .polyak: nil
        }
    }

    /// The same rule with `η` replaced by `eta`, which must be in the rule's domain (a finite
    /// number > 0, as ``GradientOptimizer/init(rule:weightDecay:clipNorm:)`` and scripts require).
    ///
    /// - Throws: ``AutodiffError/invalidArgument(_:)`` for another `eta` (the message
    ///   ``GradientOptimizer`` gives for that rule's `η`), or for Polyak.
    public func withLearningRate(_ eta: Double) throws(AutodiffError) -> UpdateRule {
        let rule: UpdateRule
        switch self {
        case .gd: rule = .gd(learningRate: eta)
        case let .momentum(_, beta): rule = .momentum(learningRate: eta, beta: beta)
        case let .nesterov(_, beta): rule = .nesterov(learningRate: eta, beta: beta)
        case let .adam(_, beta1, beta2, epsilon): rule = .adam(learningRate: eta, beta1: beta1, beta2: beta2, epsilon: epsilon)
        case let .rmsprop(_, alpha, epsilon): rule = .rmsprop(learningRate: eta, alpha: alpha, epsilon: epsilon)
        case .polyak: throw .invalidArgument("polyak has no learning rate: its step size is (f − f*) / ‖G‖²")
        }
        try rule.validate()
        return rule
    }
}
