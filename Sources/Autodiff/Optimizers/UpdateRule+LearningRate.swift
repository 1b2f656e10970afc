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

    /// The same rule with `η` replaced by `eta` (a finite number ≥ 0; a schedule may end at 0).
    ///
    /// - Throws: ``AutodiffError/invalidArgument(_:)`` for another `eta`, or for Polyak.
    public func withLearningRate(_ eta: Double) throws(AutodiffError) -> UpdateRule {
        guard eta.isFinite, eta >= 0 else {
            throw .invalidArgument("\(name): the learning rate of this step is \(eta); a schedule must give finite numbers ≥ 0")
        }
        switch self {
        case .gd: return .gd(learningRate: eta)
        case let .momentum(_, beta): return .momentum(learningRate: eta, beta: beta)
        case let .nesterov(_, beta): return .nesterov(learningRate: eta, beta: beta)
        case let .adam(_, beta1, beta2, epsilon): return .adam(learningRate: eta, beta1: beta1, beta2: beta2, epsilon: epsilon)
        case let .rmsprop(_, alpha, epsilon): return .rmsprop(learningRate: eta, alpha: alpha, epsilon: epsilon)
        case .polyak: throw .invalidArgument("polyak has no learning rate: its step size is (f − f*) / ‖G‖²")
        }
    }
}
