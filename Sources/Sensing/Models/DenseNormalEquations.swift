import CBLAS
import Tensor

/// The Gram route of a dense ensemble: with `a = vec(Aᵢ)` the rows of the `m×p` stack
/// (`p = d₁d₂`), `G = (1/m) Σᵢ aᵢaᵢᵀ` (`p×p`) and `b = (1/m) Σᵢ yᵢaᵢ` give
///
///     vec(S) = (1/m) Σᵢ (⟨aᵢ, vec M⟩ − yᵢ) aᵢ = G vec(M) − b
///
/// in `p²` multiply-adds per step instead of the rows pass's `2mp`, reading the `p(p+1)/2` numbers
/// of `G`'s upper triangle instead of the `mp` weights. Built once per run (`mp²` flops, `8p²`
/// bytes), it pays when that triangle holds at most 4/5 of the weights and at least `2p` steps go
/// unrecorded (``pays(ensemble:unrecordedSteps:)``); recorded steps still take the rows pass,
/// whose exact loss and residuals the trace shows.
///
/// With `x = vec(M)`, `s = Gx − b` and `c = (1/m) Σᵢ yᵢ²`, the same numbers give the loss:
///
///     (1/m) Σᵢ rᵢ² = xᵀGx − 2bᵀx + c = xᵀ(s − b) + c
///
/// a difference of numbers of size `c`, so a run uses it only to tell that a stop (a loss
/// tolerance, the blow-up limit) is not yet near, with the bound (``lossEstimate(_:adjoint:)``)
///
///     |estimate − (1/m) Σᵢ r̂ᵢ²| ≤ γ·(6S² + 11S√c + 5c),   S = Σₖ √G_kk |x_k|,   γ = 2(m + p + 4)·2⁻⁵³
///
/// where `r̂ᵢ` are the rows pass's computed residuals (what a stop compares). `G` is a Gram
/// matrix, so `|G_jk| ≤ √(G_jj G_kk)` and `|b_k| ≤ √(G_kk c)` (Cauchy–Schwarz); the first-order
/// rounding of building `G`, `b` and `c` (sums of `m` terms), of the product `Gx − b` and of the
/// final dot (`p + 1` terms each) bounds the estimate's error by `γ(3S² + 5S√c + 2c)`, and that of
/// the rows pass's residuals and their sum of squares bounds its error by `γ(3S² + 6S√c + 3c)`;
/// the factor 2 in `γ` covers the second-order terms.
struct DenseNormalEquations {
    let m: Int
    let p: Int
    /// The upper triangle of `G`, row-major `p×p`.
    let gram: [Double]
    /// `b`.
    let b: [Double]
    /// `c = (1/m) Σᵢ yᵢ²`.
    let c: Double
    /// `√G_kk`, for the bound of ``lossEstimate(_:adjoint:)``.
    let rootDiagonal: [Double]

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

    /// `8p²` bytes: what ``init(ensemble:y:)`` allocates.
    static func bytes(_ ensemble: DenseMatrixEnsemble) -> Double {
        8 * Double(ensemble.rows * ensemble.cols) * Double(ensemble.rows * ensemble.cols)
    }

    init(ensemble: DenseMatrixEnsemble, y: [Double]) {
        let (m, p) = (ensemble.m, ensemble.rows * ensemble.cols)
        var gram = [Double](repeating: 0, count: p * p)
        var b = [Double](repeating: 0, count: p)
        ensemble.weights.withUnsafeBufferPointer { pa in
            gram.withUnsafeMutableBufferPointer { pg in
                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(p), Int32(m), 1 / Double(m),
                            pa.baseAddress, Int32(p), 0, pg.baseAddress, Int32(p))
            }
            y.withUnsafeBufferPointer { py in
                b.withUnsafeMutableBufferPointer { pb in
                    gemvRaw(pa.baseAddress, rows: m, cols: p, py.baseAddress, pb.baseAddress, transpose: true, alpha: 1 / Double(m))
                }
            }
        }
        self.m = m
        self.p = p
        self.gram = gram
        self.b = b
        self.c = y.reduce(0) { $0 + $1 * $1 } / Double(m)
        self.rootDiagonal = (0..<p).map { gram[$0 * p + $0].squareRoot() }
    }

    /// Charges the product (``chargeProduct(_:)``), writes `S` into `s` as ``adjoint(_:into:)``
    /// does, and returns whether every entry of `S` is finite.
    func finiteAdjoint(_ x: Matrix, into s: inout Matrix, charging ensemble: any MatrixEnsemble) throws(SensingError) -> Bool {
        try chargeProduct(ensemble)
        adjoint(x, into: &s)
        return s.elements.allSatisfy(\.isFinite)
    }

    /// Writes `S = mat(G vec(M) − b)` into `s` (already `d₁×d₂`).
    func adjoint(_ x: Matrix, into s: inout Matrix) {
        gram.withUnsafeBufferPointer { pg in
            b.withUnsafeBufferPointer { pb in
                x.withUnsafeElements { px in
                    s.withUnsafeMutableElements { ps in
                        guard let out = ps.baseAddress, let bb = pb.baseAddress else { return }
                        out.update(from: bb, count: p)
                        cblas_dsymv(CblasRowMajor, CblasUpper, Int32(p), 1, pg.baseAddress, Int32(p),
                                    px.baseAddress, 1, -1, out, 1)
                    }
                }
            }
        }
    }

    /// The estimate of `(1/m) Σᵢ rᵢ²` at `x` = vec(`m`) from `s` = mat(`G vec(M) − b`) (what
    /// ``adjoint(_:into:)`` wrote), and its rounding bound (the type's comment).
    func lossEstimate(_ x: Matrix, adjoint s: Matrix) -> (sumSquares: Double, bound: Double) {
        x.withUnsafeElements { px in
            s.withUnsafeElements { ps in
                var sum = 0.0, scale = 0.0
                for k in 0..<p {
                    sum += px[k] * (ps[k] - b[k])
                    scale += rootDiagonal[k] * abs(px[k])
                }
                let gamma = 2 * Double(m + p + 4) * 0x1p-53
                let root = c.squareRoot()
                return (sum + c, gamma * (6 * scale * scale + 11 * scale * root + 5 * c))
            }
        }
    }
}
