import Tensor

/// The Gram route of a dense ensemble: with `a = vec(Aᵢ)` the rows of the `m×p` stack
/// (`p = d₁d₂`), `G = Σᵢ aᵢaᵢᵀ` (`p×p`) and `b = Σᵢ yᵢaᵢ` give
///
///     vec(S) = (1/m) Σᵢ (⟨aᵢ, vec M⟩ − yᵢ) aᵢ = (G vec(M) − b)/m
///
/// in `p²` multiply-adds per step instead of the rows pass's `2mp`, reading the upper triangle of
/// `G` (about `p(p+1)/2` numbers) instead of the `mp` weights. `G` is the symmetric ensemble's
/// ``BlockedGram64`` built from these rows: summed in float64 by panels on all cores, stored by
/// blocks of its upper triangle, its products in 16 fixed chunks with the CKernels' fixed order,
/// so the bits are the same on every machine, CPU level and thread count. Built by the first run
/// that takes the route (`mp²` flops) and kept with the ensemble for later runs, it pays when that
/// triangle holds at most 4/5 of the weights and at least `2p` steps go unrecorded
/// (``pays(ensemble:unrecordedSteps:)``); recorded steps still take the rows pass, whose exact
/// loss and residuals the trace shows.
///
/// With `x = vec(M)`, `s = Gx − b` and `c = Σᵢ yᵢ²`, the same numbers give the loss:
///
///     Σᵢ rᵢ² = xᵀGx − 2bᵀx + c = xᵀ(s − b) + c
///
/// a difference of numbers of size `c`, so a run uses it only to tell that a stop (a loss
/// tolerance, the blow-up limit) is not yet near, with the bound (``lossEstimate(_:adjoint:)``)
///
///     |estimate − Σᵢ r̂ᵢ²| ≤ γ·(6S² + 11S√c + 5c),   S = Σₖ √G_kk |x_k|,   γ = 2(m + p + 4)·2⁻⁵³
///
/// where `r̂ᵢ` are the rows pass's computed residuals (what a stop compares). `G` is a Gram
/// matrix, so `|G_jk| ≤ √(G_jj G_kk)` and `|b_k| ≤ √(G_kk c)` (Cauchy–Schwarz); the first-order
/// rounding of building `G`, `b` and `c` (sums of `m` terms), of the product `Gx − b` and of the
/// final dot (`p + 1` terms each) bounds the estimate's error by `γ(3S² + 5S√c + 2c)`, and that of
/// the rows pass's residuals and their sum of squares bounds its error by `γ(3S² + 6S√c + 3c)`;
/// the factor 2 in `γ` covers the second-order terms.
final class DenseNormalEquations {
    let m: Int
    let p: Int
    /// `G`, by blocks of its upper triangle.
    let gram: BlockedGram64
    /// `b`.
    let b: [Double]
    /// `c = Σᵢ yᵢ²`.
    let c: Double
    /// The product's scratch: `Gx`, then the chunks' partial products.
    private var scratch: [Double]

    /// Whether building `G` repays itself on a run with `unrecordedSteps` unrecorded steps: the
    /// product reads `G`'s upper triangle, used when that holds at most 4/5 of the rows' `mp`
    /// weights. Both routes do about one multiply-add per number read; measured at d = 10–30
    /// (docs/performance.md) the Gram route was already faster at `m = p/2`, so the margin pays
    /// for building `G`.
    static func pays(ensemble: DenseMatrixEnsemble, unrecordedSteps: Int) -> Bool {
        let p = ensemble.rows * ensemble.cols
        // p(p+1)/2 ≤ (4/5)·m·p, that is 5(p + 1) ≤ 8m.
        return 5 * (p + 1) <= 8 * ensemble.m && unrecordedSteps >= 2 * p
    }

    /// The bytes building `G` takes (`G` itself and the build's scratch), or `nil` on overflow.
    static func bytes(_ ensemble: DenseMatrixEnsemble) -> Int? {
        PackedGramBuild.buildBytes(p: ensemble.rows * ensemble.cols, float32: false)
    }

    /// The normal equations of `ensemble` with targets `y`, or `nil` if `cancelled` returned true
    /// while `G` was built.
    init?(ensemble: DenseMatrixEnsemble, y: [Double], cancelled: (() -> Bool)? = nil) {
        let (m, p) = (ensemble.m, ensemble.rows * ensemble.cols)
        var b = [Double](repeating: 0, count: p)
        let gram = ensemble.weights.withUnsafeBufferPointer { pa -> BlockedGram64? in
            guard let a = pa.baseAddress else { return nil }
            y.withUnsafeBufferPointer { py in
                b.withUnsafeMutableBufferPointer { pb in
                    guard let coefficients = py.baseAddress, let out = pb.baseAddress else { return }
                    DenseRowProducts.adjoint(a, m: m, p: p, coefficients: coefficients, scale: 1, into: out)
                }
            }
            let kept = try? ensemble.gramCache.get(orBuild: { () -> (any PackedGram)? in
                BlockedGram64(rows: .float64(a), m: m, p: p, cancelled: cancelled)
            })
            return kept.flatMap { $0 as? BlockedGram64 }
        }
        guard let gram else { return nil }
        self.m = m
        self.p = p
        self.gram = gram
        self.b = b
        self.c = y.reduce(0) { $0 + $1 * $1 }
        self.scratch = [Double](repeating: 0, count: p + PackedGramBuild.scratchCount(p: p))
    }

    /// Charges the product (``chargeProduct(_:)``), writes `S` into `s` as ``adjoint(_:into:)``
    /// does, and returns whether every entry of `S` is finite.
    func finiteAdjoint(_ x: Matrix, into s: inout Matrix, charging ensemble: any MatrixEnsemble) throws(SensingError) -> Bool {
        try chargeProduct(ensemble)
        adjoint(x, into: &s)
        return s.elements.allSatisfy(\.isFinite)
    }

    /// Writes `S = mat(G vec(M) − b)/m` into `s` (already `d₁×d₂`).
    func adjoint(_ x: Matrix, into s: inout Matrix) {
        let (p, m) = (self.p, Double(self.m))
        scratch.withUnsafeMutableBufferPointer { work in
            guard let product = work.baseAddress else { return }
            x.withUnsafeElements { px in
                guard let input = px.baseAddress else { return }
                gram.multiply(input, into: product, partials: product + p)
            }
            s.withUnsafeMutableElements { ps in
                for k in 0..<p { ps[k] = (product[k] - b[k]) / m }
            }
        }
    }

    /// The estimate of `(1/m) Σᵢ rᵢ²` at the matrix `x` (M) from `S = mat((G vec(M) − b)/m)` (what
    /// ``adjoint(_:into:)`` wrote; `Gx − b` taken back as `m·S`, three roundings from it, well
    /// inside the factor 2 of `γ`), and its rounding bound (the type's comment), both divided by `m`.
    func lossEstimate(_ x: Matrix, adjoint s: Matrix) -> (sumSquares: Double, bound: Double) {
        let m = Double(self.m)
        return x.withUnsafeElements { px in
            s.withUnsafeElements { ps in
                var sum = 0.0, scale = 0.0
                for k in 0..<p {
                    sum += px[k] * (m * ps[k] - b[k])
                    scale += gram.rootDiagonal[k] * abs(px[k])
                }
                let gamma = 2 * Double(self.m + p + 4) * 0x1p-53
                let root = c.squareRoot()
                return ((sum + c) / m, gamma * (6 * scale * scale + 11 * scale * root + 5 * c) / m)
            }
        }
    }
}
