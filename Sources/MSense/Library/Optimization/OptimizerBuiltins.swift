import Autodiff
import MSenseCore
import Sensing

/// The builtins that make optimizer values (docs/optimizers.md has every formula). Plain
/// gradient descent is `descent`, not `gd`: `gd` is the built-in sensing run, and one name for
/// two different things (a run and a rule) would make `gd(…)` mean either.
enum OptimizerBuiltins {
    static let builtins: [Builtin] = [descent, momentum, nesterov, adam, rmsprop, polyak, alternating, customRule]

    /// `weight_decay` and `clip`, shared by every built-in rule.
    private static let regularisation = [
        Parameter("weight_decay", default: .number(0), doc: "λ ≥ 0: G ← G + λX, the gradient of (λ/2)Σ‖X‖²_F added to the loss"),
        Parameter("clip", default: .nil, doc: "c > 0: when √(Σ‖G‖²_F) > c every gradient is scaled by c/√(Σ‖G‖²_F) (before weight decay); nil: never"),
    ]

    private static let lrDoc = "η: a number, a schedule (step_decay, cosine, warmup) or a function of the step t = 0, 1, …"

    static let descent = rule(
        "descent",
        doc: "Plain gradient descent as an optimizer value: X ← X − η_t G. (gd is the built-in sensing run; descent is the rule.)",
        parameters: [Parameter("lr", doc: lrDoc)],
        example: """
            let o = descent(lr: 0.1)
            print(o)  # expect: descent(lr: 0.1)
            print(round(minimize(fn(x) => (x - 3) ^ 2, init: 0, optimizer: o, steps: 100).x, 6))  # expect: 3
            """
    ) { args, lr in .gd(learningRate: lr) }

    static let momentum = rule(
        "momentum",
        doc: "Heavy ball: V ← βV − η_t G, X ← X + V (V = 0 at the start).",
        parameters: [Parameter("lr", doc: lrDoc), Parameter("beta", default: .number(0.9), doc: "β in [0, 1)")],
        example: """
            print(momentum(lr: 0.01, beta: 0.5))  # expect: momentum(lr: 0.01, beta: 0.5)
            """
    ) { args, lr in .momentum(learningRate: lr, beta: try args.number("beta")) }

    static let nesterov = rule(
        "nesterov",
        doc: "Nesterov momentum (PyTorch's nesterov=True): B ← βB + G, X ← X − η_t (G + βB).",
        parameters: [Parameter("lr", doc: lrDoc), Parameter("beta", default: .number(0.9), doc: "β in [0, 1)")],
        example: """
            print(nesterov(lr: 0.01))  # expect: nesterov(lr: 0.01, beta: 0.9)
            """
    ) { args, lr in .nesterov(learningRate: lr, beta: try args.number("beta")) }

    static let adam = rule(
        "adam",
        doc: "Adam: M ← β₁M + (1−β₁)G, V ← β₂V + (1−β₂)G², X ← X − η_t (M/(1−β₁ᵗ)) / (√(V/(1−β₂ᵗ)) + ε), t = 1, 2, … the update count.",
        parameters: [Parameter("lr", default: .number(1e-3), doc: lrDoc), Parameter("beta1", default: .number(0.9), doc: "β₁ in [0, 1)"),
                     Parameter("beta2", default: .number(0.999), doc: "β₂ in [0, 1)"), Parameter("eps", default: .number(1e-8), doc: "ε > 0")],
        example: """
            print(adam(lr: 0.01, weight_decay: 1e-4))  # expect: adam(lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-08, weight_decay: 0.0001)
            """
    ) { args, lr in .adam(learningRate: lr, beta1: try args.number("beta1"), beta2: try args.number("beta2"), epsilon: try args.number("eps")) }

    static let rmsprop = rule(
        "rmsprop",
        doc: "RMSprop: V ← αV + (1−α)G², X ← X − η_t G / (√V + ε).",
        parameters: [Parameter("lr", default: .number(1e-2), doc: lrDoc), Parameter("alpha", default: .number(0.99), doc: "α in [0, 1)"),
                     Parameter("eps", default: .number(1e-8), doc: "ε > 0")],
        example: """
            print(rmsprop(clip: 10))  # expect: rmsprop(lr: 0.01, alpha: 0.99, eps: 1e-08, clip: 10)
            """
    ) { args, lr in .rmsprop(learningRate: lr, alpha: try args.number("alpha"), epsilon: try args.number("eps")) }

    static let polyak = Builtin(
        name: "polyak",
        doc: "Polyak's step size: X ← X − η_t G with η_t = min(η_max, max(0, f(X) − f*) / Σ‖G‖²_F) (0 when every G = 0), f* the optimal value.",
        parameters: [Parameter("f_star", default: .number(0), doc: "f*, the optimal value (finite)"),
                     Parameter("max_step", default: .nil, doc: "η_max > 0; nil: no cap")] + regularisation,
        example: """
            let run = minimize(fn(x) => (x - 3) ^ 2, init: 0, optimizer: polyak(), steps: 40)
            print(abs(run.x - 3) < 1e-9)  # expect: true
            """
    ) { args in
        let maxStep: Double = if case .nil = args["max_step"] { .infinity } else { try args.number("max_step") }
        let update = UpdateRule.polyak(optimalValue: try args.number("f_star"), maxStep: maxStep)
        return try made(update, lr: nil, lrText: nil, args)
    }

    static let alternating = Builtin(
        name: "alternating",
        doc: """
            The same rule applied factor by factor: each step updates the first parameter from the gradient at the current point, \
            then recomputes the objective and its gradient and updates the second from that, and so on (each parameter with its own \
            state, clipping and weight decay over that parameter alone). Not for custom rules.
            """,
        parameters: [Parameter("optimizer", doc: "a built-in rule: descent, momentum, nesterov, adam, rmsprop or polyak")],
        example: """
            print(alternating(descent(lr: 0.1)))  # expect: alternating(descent(lr: 0.1))
            """
    ) { args in
        let inner = try args.object("optimizer", as: OptimizerObject.self, typeName: "optimizer")
        guard case .builtin = inner.rule else {
            throw ScriptError("alternating takes a built-in rule, not the custom rule '\(inner.name)'",
                              hint: "write the factor-by-factor order inside the custom rule's step function")
        }
        guard !inner.alternating else { throw ScriptError("the optimizer is already alternating") }
        return .object(OptimizerObject(inner.rule, alternating: true, text: inner.text))
    }

    static let customRule = Builtin(
        name: "custom_rule",
        doc: """
            An update rule written in the language, used by minimize like a built-in one. init(params) returns the rule's state, \
            a record of numbers and matrices (saved in checkpoints); step(params, grads, state, t) returns {params: …, state: …} \
            and may add step_size: (a number, the trace's step_size column; nan when absent). params and grads are records by \
            parameter name; t = 1, 2, … counts the updates.
            """,
        parameters: [Parameter("init", doc: "fn(params) => state record"),
                     Parameter("step", doc: "fn(params, grads, state, t) => {params: record, state: record, step_size: number (optional)}"),
                     Parameter("name", default: .string("custom"), doc: "the name the run and its checkpoint show")],
        example: """
            let sign_descent = custom_rule(init: fn(p) => {}, step: fn(p, g, s, t) => {params: {x: p.x - 0.5 * g.x / abs(g.x)}, state: s})
            print(minimize(fn(x) => abs(x - 2), init: 0, optimizer: sign_descent, steps: 4).x)  # expect: 2
            """
    ) { args in
        for (name, count, passed, shape) in [("init", 1, "the parameters", "init: fn(params) => state record"),
                                             ("step", 4, "params, grads, state and t", "step: fn(params, grads, state, t) => {params: …, state: …}")] {
            switch args[name] {
            case .function, .builtin:
                try args.requireCallable(args[name], with: count, role: name, passed: passed, hint: shape)
            default: throw ScriptError("custom_rule's \(name) must be a function, got \(args[name].typeName)")
            }
        }
        let name = try args.string("name")
        return .object(OptimizerObject(.custom(name: name, initial: args["init"], step: args["step"]), text: "custom_rule(\(name))"))
    }

    // MARK: Making the values

    /// A builtin for a rule with a learning rate: `lr` read as a number or schedule, the rule
    /// built by `make` from `η` (a schedule's `η₀`), then `weight_decay` and `clip`.
    private static func rule(
        _ name: String, doc: String, parameters: [Parameter], example: String,
        _ make: @escaping @Sendable (Arguments, Double) throws -> UpdateRule
    ) -> Builtin {
        Builtin(name: name, doc: doc, parameters: parameters + regularisation, example: example) { args in
            let (schedule, text) = try learningRate(args)
            let eta: Double
            switch schedule {
            case .constant(let x): eta = x
            default: eta = try schedule.rate(at: 0)
            }
            let fixed: Schedule? = if case .constant = schedule { nil } else { schedule }
            return try made(try make(args, eta), lr: fixed, lrText: text, args)
        }
    }

    /// The `lr` argument as a schedule and as text.
    private static func learningRate(_ args: Arguments) throws -> (Schedule, String) {
        let schedule = try SensingLibrary.schedule(args, "lr")
        let text: String = switch args["lr"] {
        case .number(let x): Formatting.number(x)
        case .object(let o as ScheduleObject): o.text
        default: "fn"
        }
        return (schedule, text)
    }

    /// The optimizer value of `update` with the call's `weight_decay` and `clip`, its
    /// hyperparameters checked now (as ``GradientOptimizer`` checks them).
    private static func made(_ update: UpdateRule, lr: Schedule?, lrText: String?, _ args: Arguments) throws -> Value {
        if let bad = update.hyperparameterOutOfRange {
            // In the script's spelling (lr, eps, f_star); the builtin's name comes with the error.
            throw ScriptError("\(OptimizerObject.spelling[bad.name] ?? bad.name) = \(Formatting.number(bad.value)) is out of range (\(bad.domain))")
        }
        let lambda = try args.number("weight_decay")
        let clip: Double = if case .nil = args["clip"] { .infinity } else { try args.number("clip") }
        guard lambda.isFinite, lambda >= 0 else {
            throw ScriptError("weight_decay = \(Formatting.number(lambda)) is out of range (a finite number ≥ 0)")
        }
        guard clip > 0 else { throw ScriptError("clip = \(Formatting.number(clip)) is out of range (a number > 0, or nil for no clipping)") }
        _ = try GradientOptimizer(rule: update, weightDecay: lambda, clipNorm: clip)
        var parts: [String] = []
        for (name, value) in update.hyperparameters {
            switch name {
            case "learning_rate": parts.append("lr: " + (lrText ?? Formatting.number(value)))
            case "max_step" where !value.isFinite: continue
            default: parts.append("\(OptimizerObject.spelling[name] ?? name): " + Formatting.number(value))
            }
        }
        if lambda != 0 { parts.append("weight_decay: " + Formatting.number(lambda)) }
        if clip.isFinite { parts.append("clip: " + Formatting.number(clip)) }
        let name = update.builtinName
        return .object(OptimizerObject(.builtin(update, lr: lr, weightDecay: lambda, clip: clip), text: "\(name)(\(parts.joined(separator: ", ")))"))
    }
}
