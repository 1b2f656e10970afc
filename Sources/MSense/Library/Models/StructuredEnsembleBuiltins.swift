import Sensing
import Tensor

/// The structured ensembles of d₁×d₂ matrices, for sizes where no dense stack fits: subsampled
/// randomized Hadamard measurements (``HadamardEnsemble``), drawn from the seeded stream or
/// given. Formulas in docs/sensing.md ("Structured measurements for large d").
enum StructuredEnsembleBuiltins {
    static func builtins(_ random: RandomState) -> [Builtin] {
        [
            Builtin(name: "hadamard", doc: """
                Subsampled randomized Hadamard measurements of vec(M): with P = d1·d2 padded to N = 2^⌈log₂P⌉, D = diag(σ) \
                random signs and H_N the ±1 Walsh–Hadamard matrix, ⟨Aᵢ, M⟩ = (H_N D pad(vec M))_{sᵢ} = √N·(H D pad(vec M))_{sᵢ} \
                (H = H_N/√N orthonormal) for m distinct rows sᵢ. Every entry of Aᵢ is ±1 and E⟨Aᵢ,M⟩² = ‖M‖²_F exactly. \
                Matrix-free: d1·d2 signs and m rows are stored, and a pass costs one fast transform, N·log₂N additions. \
                Draws the signs (row-major) first, then the rows (partial Fisher–Yates over 0…N−1).
                """,
                    parameters: [Parameter("m", doc: "the number of measurements, 1 ≤ m ≤ N (distinct rows of H_N)"),
                                 Parameter("d1", doc: "rows of the measured matrices"), Parameter("d2", doc: "columns of the measured matrices")],
                    example: """
                        seed(1)
                        let A = hadamard(m: 16, d1: 4, d2: 4)  # all 16 rows of the 16-point transform
                        let M = [1, 2, 0, 0; 0, 1, 0, 3; 0, 0, 0, 0; 1, 0, 0, 1]
                        print(A)  # expect: ensemble(hadamard, m: 16, 4×4)
                        let y = A.measure(M)
                        print(round(sum(y * y) / A.m, 10), sum(M * M))  # expect: 17 17
                        """) { args in
                let (m, d1, d2) = (try args.integer("m"), try args.integer("d1"), try args.integer("d2"))
                let bytes = try HadamardEnsemble.requiredBytes(m: m, rows: d1, cols: d2)
                try args.reserve(Double(bytes), for: "the ensemble of \(m) measurements of \(d1)×\(d2) matrices")
                return .object(MatrixEnsembleObject(try random.draw { rng in try HadamardEnsemble.draw(m: m, rows: d1, cols: d2, rng: &rng) }))
            },
            Builtin(name: "given_hadamard", doc: """
                The Hadamard ensemble of hadamard(m, d1, d2) with its draw given: d1·d2 signs (each −1 or +1, row-major over M) \
                and the 0-based rows sᵢ of H_N (each in 0…N−1, N = d1·d2 padded to a power of two; repeats allowed), \
                e.g. to replay measurements made elsewhere: ⟨Aᵢ, M⟩ = (H_N D pad(vec M))_{sᵢ}.
                """,
                    parameters: [Parameter("signs", doc: "d1·d2 signs σ, a list or vector of −1 and +1"),
                                 Parameter("indices", doc: "the rows sᵢ of H_N, a list or vector of integers"),
                                 Parameter("d1"), Parameter("d2")],
                    example: """
                        let A = given_hadamard([1, -1, 1, 1], indices: [0, 3], d1: 2, d2: 2)
                        print(A.measure([1, 2; 3, 4])')  # expect: [6, 4;]
                        """) { args in
                let (d1, d2) = (try args.integer("d1"), try args.integer("d2"))
                let signs = try SensingLibrary.numbers(args["signs"], "signs")
                let indices = try SensingLibrary.numbers(args["indices"], "indices").enumerated().map { i, x in
                    guard x.isFinite, x == x.rounded(), abs(x) <= 9_007_199_254_740_992 else {
                        throw ScriptError("index \(i) must be an integer, found \(Formatting.number(x))")
                    }
                    return Int(x)
                }
                return .object(MatrixEnsembleObject(try HadamardEnsemble.given(signs: signs, selectedRows: indices, rows: d1, cols: d2)))
            },
        ]
    }
}
