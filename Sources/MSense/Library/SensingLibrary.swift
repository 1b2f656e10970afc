import MSenseCore
import Foundation
import Sensing
import Tensor

/// The sensing vocabulary of msense: ground truths, measurement ensembles, problems,
/// initialisations, step-size schedules, and the `gd`/`glrl` runs. Every formula is stated in
/// `docs/sensing.md`; each builtin's doc names the one it uses.
enum SensingLibrary {
    /// All sensing builtins, sharing one random stream.
    static func builtins(random: RandomState, events: RunEvents) -> [Builtin] {
        truths(random) + ensembles(random) + problems(random, events) + runs(random, events) + schedules
            + ModelLibrary.builtins(random: random)
    }

    // MARK: Ground truths

    static func truths(_ random: RandomState) -> [Builtin] {
        [
            Builtin(name: "seed", doc: "Restarts the random stream from a seed (an integer from 0 to 2⁵³, or a 64-bit integer as its decimal text, as a sweep table's seed column holds a point's seed beyond 2⁵³) and returns it; seed() returns the seed in use (drawn uniformly from 0…2⁵³ at start-up when never set, so it prints exactly; inside a sweep's point, the point's seed as the table's seed cell holds it). seed(t.seed[i]) then f(t.row(i)) reruns point i of a sweep alone with its own random numbers.",
                    parameters: [Parameter("n", default: .nil)],
                    example: """
                    seed(42)
                    print(seed())  # expect: 42
                    """) { args in
                if case .nil = args["n"] { return Arguments.seedValue(random.currentSeed) }
                let n = try args.seed("n", "the seed", hint: "a sweep point's seed is the table's seed cell: seed(t.seed[i])")
                random.reseed(n)
                return Arguments.seedValue(n)
            },
            Builtin(name: "psd", doc: "A ground truth Z* = V diag(eigs) Vᵀ (d×d, PSD) with V the first columns of a random orthogonal matrix (QR of a Gaussian d×d matrix). The field Z.eigs holds all d eigenvalues of Z* as computed, descending: those past Z.rank are rounding (about ±1e-16), so use Z.eigs[0:Z.rank] for the given ones.",
                    parameters: [Parameter("d"), Parameter("eigs", doc: "the non-zero eigenvalues, each ≥ 0")],
                    example: """
                    seed(1)
                    let Z = psd(6, eigs: [1.0, 0.5])
                    print(Z.d, Z.rank, shape(Z.matrix), round(Z.eigs[0], 10), round(Z.eigs[1], 10))  # expect: 6 2 [6, 6] 1 0.5
                    """) { args in
                let d = try args.integer("d")
                let eigs = try numbers(args["eigs"], "eigs")
                return .object(TruthObject(try random.draw { rng in try GroundTruth(eigenvalues: eigs, d: d, rng: &rng) }))
            },
            Builtin(name: "truth", doc: "A ground truth from an explicit d×d matrix, checked symmetric (relative 1e-10) and PSD.",
                    parameters: [Parameter("Z")],
                    example: """
                    let Z = truth([2, 0; 0, 1])
                    print(type(Z))  # expect: truth
                    """) { args in
                let z = try args.matrix("Z")
                return .object(TruthObject(try GroundTruth(matrix: z)))
            },
            Builtin(name: "from_factor", doc: "The ground truth Z* = X Xᵀ of a d×r factor X.",
                    parameters: [Parameter("X")],
                    example: """
                    let Z = from_factor([1; 2])
                    print(Z)  # expect: truth(d: 2, rank: 1, eigs: [5])
                    """) { args in
                let x = try args.matrix("X")
                return .object(TruthObject(try GroundTruth(factor: x)))
            },
            Builtin(name: "best_rank", doc: "The best rank-k approximation Z*ₖ (top-k eigen-truncation) of a truth or a symmetric positive semidefinite matrix.",
                    parameters: [Parameter("Z"), Parameter("k")],
                    example: """
                    let Z = diag([3, 2, 1])
                    print(eigs(best_rank(Z, 2)))  # expect: [3, 2, 0]
                    """) { args in
                let truth = try truthArgument(args, "Z")
                let k = try args.integer("k")
                return .matrix(try truth.bestRankK(k))
            },
        ]
    }

    // MARK: Ensembles

    static func ensembles(_ random: RandomState) -> [Builtin] {
        /// `bytes(m, d)` estimates the storage, checked against the host's memory limit first.
        func sized(_ name: String, _ doc: String, bytes: @escaping @Sendable (Double, Double) -> Double, example: String,
                   _ make: @escaping @Sendable (Int, Int, inout Xoshiro256) throws -> any SensingOperator) -> Builtin {
            Builtin(name: name, doc: doc, parameters: [Parameter("m"), Parameter("d")], example: example) { args in
                let m = try args.integer("m"), d = try args.integer("d")
                try args.reserve(bytes(Double(m), Double(d)), for: "\(name)(m: \(m), d: \(d))")
                return .object(EnsembleObject(try random.draw { rng in try make(m, d, &rng) }))
            }
        }
        /// The dense packed ensembles take `storage: "float64" | "float32"`.
        func packed(_ name: String, _ doc: String, example: String,
                    _ make: @escaping @Sendable (Int, Int, inout Xoshiro256, PackedSymmetricOperator.Storage) throws -> any SensingOperator) -> Builtin {
            Builtin(name: name, doc: doc + " " + storageDoc,
                    parameters: [Parameter("m"), Parameter("d"), Parameter("storage", default: .string("float64"), doc: storageParameterDoc)],
                    example: example) { args in
                let m = try args.integer("m"), d = try args.integer("d")
                let storage = try args.option("storage", as: PackedSymmetricOperator.Storage.self)
                try args.reserve(Double(storage == .float32 ? 4 : 8) * Double(m) * Double(d) * (Double(d) + 1) / 2,
                                 for: "\(name)(m: \(m), d: \(d))")
                return .object(EnsembleObject(try random.draw { rng in try make(m, d, &rng, storage) }))
            }
        }
        return [
            packed("gaussian", "Symmetric Gaussian ensemble Aᵢ = (Gᵢ + Gᵢᵀ)/2, Gᵢ with i.i.d. N(0,1) entries: E⟨Aᵢ,Z⟩² = ‖Z‖²_F for symmetric Z. Stored once as packed upper triangles (d(d+1)/2 numbers per measurement).",
                example: """
                seed(1)
                let A = gaussian(m: 200, d: 10)
                print(type(A))  # expect: ensemble
                """) { m, d, rng, storage in
                try PackedSymmetricOperator.gaussian(m: m, d: d, rng: &rng, storage: storage)
            },
            packed("nonsymmetric", "Non-symmetric Gaussian ensemble (the paper's Section 6): Aᵢ with all d² entries i.i.d. N(0,1); only (Aᵢ+Aᵢᵀ)/2 enters the loss, so E⟨Aᵢ,Z⟩² = ‖Z‖²_F for symmetric Z.",
                example: """
                seed(1)
                print(type(nonsymmetric(m: 100, d: 8)))  # expect: ensemble
                """) { m, d, rng, storage in
                try PackedSymmetricOperator.nonSymmetricGaussian(m: m, d: d, rng: &rng, storage: storage)
            },
            sized("rank_one", "Rank-one projections Aᵢ = aᵢaᵢᵀ, aᵢ ~ N(0, I_d): E⟨Aᵢ,Z⟩² = 2‖Z‖²_F + tr(Z)². Matrix-free, O(m·d·r) per step.", bytes: { m, d in 8 * m * d },
                example: """
                seed(1)
                print(type(rank_one(m: 100, d: 8)))  # expect: ensemble
                """) { m, d, rng in
                try RankOneOperator(m: m, d: d, rng: &rng)
            },
            sized("completion", "Matrix completion Aᵢ = d·(e_j e_kᵀ + e_k e_jᵀ)/2 with (j,k) uniform: E⟨Aᵢ,Z⟩² = ‖Z‖²_F. Matrix-free, O(m·r) per step.", bytes: { m, _ in 16 * m },
                example: """
                seed(1)
                let A = completion(m: 500, d: 20)
                print(type(A))  # expect: ensemble
                """) { m, d, rng in
                try CompletionOperator(m: m, d: d, rng: &rng)
            },
            Builtin(name: "full", doc: "Full observation: the d² coordinate matrices, so f(U) = ¼‖UUᵀ − Z*‖²_F exactly. Matrix-free, O(d²·r) per step.",
                    parameters: [Parameter("d")],
                    example: """
                    let A = full(10)
                    print(type(A))  # expect: ensemble
                    """) { args in
                let d = try args.integer("d")
                return .object(EnsembleObject(try FullObservationOperator(d: d)))
            },
            Builtin(name: "explicit", doc: "The ensemble given by its measurement matrices: an (m, d, d) array (e.g. load(\"A.npy\")) or a list of d×d matrices; only their symmetric parts enter the loss. " + storageDoc,
                    parameters: [Parameter("A"), Parameter("storage", default: .string("float64"), doc: storageParameterDoc)],
                    example: """
                    let A = explicit([eye(2), [0, 1; 1, 0]])
                    print(measure(A, [1, 2; 2, 3]))  # expect: [4; 4]
                    """) { args in
                let (elements, m, d) = try measurementStack(args["A"])
                let storage = try args.option("storage", as: PackedSymmetricOperator.Storage.self)
                try args.reserve(Double(storage == .float32 ? 4 : 8) * Double(m) * Double(d) * (Double(d) + 1) / 2,
                                 for: "explicit(\(m) matrices of \(d)×\(d))")
                return .object(EnsembleObject(try PackedSymmetricOperator.explicit(stack: elements, m: m, d: d, storage: storage)))
            },
            Builtin(name: "measure", doc: "The measurements (⟨Sᵢ, Z⟩)ᵢ, Sᵢ = (Aᵢ + Aᵢᵀ)/2, of a d×d matrix Z, as an m×1 matrix: ⟨Aᵢ, Z⟩ for symmetric Z (a non-symmetric Z is measured through its symmetric part). An ensemble of d1×d2 matrices gives (⟨Aᵢ, Z⟩)ᵢ, nothing symmetrised.",
                    parameters: [Parameter("A"), Parameter("Z")],
                    example: """
                    let y = measure(full(2), eye(2))
                    print(y)  # expect: [2; 0; 0; 2]
                    """) { args in
                try Measure(args, "A").apply(to: args.matrix("Z"))
            },
        ]
    }

    // MARK: Problems and initialisations

    static func problems(_ random: RandomState, _ events: RunEvents) -> [Builtin] {
        [
            Builtin(name: "sensing", doc: "A sensing problem: truth Z*, ensemble A, and y = A(Z*) + noise·ε (ε ~ N(0, I_m)), or the measurements y given explicitly. With an ensemble of d1×d2 matrices (iid_gaussian, sample_entries, given_stack, …) it is a problem for the factor models (asym, deep, lora, sym), whose truth may be of any shape (lowrank, indefinite, matrix_truth, psd or a matrix).",
                    parameters: [Parameter("truth"), Parameter("A"), Parameter("y", default: .nil),
                                 Parameter("noise", default: .number(0))],
                    example: """
                    seed(1)
                    let problem = sensing(psd(8, eigs: [1.0]), gaussian(m: 100, d: 8), noise: 0.01)
                    print(type(problem))  # expect: problem
                    """) { args in
                if let problem = try ModelDispatch.problem(args, random: random) { return problem }
                let truth = try truthArgument(args, "truth")
                let ensemble = try args.object("A", as: EnsembleObject.self, typeName: "ensemble").ensemble
                if case .nil = args["y"] {
                    let noise = try args.number("noise")
                    return .object(ProblemObject(try random.draw { rng in
                        try SensingProblem(truth: truth, measurements: ensemble, noise: noise, rng: &rng)
                    }))
                }
                let y = try numbers(args["y"], "y")
                return .object(ProblemObject(try SensingProblem(truth: truth, measurements: ensemble, y: y)))
            },
            Builtin(name: "small", doc: "Small random initialisation U₀ = α·G (d×r), Gᵢⱼ ~ N(0,1) i.i.d.",
                    parameters: [Parameter("d"), Parameter("r"), Parameter("alpha", default: .number(1e-6))],
                    example: """
                    seed(1)
                    let U = small(10, 3, alpha: 1e-6)
                    print(shape(U), norm(U) < 1e-4)  # expect: [10, 3] true
                    """) { args in
                try initialise(random, d: args.integer("d"), r: args.integer("r"), .smallRandom(alpha: args.number("alpha")), args)
            },
            Builtin(name: "orthogonal", doc: "Orthogonal initialisation U₀ = α·Q (d×r, r ≤ d), Q from the thin QR of a Gaussian d×r matrix.",
                    parameters: [Parameter("d"), Parameter("r"), Parameter("alpha", default: .number(1e-6))],
                    example: """
                    seed(1)
                    let U = orthogonal(5, 2, alpha: 0.1)
                    print(shape(U), round(norm(U' @ U - 0.01 * eye(2)), 10))  # expect: [5, 2] 0
                    """) { args in
                try initialise(random, d: args.integer("d"), r: args.integer("r"), .orthogonal(alpha: args.number("alpha")), args)
            },
            Builtin(name: "spectral", doc: "Spectral initialisation U₀ = V_r diag(√max(λ,0)) from the top-r eigenpairs of (1/m) Σ yᵢ Sᵢ (debiased for rank_one).",
                    parameters: [Parameter("problem"), Parameter("r")],
                    example: """
                    seed(1)
                    let problem = sensing(psd(8, eigs: [1.0]), gaussian(m: 400, d: 8))
                    print(shape(spectral(problem, 2)))  # expect: [8, 2]
                    """) { args in
                let problem = try args.object("problem", as: ProblemObject.self, typeName: "problem").problem
                let r = try args.integer("r")
                return .matrix(try random.draw { rng in try Initialization.spectral.make(for: problem, rank: r, rng: &rng) })
            },
            Builtin(name: "loss", doc: "f(U) = 1/(4m) Σᵢ (⟨Aᵢ, UUᵀ⟩ − yᵢ)². On a problem of d1×d2 matrices U may be a model: 1/(2m) Σᵢ (⟨Aᵢ, M⟩ − yᵢ)² for M = FGᵀ, W_N⋯W₁ or W₀ + BA (1/(4m) for UUᵀ).",
                    parameters: [Parameter("problem"), Parameter("U")],
                    example: """
                    let problem = sensing(truth([1, 0; 0, 0]), full(2))
                    print(loss(problem, [1; 0]), loss(problem, zeros(2, 1)))  # expect: 0 0.25
                    """) { args in
                if let loss = try ModelDispatch.loss(args) { return loss }
                let problem = try args.object("problem", as: ProblemObject.self, typeName: "problem").problem
                let u = try args.matrix("U")
                return .number(try problem.loss(u))
            },
            Builtin(name: "gradient", doc: """
                ∇f(U) = (1/m) Σᵢ rᵢ Sᵢ U with rᵢ = ⟨Aᵢ, UUᵀ⟩ − yᵢ and Sᵢ = (Aᵢ + Aᵢᵀ)/2. \
                kernel "gram" (dense ensembles) computes it through the Gram matrix G as gd does, building G on the first call: \
                for GD loops written by hand; "rows" (the default) reads the measurements. \
                On a problem of d1×d2 matrices with a model (asym, deep, lora, sym): the list of per-factor gradients, from S = (1/m) Σᵢ rᵢAᵢ.
                """,
                    parameters: [Parameter("problem"), Parameter("U"), Parameter("kernel", default: .string("rows"))],
                    example: """
                    seed(1)
                    let problem = sensing(psd(6, eigs: [1.0]), full(6))
                    print(shape(gradient(problem, small(6, 2, alpha: 0.1))))  # expect: [6, 2]
                    """) { args in
                if let gradients = try ModelDispatch.gradient(args) { return gradients }
                let problem = try args.object("problem", as: ProblemObject.self, typeName: "problem").problem
                let u = try args.matrix("U")
                let kernel = try args.option("kernel", as: StepKernel.self)
                let allowance = { (bytes: Double) in args.refusal(bytes, for: "the Gram matrix G of kernel \"gram\"") }
                return .matrix(try problem.gradient(u, kernel: kernel, gramAllowance: allowance, cancelled: { events.isCancelled() }))
            },
        ]
    }

    // MARK: Schedules

    static let schedules: [Builtin] = [
        Builtin(name: "step_decay", doc: "Step size η_t = lr · factor^⌊t/every⌋.",
                parameters: [Parameter("lr"), Parameter("factor"), Parameter("every")],
                example: """
                let lr = step_decay(0.1, 0.5, every: 1000)
                print(type(lr))  # expect: schedule
                """) { args in
            let (lr, factor, every) = (try args.number("lr"), try args.number("factor"), try args.integer("every"))
            return .object(ScheduleObject(.stepDecay(initial: lr, factor: factor, every: every),
                                          text: "step_decay(\(Formatting.number(lr)), \(Formatting.number(factor)), \(every))"))
        },
        Builtin(name: "cosine", doc: "Step size η_t = final + (lr − final)(1 + cos(π·min(t,T)/T))/2 over T = steps.",
                parameters: [Parameter("lr"), Parameter("final", default: .number(0)), Parameter("steps")],
                example: """
                let lr = cosine(0.1, final: 0.01, steps: 100)
                print(type(lr))  # expect: schedule
                """) { args in
            let (lr, final, steps) = (try args.number("lr"), try args.number("final"), try args.integer("steps"))
            return .object(ScheduleObject(.cosine(initial: lr, final: final, steps: steps),
                                          text: "cosine(\(Formatting.number(lr)), final: \(Formatting.number(final)), steps: \(steps))"))
        },
        Builtin(name: "warmup", doc: "Linear warm-up: η_t = s(t)·(t+1)/steps for t < steps, then s(t), for a schedule or number s.",
                parameters: [Parameter("steps"), Parameter("then")],
                example: """
                let lr = warmup(100, cosine(0.1, steps: 1000))
                print(type(lr))  # expect: schedule
                """) { args in
            let steps = try args.integer("steps")
            let then: Schedule
            switch args["then"] {
            case .number(let x): then = .constant(x)
            case .object(let o as ScheduleObject): then = o.schedule
            default: throw ScriptError("warmup's 'then' must be a number or a schedule")
            }
            return .object(ScheduleObject(.warmup(steps: steps, then: then), text: "warmup(\(steps), \(Formatting.display(args["then"])))"))
        },
    ]

    // MARK: Runs

    static func runs(_ random: RandomState, _ events: RunEvents) -> [Builtin] {
        [
            Builtin(name: "gd", doc: """
                Gradient descent U_{t+1} = U_t − η_t ∇f(U_t) from init (a matrix), recording a trace row every `every` steps and at the last step \
                (columns step, loss, rel_err, eig1…, dist1…, target1… for the given targets, grad_norm, eff_rank). \
                lr is a number, a schedule, or a function of the step. Stops after `steps`, when the loss ≤ tol, or when stop(row) is true. \
                optimizer: "gd", "momentum" (heavy ball, beta), "scaled" (ScaledGD: ∇f(U)(UᵀU)⁻¹) or "prec" (PrecGD: ∇f(U)(UᵀU + λI)⁻¹); \
                on a model also "alternating" (factor by factor, each from the residual at the factors updated so far) and, for asym(F, G), \
                "agn" (alternating Gauss–Newton: F ← F − η S G(GᵀG)†, then G ← G − η S'ᵀF(FᵀF)† with S' at the new F). \
                metrics: {name: fn(s) => …} adds trace columns computed from the state s at recorded steps; stop(s) sees the same state. \
                A loss above blowup (default 1e6) times max(loss at step 0, loss of M = 0) stops the run with an error naming the step (blowup: nil turns this off). \
                kernel (dense ensembles): "rows" reads the m×d(d+1)/2 weights each step, "gram" the upper triangle of the Gram matrix G = Σ wᵢwᵢᵀ \
                (built once per ensemble; recorded steps still read the rows), "auto" picks "gram" when G holds at most 2/3 of the rows' numbers, \
                at least d(d+1)/8 + 200 steps go unrecorded (steps not multiples of every) to repay building it, and it fits in memory and in the host's step limit. \
                init may be a model (asym(F, G), deep([W1, …]), lora(W0, B, A), sym(U), deep_init, balanced_asym, spectral_asym) on a problem of d1×d2 matrices: \
                every factor is updated from the same iterate and the trace describes M (step, loss, rel_err, sv1…, dist1…, imbalance | balance1…balance(N−1), norm1…normN | norm_b, norm_a, grad_norm); \
                "scaled"/"prec" are defined for UUᵀ and FGᵀ (∇_F(GᵀG + λI)⁻¹, ∇_G(FᵀF + λI)⁻¹); rank k is learned (phases) when σⱼ(M) ≥ σⱼ(M*)/2 for every j ≤ k; \
                kernel (dense d1×d2 ensembles) picks the rows pass or vec(S) = (G vec(M) − b)/m with G = Σ vec(Aᵢ)vec(Aᵢ)ᵀ, b = Σ yᵢ vec(Aᵢ) (p = d1·d2) on unrecorded steps, \
                "auto" when G's upper triangle holds at most 4/5 of the m·p weights (p + 1 ≤ 1.6m), at least 2p steps go unrecorded and G fits in memory and in the host's step limit (with tol, a step goes through G while its loss estimate shows the tolerance is not near).
                """,
                    parameters: [Parameter("problem"), Parameter("init"), Parameter("lr"), Parameter("steps"),
                                 Parameter("every", default: .number(1)), Parameter("tol", default: .nil),
                                 Parameter("stop", default: .nil), Parameter("optimizer", default: .string("gd"), doc: "\(OptimizerOption.spellings): the update rule"),
                                 Parameter("beta", default: .number(0.9), doc: "the heavy-ball β in [0, 1) of optimizer \"momentum\""),
                                 Parameter("lambda", default: .number(1e-3), doc: "the damping λ ≥ 0 of optimizer \"prec\""),
                                 Parameter("targets", default: .list([]), doc: "d×d matrices Tⱼ whose distances ‖UUᵀ − Tⱼ‖_F become trace columns target1…"),
                                 Parameter("kernel", default: .string("auto"), doc: "\(StepKernel.spellings): how the unrecorded steps of a dense ensemble compute the gradient"),
                                 Parameter("metrics", default: .nil, doc: "a record {name: fn(s) => number} of metrics, evaluated at recorded steps and recorded as trace columns; s holds the row by column name, M, and the factors (u and grad for UUᵀ; F, G, W1…, B, A, model and grad.F… for a model)"),
                                 Parameter("blowup", default: .number(1e6), doc: "stop with an error at the first step whose loss exceeds blowup × max(loss at step 0, loss of M = 0); nil turns the guard off")],
                    example: """
                    seed(1)
                    let problem = sensing(psd(10, eigs: [1.0, 0.5]), gaussian(m: 300, d: 10))
                    let run = gd(problem, init: small(10, 2, alpha: 1e-4), lr: 0.1, steps: 800, every: 10)
                    print(run.phases[0].step < run.phases[1].step, run.rel_err < 1e-3)  # expect: true true
                    let watched = gd(problem, init: small(10, 2, alpha: 1e-4), lr: 0.1, steps: 800, every: 10,
                                     metrics: {unorm: fn(s) => norm(s.u)}, stop: fn(s) => s.rel_err < 1e-2)
                    print(watched.stop, watched.trace.columns[-1], watched.trace.last.unorm == norm(watched.u))  # expect: predicate unorm true
                    """) { args in
                if let run = try ModelRunBuiltin.gd(args, events: events) { return run }
                let problem = try args.object("problem", as: ProblemObject.self, typeName: "problem").problem
                let u0 = try args.matrix("init")
                let optimizer = try Optimizer(args)
                var options = RunOptions(lr: try schedule(args, "lr"), steps: try args.integer("steps"), every: try args.integer("every"))
                if case .number(let tol) = args["tol"] { options.tolerance = tol }
                options.kernel = try args.option("kernel", as: StepKernel.self)
                options.gramAllowance = { bytes in args.refusal(bytes, for: "the Gram matrix G of kernel \"gram\"") }
                options.shouldCancelSetUp = { events.isCancelled() }
                options.targets = try args.list("targets").items.map { item in
                    guard case .matrix(let t) = item else { throw ScriptError("targets must be a list of matrices") }
                    return t
                }
                options.blowup = try blowup(args)
                let watch = try RunWatchArgument(args)
                options.watch = watch?.watch
                let progress = events.begin(label: "gd", total: options.steps)
                defer { progress.finish() }
                options.onRow = progress.traceRows
                options.shouldCancel = { progress.tick() }
                let run = try runSensing(progress) { () throws in
                    try problem.run(from: u0, optimizer: optimizer, options: options)
                }
                try watch?.rethrow()
                progress.complete()
                return .object(RunObject(run))
            },
            Builtin(name: "rank_solution", doc: """
                The rank-s solution of the paper's Definition 1.1: a minimiser of the loss over PSD matrices of rank ≤ s, \
                computed as UUᵀ for U ∈ ℝ^{d×s} by ScaledGD (U ← U − lr·∇f(U)(UᵀU)⁻¹) from the spectral initialisation, \
                stopped when ‖∇f(U)‖_F ≤ tol (checked every 10 steps) or after `steps`. Returns {matrix, loss, grad_norm, steps}. \
                In general this is not the eigen-truncation Z*ₛ; with exact measurements of a rank-s Z* it is Z* itself.
                """,
                    parameters: [Parameter("problem"), Parameter("s"), Parameter("lr", default: .number(0.5)),
                                 Parameter("steps", default: .number(5000)), Parameter("tol", default: .number(1e-10))],
                    example: """
                    seed(1)
                    let problem = sensing(psd(6, eigs: [1.0, 0.5]), full(6))
                    let Z1 = rank_solution(problem, 1)
                    print(round(eigs(Z1.matrix)[0], 6), round(Z1.loss, 6))  # expect: 1 0.0625
                    """) { args in
                let problem = try args.object("problem", as: ProblemObject.self, typeName: "problem").problem
                let s = try args.integer("s")
                guard s >= 1, s <= problem.d else {
                    throw ScriptError("rank_solution needs 1 ≤ s ≤ d, but s = \(s) and d = \(problem.d)",
                                      hint: "a PSD d×d matrix has rank at most d")
                }
                let tol = try args.number("tol")
                let u0 = try random.draw { rng in try Initialization.spectral.make(for: problem, rank: s, rng: &rng) }
                var options = RunOptions(lr: .constant(try args.number("lr")), steps: try args.integer("steps"), every: 10)
                options.stopWhen = { row in row.gradNorm <= tol }
                options.gramAllowance = { bytes in args.refusal(bytes, for: "the Gram matrix G of the normal equations") }
                options.shouldCancelSetUp = { events.isCancelled() }
                let progress = events.begin(label: "rank_solution", total: options.steps)
                defer { progress.finish() }
                options.shouldCancel = { progress.tick() }
                let run = try runSensing(progress) { () throws in try problem.run(from: u0, optimizer: .scaledGD, options: options) }
                let solution = Value.record(["matrix": .matrix(try run.u.matmul(run.u.transposed)),
                                             "loss": .number(run.trace.last(.loss) ?? .nan),
                                             "grad_norm": run.trace.last(.gradientNorm).map(Value.number) ?? .nil,
                                             "steps": .number(Double(run.lastStep))])
                progress.complete()
                return solution
            },
            Builtin(name: "glrl", doc: """
                Greedy Low-Rank Learning (Li, Luo, Lyu 2021): from U = 0 (d×0), repeatedly append ε·v (v the top eigenvector of −∇f as a d×d matrix) \
                and run GD until ‖∇f‖_F ≤ stage_tol or stage_steps, up to rank `rank`. One trace over all stages (its `rank` column tells them apart).
                """,
                    parameters: [Parameter("problem"), Parameter("rank"), Parameter("lr"),
                                 Parameter("eps", default: .number(1e-3)), Parameter("stage_steps", default: .number(10_000)),
                                 Parameter("stage_tol", default: .number(1e-8)), Parameter("every", default: .number(1)),
                                 Parameter("tol", default: .nil)],
                    example: """
                    seed(1)
                    let problem = sensing(psd(10, eigs: [1.0, 0.5]), gaussian(m: 300, d: 10))
                    let run = glrl(problem, rank: 2, lr: 0.1, eps: 1e-3, stage_steps: 2000)
                    print(run.rel_err < 1e-3)  # expect: true
                    """) { args in
                let problem = try args.object("problem", as: ProblemObject.self, typeName: "problem").problem
                var options = GLRLOptions(lr: try schedule(args, "lr"), maxRank: try args.integer("rank"), epsilon: try args.number("eps"),
                                          stageSteps: try args.integer("stage_steps"), stageTolerance: try args.number("stage_tol"),
                                          every: try args.integer("every"))
                if case .number(let tol) = args["tol"] { options.tolerance = tol }
                let (total, overflow) = options.stageSteps.multipliedReportingOverflow(by: max(options.maxRank, 1))
                let progress = events.begin(label: "glrl", total: overflow ? Int.max : total)
                defer { progress.finish() }
                options.onRow = progress.traceRows
                options.shouldCancel = { progress.tick() }
                let run = try runSensing(progress) { () throws in try problem.runGLRL(options: options) }
                progress.complete()
                return .object(RunObject(run))
            },
        ]
    }

    /// Runs an optimizer; a cancelled run becomes the interpreter's "cancelled" error.
    private static func runSensing(_ progress: RunProgress, _ body: () throws -> Run) throws -> Run {
        let run = try body()
        try checkCancelled(progress, run.stopReason, partial: PartialRun(step: run.lastStep, trace: run.trace, u: run.u))
        return run
    }

    /// Turns a run stopped by the host (cancelled, or a limit reached) into the interpreter's
    /// error, carrying the run so far (`partial`) as an interrupted run's error does.
    static func checkCancelled(_ progress: RunProgress, _ reason: StopReason, partial: PartialRun? = nil) throws {
        if reason == .cancelled, progress.wasCancelled {
            var error = progress.limitMessage.map {
                ScriptError($0 + (partial.map { "; the run stopped at step \($0.step)" } ?? ""), hint: "the host set this limit (Interpreter.limits)")
            } ?? ScriptError("cancelled")
            if let partial { error.details = PartialRunDetails.fields(of: partial) }
            throw error
        }
    }

    static let storageDoc = "storage: \"float32\" keeps the weights as floats (half the memory and bytes read per step; all arithmetic stays float64)."
    static let storageParameterDoc = "\"float64\" (default) or \"float32\": how the packed weights are stored"

    /// `gd`'s `blowup:` argument: a multiple > 1, or `nil` (no guard).
    static func blowup(_ args: Arguments) throws -> Double? {
        if case .nil = args["blowup"] { return nil }
        return try args.number("blowup")
    }

    /// The matrices of `explicit(A)` stacked row-major as (m, d, d).
    private static func measurementStack(_ value: Value) throws -> (elements: [Double], m: Int, d: Int) {
        switch value {
        case .object(let array as ArrayObject):
            let shape = array.array.shape
            guard shape.count == 3, shape[1] == shape[2] else {
                throw ScriptError("\(array.path): measurement matrices must be an (m, d, d) array, not shape (\(shape.map(String.init).joined(separator: ", ")))")
            }
            guard shape[0] >= 1, shape[1] >= 1 else {
                throw ScriptError("\(array.path): explicit needs at least one measurement matrix of size at least 1×1, not shape (\(shape.map(String.init).joined(separator: ", ")))")
            }
            return (array.array.elements, shape[0], shape[1])
        case .list(let list):
            var elements: [Double] = []
            var d = 0
            for (i, item) in list.items.enumerated() {
                guard case .matrix(let a) = item, a.rows == a.cols else {
                    throw ScriptError("measurement \(i) must be a square matrix, found \(item.kind == .matrix ? "a non-square matrix" : item.typeName)")
                }
                if i == 0 { d = a.rows }
                guard a.rows == d else { throw ScriptError("measurement \(i) is \(a.rows)×\(a.cols) but the first is \(d)×\(d)") }
                elements += a.elements
            }
            guard !list.items.isEmpty else { throw ScriptError("explicit needs at least one measurement matrix") }
            return (elements, list.items.count, d)
        default:
            throw ScriptError("explicit takes an (m, d, d) array from load() or a list of d×d matrices, not \(value.typeName)")
        }
    }

    // MARK: Argument helpers

    /// The step size argument `name`: a number, a schedule object, or a script function of the step.
    static func schedule(_ args: Arguments, _ name: String) throws -> Schedule {
        let value = args[name]
        switch value {
        case .number(let x): return .constant(x)
        case .object(let o as ScheduleObject): return o.schedule
        case .function, .builtin:
            try args.requireCallable(value, with: 1, role: name, passed: "the step t", hint: "\(name): fn(t) => … gives the step size η_t of step t")
            return .custom { t in
                let rate = try args.call(value, [.number(Double(t))])
                guard case .number(let x) = rate else {
                    throw ScriptError("it returned \(withArticle(rate.typeName)), not a number", hint: "lr: fn(t) => … gives the step size η_t of step t")
                }
                return x
            }
        default:
            throw ScriptError("lr must be a number, a schedule or a function of the step, not \(value.typeName)")
        }
    }

    /// The truth argument `name`: a truth object, or a symmetric PSD matrix.
    static func truthArgument(_ args: Arguments, _ name: String) throws -> GroundTruth {
        switch args[name] {
        case .object(let o as TruthObject): return o.truth
        case .matrix(let z): return try GroundTruth(matrix: z)
        default: throw ScriptError("expected a truth (from psd, truth or from_factor) or a matrix, got \(args[name].typeName)")
        }
    }

    /// A list of numbers or a vector (n×1 or 1×n matrix) as `[Double]`.
    static func numbers(_ value: Value, _ name: String) throws -> [Double] {
        switch value {
        case .list(let list):
            return try list.items.map { item in
                guard case .number(let x) = item else { throw ScriptError("\(name) must hold numbers, found \(item.typeName)") }
                return x
            }
        case .matrix(let m) where m.rows == 1 || m.cols == 1: return m.elements
        case .number(let x): return [x]
        default: throw ScriptError("\(name) must be a list of numbers or a vector, not \(value.typeName)")
        }
    }

    private static func initialise(_ random: RandomState, d: Int, r: Int, _ kind: Initialization, _ args: Arguments) throws -> Value {
        try args.reserve(8 * Double(d) * Double(r), for: "a \(d)×\(r) initialisation")
        return .matrix(try random.draw { rng in try kind.make(d: d, rank: r, rng: &rng) })
    }
}

extension TraceRow {
    /// The row as a script record with the trace's column names.
    var record: Value {
        .record(ScriptRecord(names: columns.map(\.name), values: values.map(Value.number)))
    }
}
