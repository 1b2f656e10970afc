import Autodiff
import MSenseCore
import Sensing

/// An optimizer as a value (`type(o) == "optimizer"`), made by `descent`, `momentum`,
/// `nesterov`, `adam`, `rmsprop`, `polyak`, `custom_rule` and `alternating`, and passed to
/// `minimize(…, optimizer: o)` (docs/optimizers.md). It holds the recipe, never a run's state:
/// one value can drive many runs, each starting from step 0 (or from its checkpoint).
///
/// Fields: `name` (`"adam"`, …, or the custom rule's name), `alternating` (bool),
/// `hyperparameters` (a record: `lr` and the rule's own, named as the builtin's parameters),
/// `weight_decay`, `clip` (nil: none).
final class OptimizerObject: TabledScriptObject, @unchecked Sendable {
    // Safety: made and read on the interpreter thread; a schedule or rule function it holds is
    // called there only.
    /// What turns gradients into a step.
    enum Rule {
        /// A built-in ``UpdateRule`` with weight decay `λ` and clipping norm `c` (∞: none); `lr`
        /// a schedule giving `η_t` (nil: the rule's constant `η`).
        case builtin(UpdateRule, lr: Schedule?, weightDecay: Double, clip: Double)
        /// A rule written in the language: `initial(params) → state`, `step(params, grads,
        /// state, t) → {params, state, step_size?}`.
        case custom(name: String, initial: Value, step: Value)
    }

    let rule: Rule
    /// Factor by factor (the objective's gradient recomputed after each factor's update).
    let alternating: Bool
    /// How the value prints, e.g. `adam(lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-08)`.
    let text: String

    init(_ rule: Rule, alternating: Bool = false, text: String) {
        self.rule = rule
        self.alternating = alternating
        self.text = text
    }

    /// The rule's name as checkpoints and messages give it.
    var name: String {
        switch rule {
        case let .builtin(update, _, _, _): update.builtinName
        case let .custom(name, _, _): name
        }
    }

    /// Whether the rule reads each step's loss, not only its gradients: Polyak's step
    /// `(f − f*)/‖G‖²`. The Gram route only estimates an unrecorded step's loss, so such a rule
    /// takes the rows pass.
    var readsLoss: Bool {
        if case .builtin(.polyak, _, _, _) = rule { return true }
        return false
    }

    var typeName: String { "optimizer" }

    static let fields = FieldTable<OptimizerObject>([
        "name": { .string($0.name) },
        "alternating": { .bool($0.alternating) },
        "hyperparameters": { object in
            guard case let .builtin(update, _, _, _) = object.rule else { return .record(ScriptRecord(names: [], values: [])) }
            let pairs = update.hyperparameters.map { (OptimizerObject.spelling[$0.name] ?? $0.name, Value.number($0.value)) }
            return .record(ScriptRecord(names: pairs.map(\.0), values: pairs.map(\.1)))
        },
        "weight_decay": { object in
            if case let .builtin(_, _, lambda, _) = object.rule { return .number(lambda) }
            return .number(0)
        },
        "clip": { object in
            if case let .builtin(_, _, _, c) = object.rule, c.isFinite { return .number(c) }
            return .nil
        },
    ])

    func describe() -> String { alternating ? "alternating(\(text))" : text }

    /// A hyperparameter's name as the builtin's parameter spells it (``UpdateRule`` names it in full).
    static let spelling = ["learning_rate": "lr", "epsilon": "eps", "optimal_value": "f_star"]
}
