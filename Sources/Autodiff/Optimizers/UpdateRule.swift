/// How a ``GradientOptimizer`` turns a gradient into a step. For each parameter matrix `X` with
/// (clipped, weight-decayed) gradient `G`, at step `t = 1, 2, …`, and every buffer starting at 0:
///
/// | case | update | defaults |
/// | --- | --- | --- |
/// | `gd` | `X ← X − η G` | — |
/// | `momentum` (heavy ball) | `V ← β V − η G`, `X ← X + V` | `β = 0.9` |
/// | `nesterov` | `B ← β B + G`, `X ← X − η (G + β B)` | `β = 0.9` |
/// | `adam` | `M ← β₁M + (1−β₁)G`, `V ← β₂V + (1−β₂)G∘G`, `X ← X − η M̂ / (√V̂ + ε)`, `M̂ = M/(1−β₁ᵗ)`, `V̂ = V/(1−β₂ᵗ)` | `η = 10⁻³, β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸` |
/// | `rmsprop` | `V ← αV + (1−α)G∘G`, `X ← X − η G / (√V + ε)` | `η = 10⁻², α = 0.99, ε = 10⁻⁸` |
/// | `polyak` | `X ← X − η_t G`, `η_t = min(η_max, max(0, f(X) − f*) / ‖G‖²)` (0 when `‖G‖ = 0`) | `f* = 0, η_max = ∞` |
///
/// `‖G‖² = Σ_p ‖G_p‖²_F` over all parameters; squares and roots in Adam and RMSprop are
/// elementwise. docs/optimizers.md states the same rules.
public enum UpdateRule: Sendable, Equatable {
    case gd(learningRate: Double)
    case momentum(learningRate: Double, beta: Double = 0.9)
    case nesterov(learningRate: Double, beta: Double = 0.9)
    case adam(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)
    case rmsprop(learningRate: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8)
    case polyak(optimalValue: Double = 0, maxStep: Double = .infinity)

    /// The rule's key in saved state and messages, e.g. `"adam"`.
    public var name: String {
        switch self {
        case .gd: "gd"
        case .momentum: "momentum"
        case .nesterov: "nesterov"
        case .adam: "adam"
        case .rmsprop: "rmsprop"
        case .polyak: "polyak"
        }
    }

    /// The rule's name as the language's optimizer builtins spell it (`descent` for ``gd(learningRate:)``),
    /// for messages a script's user reads.
    public var builtinName: String {
        if case .gd = self { return "descent" }
        return name
    }

    /// The hyperparameters by name, in the order the table above lists them.
    public var hyperparameters: [(name: String, value: Double)] {
        switch self {
        case let .gd(eta): [("learning_rate", eta)]
        case let .momentum(eta, beta), let .nesterov(eta, beta): [("learning_rate", eta), ("beta", beta)]
        case let .adam(eta, beta1, beta2, epsilon):
            [("learning_rate", eta), ("beta1", beta1), ("beta2", beta2), ("epsilon", epsilon)]
        case let .rmsprop(eta, alpha, epsilon): [("learning_rate", eta), ("alpha", alpha), ("epsilon", epsilon)]
        case let .polyak(fStar, maxStep): [("optimal_value", fStar), ("max_step", maxStep)]
        }
    }

    /// The names of the per-parameter buffers the rule keeps (`V`, `B`, `M`, …).
    var bufferNames: [String] {
        switch self {
        case .gd, .polyak: []
        case .momentum: ["velocity"]
        case .nesterov: ["buffer"]
        case .adam: ["m", "v"]
        case .rmsprop: ["v"]
        }
    }

    /// The first hyperparameter outside its domain (`η > 0`, `β, β₁, β₂, α ∈ [0, 1)`, `ε > 0`, all
    /// finite; `f*` finite; `η_max > 0`, may be ∞): its name, value and domain in words; nil when
    /// every one is in range.
    public var hyperparameterOutOfRange: (name: String, value: Double, domain: String)? {
        for (name, value) in hyperparameters {
            let valid: Bool = switch name {
            case "learning_rate", "epsilon": value.isFinite && value > 0
            case "beta", "beta1", "beta2", "alpha": value >= 0 && value < 1
            case "optimal_value": value.isFinite
            default: value > 0  // max_step
            }
            if !valid { return (name, value, Self.domains[name] ?? "see docs/optimizers.md") }
        }
        return nil
    }

    /// Throws unless every hyperparameter is in its domain (``hyperparameterOutOfRange``).
    func validate() throws(AutodiffError) {
        if let bad = hyperparameterOutOfRange {
            throw .invalidArgument("\(name): \(bad.name) = \(bad.value) is out of range (\(bad.domain))")
        }
    }

    private static let domains = [
        "learning_rate": "a finite number > 0", "epsilon": "a finite number > 0",
        "beta": "a number in [0, 1)", "beta1": "a number in [0, 1)", "beta2": "a number in [0, 1)",
        "alpha": "a number in [0, 1)", "optimal_value": "a finite number", "max_step": "a number > 0, or ∞",
    ]
}
