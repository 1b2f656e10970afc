import MSenseCore
import Sensing
import Tensor

/// `minimize(objective, init:, optimizer:, steps:, …)`: an optimizer value run on a function
/// written in the language (gradients by automatic differentiation) or on a factor model's
/// built-in loss (native gradients), with metrics, stopping, a blow-up guard, mini-batches and
/// checkpoints (docs/optimizers.md).
enum MinimizeBuiltin {
    static func builtin(random: RandomState, events: RunEvents, access: @escaping @Sendable () -> FileAccess) -> Builtin {
        Builtin(
            name: "minimize",
            doc: """
                Runs an optimizer value (descent, momentum, nesterov, adam, rmsprop, polyak, alternating(…), custom_rule(…)) \
                on f, a function of the parameters written in the language (one traced call and one backward pass per step, as grad), \
                or on a problem of d1×d2 matrices with a model init (asym, deep, sym, lora: its built-in loss Σᵢ rᵢ²/(c·m) and native gradients). \
                init is a record {F: F0, G: G0} (its names are f's parameters, in any order; a name f does not take, or a parameter f needs and init leaves out, is refused before the run), a list, a number or matrix, or a model. \
                The trace records step, loss, rel_err (problems), grad_norm, step_size and the metrics every `every` steps and at the last; \
                metrics: {name: fn(s) => number}, stop: fn(s) => bool and on_record: fn(s) see s with step, loss, grad_norm, step_size, \
                params, grad (records by name) and every parameter by name. A non-finite loss, or one above blowup × max(f(X₀), f(0)) \
                (the loss at step 0 and at the origin: M = 0, or every parameter 0), ends the run with an error; any error that ends a started run \
                (also one raised in f or a metric) carries e.step, e.trace (the rows recorded before) and e.params. batch: b draws b distinct measurements (samples: n \
                indices for a function, passed as its last argument) per step from the seeded stream. checkpoint: \"run.npz\" saves \
                every checkpoint_every steps and at the end; resume: continues a saved run bit for bit. \
                On a problem with a dense ensemble, kernel picks the rows pass or the Gram route (G vec(M) − b) for the unrecorded full-batch steps, as gd's kernel.
                """,
            parameters: [
                Parameter("objective", doc: "f, a function of the parameters returning a number, or a problem of d1×d2 matrices"),
                Parameter("init", doc: "the starting point: a record of numbers and matrices, a list, a number, a matrix, or a model for a problem"),
                Parameter("optimizer", doc: "an optimizer value, e.g. adam(lr: 1e-3)"),
                Parameter("steps", doc: "the number of updates (the last row is at step = steps)"),
                Parameter("every", default: .number(1), doc: "record a row every this many steps (and at the last)"),
                Parameter("tol", default: .nil, doc: "stop when the loss ≤ tol"),
                Parameter("metrics", default: .nil, doc: "a record of functions fn(s) => number, each an extra trace column"),
                Parameter("stop", default: .nil, doc: "fn(s) => bool, asked at every recorded step"),
                Parameter("on_record", default: .nil, doc: "fn(s), called at every recorded step"),
                Parameter("blowup", default: .number(1e6), doc: "stop with an error at the first step whose loss exceeds blowup × max(f(X₀), f(0)) (> 1); nil: only non-finite losses"),
                Parameter("batch", default: .nil, doc: "the mini-batch size b (nil: the full objective)"),
                Parameter("samples", default: .nil, doc: "for a function objective with batch: the number n of samples the indices are drawn from"),
                Parameter("checkpoint", default: .nil, doc: "a .npz path the run's state is saved to, atomically"),
                Parameter("checkpoint_every", default: .nil, doc: "save every this many steps (default: only at the end)"),
                Parameter("resume", default: .nil, doc: "a checkpoint .npz to continue from (same parameters, optimizer and settings)"),
                Parameter("kernel", default: .string("auto"), doc: "\(StepKernel.spellings): how a problem's unrecorded steps compute the gradient on a dense ensemble, as gd's kernel (Gram steps only without batch:)"),
            ],
            example: """
                fn f(x, y) => (x - 1) ^ 2 + 10 * (y + 2) ^ 2
                let run = minimize(f, init: {x: 0, y: 0}, optimizer: adam(lr: 0.1), steps: 500, every: 100,
                                   metrics: {dist: fn(s) => abs(s.x - 1) + abs(s.y + 2)})
                print(run.trace.columns)  # expect: ["step", "loss", "grad_norm", "step_size", "dist"]
                print(round(run.x, 4), round(run.y, 4), run.stop_reason)  # expect: 1 -2 budget
                """
        ) { args in
            let (objective, parameters) = try objectiveAndParameters(args)
            if case .string(let name) = args["optimizer"] {
                throw ScriptError("the optimizer is an optimizer value, not the string \"\(name)\"",
                                  hint: "make one with its builtin, e.g. optimizer: adam(lr: 1e-3), descent(lr: 0.1) or momentum(lr: 0.1)")
            }
            let optimizer = try args.object("optimizer", as: OptimizerObject.self, typeName: "optimizer")
            let settings = try settings(args, parameters: parameters, objective: objective)
            if settings.kernel == .gram, optimizer.readsLoss {
                throw ScriptError("kernel \"gram\" only estimates an unrecorded step's loss, and \(optimizer.name)'s step size is made from the loss",
                                  hint: "leave kernel: out (or use kernel: \"rows\") with \(optimizer.name)")
            }
            let run = MinimizeRun(objective: objective, optimizer: optimizer, settings: settings, args: args,
                                  random: random, events: events, access: access)
            return .object(MinimizeRunObject(try run.run(from: parameters)))
        }
    }

    /// The objective and the starting parameters: a function with init values, or a problem of
    /// d₁×d₂ matrices with a model.
    private static func objectiveAndParameters(_ args: Arguments) throws -> (MinimizeObjective, ParameterSet) {
        switch args["objective"] {
        case .function, .builtin:
            if case .object(let model as ModelObject) = args["init"] {
                throw ScriptError("a model init goes with a problem objective; f takes plain parameters",
                                  hint: "pass its factors by name, e.g. init: {F: \(model.model.factorNames.first ?? "F")0, …}, or minimize(problem, init: model, …)")
            }
            let parameters = try ParameterSet(initial: args["init"])
            let batched: Bool = if case .nil = args["batch"] { false } else { true }
            guard case .function(let f) = args["objective"], case .record = args["init"] else {
                let count = parameters.names.count
                try args.requireCallable(args["objective"], with: count + (batched ? 1 : 0), role: "the objective",
                                         passed: (count == 1 ? "the parameter" : "the \(count) parameters") + (batched ? " and the batch's indices" : ""),
                                         hint: "init: a list passes its items in order, one number or matrix is the one parameter; a record {x: …, y: …} names them")
                return (.function(args["objective"]), parameters)
            }
            return (.function(args["objective"]), try InitNames.match(parameters, to: f, batched: batched))
        case .object(let o as MatrixProblemObject):
            let model = try ModelDispatch.model(args["init"])
            return (.problem(o.problem, model), ParameterSet(model: model))
        case .object(_ as ProblemObject):
            throw ScriptError("minimize runs on problems of d1×d2 matrices; this problem's ensemble measures symmetric matrices",
                              hint: "make it with an ensemble such as iid_gaussian(m, d, d), or write its loss as a function f(U)")
        default:
            throw ScriptError("minimize's objective must be a function or a problem, got \(args["objective"].typeName)")
        }
    }

    private static func settings(_ args: Arguments, parameters: ParameterSet, objective: MinimizeObjective) throws -> MinimizeSettings {
        var settings = MinimizeSettings(steps: try args.integer("steps"))
        settings.every = try args.integer("every")
        guard settings.steps >= 0 else { throw ScriptError("steps must be ≥ 0, not \(settings.steps)") }
        guard settings.every >= 1 else { throw ScriptError("every must be ≥ 1, not \(settings.every)") }
        settings.tolerance = try optional(args, "tol") { try args.number("tol") }
        settings.blowup = try optional(args, "blowup") { try args.number("blowup") }
        try BlowupGuard.validate(settings.blowup)
        settings.batch = try optional(args, "batch") { try args.integer("batch") }
        settings.samples = try optional(args, "samples") { try args.integer("samples") }
        if settings.samples != nil, settings.batch == nil { throw ScriptError("samples: is the population of a mini-batch; give batch: too") }
        settings.kernel = try args.option("kernel", as: StepKernel.self)
        if settings.kernel == .gram {
            guard case .problem = objective else {
                throw ScriptError("kernel \"gram\" is the Gram route of a problem's built-in loss; a function objective is differentiated as written",
                                  hint: "leave kernel: out for a function")
            }
            guard settings.batch == nil else {
                throw ScriptError("kernel \"gram\" computes the full loss's gradient through G; a mini-batch step reads its batch's rows",
                                  hint: "use kernel: \"rows\" (or leave it out) with batch:")
            }
        }
        switch args["metrics"] {
        case .nil: break
        case .record(let record):
            let fixed = MinimizeRun.ownColumns(of: objective)
            for (name, function) in zip(record.names, record.values) {
                guard !fixed.contains(name) else {
                    throw ScriptError("the metric '\(name)' has the name of a trace column; its columns are \(fixed.joined(separator: ", "))", hint: "rename it")
                }
                switch function {
                case .function, .builtin:
                    try args.requireCallable(function, with: 1, role: "metric '\(name)'", passed: "the run's state s",
                                             hint: "metrics: {\(name): fn(s) => …}; s has step, loss, grad_norm, step_size, params, grad and every parameter by name")
                    settings.metrics.append((name, function))
                default: throw ScriptError("metric '\(name)' must be a function of the run's state, not \(function.typeName)",
                                           hint: "metrics: {\(name): fn(s) => …}; s has step, loss, grad_norm, step_size, params, grad and every parameter by name")
                }
            }
        default: throw ScriptError("metrics must be a record of functions, e.g. {val: fn(s) => …}, got \(args["metrics"].typeName)")
        }
        settings.stop = try optionalFunction(args, "stop")
        settings.onRecord = try optionalFunction(args, "on_record")
        settings.checkpoint = try optional(args, "checkpoint") { try args.string("checkpoint") }
        settings.checkpointEvery = try optional(args, "checkpoint_every") { try args.integer("checkpoint_every") }
        settings.resume = try optional(args, "resume") { try args.string("resume") }
        if let k = settings.checkpointEvery {
            guard settings.checkpoint != nil else { throw ScriptError("checkpoint_every needs checkpoint: a .npz path to write") }
            guard k >= 1 else { throw ScriptError("checkpoint_every must be ≥ 1, not \(k)") }
        }
        for path in [settings.checkpoint, settings.resume].compactMap({ $0 }) where !path.lowercased().hasSuffix(".npz") {
            throw ScriptError("a checkpoint is an .npz file, not '\(path)'")
        }
        return settings
    }

    private static func optional<T>(_ args: Arguments, _ name: String, _ read: () throws -> T) throws -> T? {
        if case .nil = args[name] { return nil }
        return try read()
    }

    private static func optionalFunction(_ args: Arguments, _ name: String) throws -> Value? {
        switch args[name] {
        case .nil: return nil
        case .function, .builtin:
            try args.requireCallable(args[name], with: 1, role: name, passed: "the state s",
                                     hint: "write \(name): fn(s) => …; s has step, loss, grad_norm, step_size, params, grad and every parameter by name")
            return args[name]
        default: throw ScriptError("\(name) must be a function of the state s, got \(args[name].typeName)")
        }
    }
}
