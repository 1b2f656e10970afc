import Sensing
import Tensor

/// The vocabulary of models beyond UUᵀ: truths of any shape, ensembles of d₁×d₂ matrices, problem
/// operations (outliers, splits, subsets), factor models and their initialisations. `gd`,
/// `sensing`, `loss` and `gradient` dispatch here for these objects (``ModelDispatch``); `measure`
/// takes either kind of ensemble (``Measure``).
/// Every formula is in docs/sensing.md ("Models beyond UUᵀ").
enum ModelLibrary {
    static func builtins(random: RandomState) -> [Builtin] {
        truths(random) + ensembles(random) + StructuredEnsembleBuiltins.builtins(random) + problems(random) + models(random)
    }

    // MARK: Truths

    static func truths(_ random: RandomState) -> [Builtin] {
        [
            Builtin(name: "lowrank", doc: "A d1×d2 ground truth M* = P diag(svals) Qᵀ with P, Q the first k = len(svals) columns of the Q factors of the QRs of a Gaussian d1×d1, then d2×d2 matrix: its singular values are svals (to rounding). The field M.svals holds all min(d1, d2) singular values of M* as computed, descending: those past M.rank are rounding (about 1e-16), so the condition number is M.svals[0] / M.svals[M.rank - 1].",
                    parameters: [Parameter("d1"), Parameter("d2"), Parameter("svals", doc: "the non-zero singular values, each > 0")], example: """
                        seed(1)
                        let M = lowrank(12, 8, svals: [1, 0.5])
                        print(M.d1, M.d2, M.rank, round(M.svals[1], 12))  # expect: 12 8 2 0.5
                        print(len(M.svals), M.svals[-1] < 1e-14, round(M.svals[0] / M.svals[M.rank - 1], 10))  # expect: 8 true 2
                        """) { args in
                let (d1, d2) = (try args.integer("d1"), try args.integer("d2"))
                let s = try SensingLibrary.numbers(args["svals"], "svals")
                return .object(MatrixTruthObject(try random.draw { rng in try MatrixTruth(singularValues: s, rows: d1, cols: d2, rng: &rng) }))
            },
            Builtin(name: "indefinite", doc: "A symmetric d×d ground truth M* = V diag(eigs) Vᵀ whose eigenvalues may have either sign (V as in psd); its singular values are |eigs| (M.svals holds all d, descending; those past M.rank are rounding, about 1e-16).",
                    parameters: [Parameter("d"), Parameter("eigs", doc: "the non-zero eigenvalues, any sign")], example: """
                        seed(1)
                        let M = indefinite(6, eigs: [1, -0.5])
                        print(M.rank, round(M.svals[1], 10))  # expect: 2 0.5
                        """) { args in
                let d = try args.integer("d")
                let eigs = try SensingLibrary.numbers(args["eigs"], "eigs")
                return .object(MatrixTruthObject(try random.draw { rng in try MatrixTruth(eigenvalues: eigs, d: d, rng: &rng) }))
            },
            Builtin(name: "matrix_truth", doc: "A ground truth from any d1×d2 matrix (e.g. load(\"Mstar.npy\")), for the factor models; its rank counts the singular values above 1e-10·max(1, σ₁); M.svals holds all min(d1, d2) of them, descending.",
                    parameters: [Parameter("M")], example: """
                        let M = matrix_truth([3, 0, 0; 0, 0, 2])
                        print(M.d1, M.d2, M.svals)  # expect: 2 3 [3, 2]
                        """) { args in
                let m = try args.matrix("M")
                return .object(MatrixTruthObject(try MatrixTruth(matrix: m)))
            },
        ]
    }

    // MARK: Ensembles

    static func ensembles(_ random: RandomState) -> [Builtin] {
        /// An ensemble of `m` measurements of `d1×d2` matrices, `bytes(m, d1, d2)` reserved first.
        func drawn(_ name: String, _ doc: String, example: String, bytes: @escaping @Sendable (Double, Double, Double) -> Double,
                   _ make: @escaping @Sendable (Int, Int, Int, inout Xoshiro256) throws -> any MatrixEnsemble) -> Builtin {
            Builtin(name: name, doc: doc, parameters: [Parameter("m"), Parameter("d1"), Parameter("d2")], example: example) { args in
                let (m, d1, d2) = (try args.integer("m"), try args.integer("d1"), try args.integer("d2"))
                try args.reserve(bytes(Double(m), Double(d1), Double(d2)), for: "\(name)(m: \(m), d1: \(d1), d2: \(d2))")
                return .object(MatrixEnsembleObject(try random.draw { rng in try make(m, d1, d2, &rng) }))
            }
        }
        return [
            drawn("iid_gaussian", "Aᵢ (d1×d2) with i.i.d. N(0,1) entries, not symmetrised: E⟨Aᵢ,M⟩² = ‖M‖²_F. Stored densely (m·d1·d2 numbers); each step reads every Aᵢ once.",
                  example: """
                  seed(1)
                  print(iid_gaussian(m: 200, d1: 6, d2: 4))  # expect: ensemble(iid_gaussian, m: 200, 6×4)
                  """,
                  bytes: { m, d1, d2 in 8 * m * d1 * d2 }) { m, d1, d2, rng in
                try DenseMatrixEnsemble.gaussian(m: m, rows: d1, cols: d2, rng: &rng)
            },
            drawn("rank_one_pairs", "Rank-one projections Aᵢ = aᵢbᵢᵀ, aᵢ ~ N(0, I_d1), bᵢ ~ N(0, I_d2): ⟨Aᵢ,M⟩ = aᵢᵀMbᵢ and E⟨Aᵢ,M⟩² = ‖M‖²_F. Matrix-free, m·(d1+d2) numbers.",
                  example: """
                  seed(1)
                  let A = rank_one_pairs(m: 100, d1: 5, d2: 3)
                  print(shape(A.measure(ones(5, 3))))  # expect: [100, 1]
                  """,
                  bytes: { m, d1, d2 in 8 * m * (d1 + d2) }) { m, d1, d2, rng in
                try RankOnePairEnsemble(m: m, rows: d1, cols: d2, rng: &rng)
            },
            Builtin(name: "sample_entries", doc: "Matrix completion Aᵢ = √(d1·d2)·e_j e_kᵀ with (j, k) uniform over the d1·d2 entries, drawn with replacement (replace: true) or distinct (replace: false, m ≤ d1·d2): E⟨Aᵢ,M⟩² = ‖M‖²_F. Matrix-free.",
                    parameters: [Parameter("m"), Parameter("d1"), Parameter("d2"), Parameter("replace", default: .bool(true))], example: """
                        seed(1)
                        let A = sample_entries(m: 20, d1: 5, d2: 4, replace: false)
                        print(A.name, A.m)  # expect: completion_distinct 20
                        """) { args in
                let (m, d1, d2) = (try args.integer("m"), try args.integer("d1"), try args.integer("d2"))
                let replace = try args.bool("replace")
                try args.reserve(8 * Double(m), for: "sample_entries(m: \(m))")
                return .object(MatrixEnsembleObject(try random.draw { rng in
                        replace ? try EntryEnsemble.completion(m: m, rows: d1, cols: d2, rng: &rng)
                            : try EntryEnsemble.completionWithoutReplacement(m: m, rows: d1, cols: d2, rng: &rng)
                    }))
            },
            Builtin(name: "bernoulli_entries", doc: "Matrix completion by a Bernoulli(p) mask: each entry (row-major) observed with probability p ∈ (0, 1], Aᵢ = √(d1·d2)·e_j e_kᵀ for the observed ones (m is random, ≈ p·d1·d2).",
                    parameters: [Parameter("d1"), Parameter("d2"), Parameter("p")], example: """
                        seed(1)
                        let A = bernoulli_entries(10, 10, p: 1)
                        print(A.m)  # expect: 100
                        """) { args in
                let (d1, d2, p) = (try args.integer("d1"), try args.integer("d2"), try args.number("p"))
                try args.reserve(8 * Double(d1) * Double(d2), for: "bernoulli_entries(\(d1), \(d2))")
                return .object(MatrixEnsembleObject(try random.draw { rng in try EntryEnsemble.bernoulli(p: p, rows: d1, cols: d2, rng: &rng) }))
            },
            Builtin(name: "observe_all", doc: "Full observation of a d1×d2 matrix: its d1·d2 entries, Aᵢ = √(d1·d2)·e_j e_kᵀ row-major, so the FGᵀ loss is ½‖M − M*‖²_F exactly.",
                    parameters: [Parameter("d1"), Parameter("d2")], example: """
                        let A = observe_all(2, 3)
                        print(A.m, round(A.measure([1, 0, 0; 0, 0, 0])[0], 10))  # expect: 6 2.4494897428
                        """) { args in
                let (d1, d2) = (try args.integer("d1"), try args.integer("d2"))
                try args.reserve(8 * Double(d1) * Double(d2), for: "observe_all(\(d1), \(d2))")
                return .object(MatrixEnsembleObject(try EntryEnsemble.full(rows: d1, cols: d2)))
            },
            Builtin(name: "given_entries", doc: "Matrix completion on given entries: a list of [row, col] pairs or a k×2 matrix (0-based), Aᵢ = √(d1·d2)·e_row e_colᵀ.",
                    parameters: [Parameter("entries"), Parameter("d1"), Parameter("d2")], example: """
                        let A = given_entries([[0, 1], [1, 0]], d1: 2, d2: 2)
                        print(A.measure([0, 1; 4, 0])')  # expect: [2, 8;]
                        """) { args in
                let (d1, d2) = (try args.integer("d1"), try args.integer("d2"))
                let pairs = try entryPairs(args["entries"])
                return .object(MatrixEnsembleObject(try EntryEnsemble.given(pairs, rows: d1, cols: d2)))
            },
            Builtin(name: "given_stack", doc: "The ensemble of given d1×d2 measurement matrices, not symmetrised: an (m, d1, d2) array (e.g. load(\"A.npy\")) or a list of d1×d2 matrices.",
                    parameters: [Parameter("A")], example: """
                        let A = given_stack([[1, 0; 0, 0; 0, 0], [0, 0; 0, 0; 0, 1]])
                        print(A)  # expect: ensemble(given_stack, m: 2, 3×2)
                        """) { args in
                let (elements, m, d1, d2) = try stack(args["A"])
                try args.reserve(8 * Double(elements.count), for: "given_stack(\(m) matrices of \(d1)×\(d2))")
                return .object(MatrixEnsembleObject(try DenseMatrixEnsemble.stack(elements, m: m, rows: d1, cols: d2)))
            },
        ]
    }

    /// `[[j, k], …]` or a k×2 matrix as integer pairs.
    private static func entryPairs(_ value: Value) throws -> [(Int, Int)] {
        func index(_ x: Double, _ i: Int) throws -> Int {
            guard let n = exactInteger(x) else { throw ScriptError("entry \(i) must hold integers, found \(Formatting.number(x))") }
            return n
        }
        switch value {
        case .matrix(let m) where m.cols == 2:
            return try (0..<m.rows).map { i in (try index(m[i, 0], i), try index(m[i, 1], i)) }
        case .list(let list):
            return try list.items.enumerated().map { i, item in
                guard case .list(let pair) = item, pair.items.count == 2,
                      case .number(let j) = pair.items[0], case .number(let k) = pair.items[1] else {
                    throw ScriptError("entry \(i) must be a [row, col] pair of numbers, found \(Formatting.display(item))")
                }
                return (try index(j, i), try index(k, i))
            }
        default:
            throw ScriptError("entries must be a list of [row, col] pairs or a k×2 matrix, not \(value.typeName)")
        }
    }

    /// The matrices of `given_stack(A)`, row-major `(m, d1, d2)`.
    private static func stack(_ value: Value) throws -> (elements: [Double], m: Int, d1: Int, d2: Int) {
        switch value {
        case .object(let array as ArrayObject):
            let shape = array.array.shape
            guard shape.count == 3, shape.allSatisfy({ $0 >= 1 }) else {
                throw ScriptError("\(array.path): measurement matrices must be an (m, d1, d2) array with every size ≥ 1, not shape (\(shape.map(String.init).joined(separator: ", ")))")
            }
            return (array.array.elements, shape[0], shape[1], shape[2])
        case .list(let list):
            var elements: [Double] = []
            var first: (Int, Int)?
            for (i, item) in list.items.enumerated() {
                guard case .matrix(let a) = item else { throw ScriptError("measurement \(i) must be a matrix, found \(item.typeName)") }
                let shape = first ?? (a.rows, a.cols)
                guard a.rows == shape.0, a.cols == shape.1 else {
                    throw ScriptError("measurement \(i) is \(a.rows)×\(a.cols) but the first is \(shape.0)×\(shape.1)")
                }
                first = shape
                elements += a.elements
            }
            guard let shape = first else { throw ScriptError("given_stack needs at least one measurement matrix") }
            return (elements, list.items.count, shape.0, shape.1)
        default:
            throw ScriptError("expected an (m, d1, d2) array or a list of d1×d2 matrices (one per measurement), got \(value.typeName)",
                              hint: "e.g. given_stack(load(\"A.npy\")) or given_stack([A1, A2, A3])")
        }
    }

    // MARK: Problem operations

    static func problems(_ random: RandomState) -> [Builtin] {
        [
            Builtin(name: "outliers", doc: "The problem with gross outliers: round(fraction·m) measurements, drawn without replacement, get scale·maxᵢ|yᵢ|·(±1) added (each sign with probability ½). Their indices are the problem's `outliers` field.",
                    parameters: [Parameter("problem"), Parameter("fraction"), Parameter("scale", default: .number(10))], example: """
                        seed(1)
                        let P = sensing(lowrank(6, 4, svals: [1]), iid_gaussian(m: 50, d1: 6, d2: 4))
                        print(len(outliers(P, 0.1, scale: 10).outliers))  # expect: 5
                        """) { args in
                let problem = try matrixProblem(args)
                let (fraction, scale) = (try args.number("fraction"), try args.number("scale"))
                return .object(MatrixProblemObject(try random.draw { rng in try problem.withOutliers(fraction: fraction, scale: scale, rng: &rng) }))
            },
            Builtin(name: "split", doc: "A random train/test split of a problem's measurements, as {train, test}: `test` is a count (≥ 1) or a fraction in (0, 1) of m (rounded); both keep the truth and their own yᵢ, in measurement order.",
                    parameters: [Parameter("problem"), Parameter("test")], example: """
                        seed(1)
                        let P = sensing(lowrank(6, 4, svals: [1]), iid_gaussian(m: 100, d1: 6, d2: 4))
                        let parts = split(P, test: 0.2)
                        print(parts.train.m, parts.test.m)  # expect: 80 20
                        """) { args in
                let problem = try matrixProblem(args)
                let test = try args.number("test")
                let m = Double(problem.ensemble.m)
                let count = test > 0 && test < 1 ? Int((test * m).rounded()) : try args.integer("test")
                let parts = try random.draw { rng in try problem.split(test: count, rng: &rng) }
                return .record(["train": .object(MatrixProblemObject(parts.train)), "test": .object(MatrixProblemObject(parts.test))])
            },
            Builtin(name: "subset", doc: "The problem restricted to the measurements at the given 0-based indices (a list or vector), in that order, with their yᵢ.",
                    parameters: [Parameter("problem"), Parameter("indices")], example: """
                        seed(1)
                        let P = sensing(lowrank(6, 4, svals: [1]), iid_gaussian(m: 100, d1: 6, d2: 4))
                        print(subset(P, [0, 5, 7]).m)  # expect: 3
                        """) { args in
                let problem = try matrixProblem(args)
                let indices = try SensingLibrary.numbers(args["indices"], "indices").enumerated().map { i, x in
                    guard let n = exactInteger(x) else { throw ScriptError("index \(i) must be an integer, found \(Formatting.number(x))") }
                    return n
                }
                return .object(MatrixProblemObject(try problem.subset(indices)))
            },
        ]
    }

    /// `x` as an `Int` when it is an integer of at most 2⁵³ in magnitude (exact in a Double).
    private static func exactInteger(_ x: Double) -> Int? {
        x.isFinite && x == x.rounded() && abs(x) <= 9_007_199_254_740_992 ? Int(x) : nil
    }

    /// The argument `problem`, a problem on d₁×d₂ matrices, or an error.
    static func matrixProblem(_ args: Arguments) throws -> MatrixProblem {
        guard case .object(let o as MatrixProblemObject) = args["problem"] else {
            throw ScriptError("argument 'problem' must be a problem on d1×d2 matrices (sensing(truth, A) with an ensemble such as iid_gaussian), got \(args["problem"].typeName)")
        }
        return o.problem
    }

    // MARK: Models and their initialisations

    static func models(_ random: RandomState) -> [Builtin] {
        [
            Builtin(name: "sym", doc: "The symmetric model M = UUᵀ from U (d×r), loss 1/(4m) Σᵢ rᵢ², ∇_U = ½(S + Sᵀ)U.",
                    parameters: [Parameter("U")], example: """
                        print(sym([1; 2]).matrix)  # expect: [1, 2; 2, 4]
                        """) { args in
                let u = try args.matrix("U")
                return .object(ModelObject(try FactorModel.symmetric(u)))
            },
            Builtin(name: "asym", doc: "The asymmetric model M = FGᵀ from F (d1×r) and G (d2×r), loss 1/(2m) Σᵢ rᵢ², ∇_F = SG, ∇_G = SᵀF with S = (1/m) Σᵢ rᵢAᵢ.",
                    parameters: [Parameter("F"), Parameter("G")], example: """
                        let model = asym([1; 2], [3; 4; 5])
                        print(model)  # expect: model(asymmetric, 2×3: F 2×1, G 3×1)
                        """) { args in
                let (f, g) = (try args.matrix("F"), try args.matrix("G"))
                return .object(ModelObject(try FactorModel.asymmetric(f: f, g: g)))
            },
            Builtin(name: "deep", doc: "The depth-N model M = W_N⋯W₁ from the list [W1, …, WN] (N ≥ 1; W1 is h×d2, WN d1×h'), loss 1/(2m) Σᵢ rᵢ², ∇_{W_j} = (W_N⋯W_{j+1})ᵀ S (W_{j−1}⋯W₁)ᵀ.",
                    parameters: [Parameter("W")], example: """
                        let model = deep([[1, 2;], [3; 4]])
                        print(model.matrix)  # expect: [3, 6; 4, 8]
                        """) { args in
                let ws = try args.list("W").items.enumerated().map { j, item in
                    guard case .matrix(let w) = item else { throw ScriptError("W\(j + 1) must be a matrix, found \(item.typeName)") }
                    return w
                }
                return .object(ModelObject(try FactorModel.deep(ws)))
            },
            Builtin(name: "lora", doc: "The low-rank adaptation M = W0 + BA with W0 (d1×d2) fixed, B (d1×r), A (r×d2): loss 1/(2m) Σᵢ rᵢ², ∇_B = SAᵀ, ∇_A = BᵀS.",
                    parameters: [Parameter("W0"), Parameter("B"), Parameter("A")], example: """
                        let model = lora(eye(2), zeros(2, 1), [1, 1;])
                        print(model.matrix)  # expect: [1, 0; 0, 1]
                        """) { args in
                let (w0, b, a) = (try args.matrix("W0"), try args.matrix("B"), try args.matrix("A"))
                return .object(ModelObject(try FactorModel.adapted(base: w0, b: b, a: a)))
            },
            Builtin(name: "deep_init", doc: """
                A depth-N model of d1×d2 matrices with inner width h (default max(d1, d2)): W1 h×d2, W_j h×h, WN d1×h. \
                kind "small": W_j = α·N(0,1) (drawn W1 first); "identity": α·I (ones on the main diagonal); \
                "orthogonal": α times the top-left block of a random orthogonal matrix; "balanced": the SVD PΣQᵀ of α·N(0,1)^{d1×d2} \
                split as WN = PΣ^{1/N}, W_j = Σ^{1/N}, W1 = Σ^{1/N}Qᵀ (zero-padded), so W_{j+1}ᵀW_{j+1} = W_jW_jᵀ.
                """,
                    parameters: [Parameter("d1"), Parameter("d2"), Parameter("depth"), Parameter("width", default: .nil),
                                 Parameter("kind", default: .string("small")), Parameter("alpha", default: .number(0.1))], example: """
                        let model = deep_init(4, 3, depth: 3, width: 5, kind: "identity", alpha: 1)
                        print(model)  # expect: model(deep, 4×3: W1 5×3, W2 5×5, W3 4×5)
                        """) { args in
                let (d1, d2, depth) = (try args.integer("d1"), try args.integer("d2"), try args.integer("depth"))
                let width: Int
                if case .nil = args["width"] { width = max(d1, d2) } else { width = try args.integer("width") }
                let kind = try args.option("kind", as: ModelInitialization.DeepKind.self)
                let alpha = try args.number("alpha")
                try args.reserve(8 * Double(max(depth, 0)) * Double(max(width, d1, d2)) * Double(max(width, d1, d2)), for: "deep_init(depth: \(depth), width: \(width))")
                return .object(ModelObject(try random.draw { rng in
                        try ModelInitialization.deep(rows: d1, cols: d2, depth: depth, width: width, kind: kind, alpha: alpha, rng: &rng)
                    }))
            },
            Builtin(name: "balanced_asym", doc: "A balanced FGᵀ model (FᵀF = GᵀG): the SVD PΣQᵀ of α·N(0,1)^{d1×d2} split as F = P_rΣ_r^{1/2}, G = Q_rΣ_r^{1/2}.",
                    parameters: [Parameter("d1"), Parameter("d2"), Parameter("r"), Parameter("alpha", default: .number(1e-3))], example: """
                        seed(1)
                        let model = balanced_asym(6, 4, r: 2, alpha: 0.1)
                        print(norm(model.F' @ model.F - model.G' @ model.G) < 1e-12)  # expect: true
                        """) { args in
                let (d1, d2, r, alpha) = (try args.integer("d1"), try args.integer("d2"), try args.integer("r"), try args.number("alpha"))
                try args.reserve(8 * Double(d1) * Double(d2) * 3, for: "balanced_asym(\(d1), \(d2), \(r))")
                return .object(ModelObject(try random.draw { rng in try ModelInitialization.balancedAsymmetric(rows: d1, cols: d2, rank: r, alpha: alpha, rng: &rng) }))
            },
            Builtin(name: "spectral_asym", doc: "The spectral FGᵀ initialisation: the top-r SVD PΣQᵀ of (1/m) Σᵢ yᵢAᵢ split as F = P_rΣ_r^{1/2}, G = Q_rΣ_r^{1/2}.",
                    parameters: [Parameter("problem"), Parameter("r")], example: """
                        seed(1)
                        let P = sensing(lowrank(8, 6, svals: [1]), observe_all(8, 6))
                        print(norm(spectral_asym(P, r: 1).matrix - P.truth.matrix) < 1e-12)  # expect: true
                        """) { args in
                let problem = try matrixProblem(args)
                let r = try args.integer("r")
                return .object(ModelObject(try ModelInitialization.spectralAsymmetric(problem, rank: r)))
            },
        ]
    }
}

/// `deep_init`'s `kind` as scripts spell it.
extension ModelInitialization.DeepKind: ScriptOption {}
