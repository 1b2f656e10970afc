import CBLAS
import Tensor

/// The Gram route of a dense ensemble: with `a = vec(Aᵢ)` the rows of the `m×p` stack
/// (`p = d₁d₂`), `G = (1/m) Σᵢ aᵢaᵢᵀ` (`p×p`) and `b = (1/m) Σᵢ yᵢaᵢ` give
///
///     vec(S) = (1/m) Σᵢ (⟨aᵢ, vec M⟩ − yᵢ) aᵢ = G vec(M) − b
///
/// in `p²` multiply-adds per step instead of the rows pass's `2mp`. Built once per run (`mp²`
/// flops, `8p²` bytes), it pays when `p ≤ m/2` and at least `2p` steps go unrecorded
/// (``pays(ensemble:unrecordedSteps:)``); recorded steps still take the rows pass, whose exact
/// loss and residuals the trace shows.
struct DenseNormalEquations {
    let p: Int
    /// The upper triangle of `G`, row-major `p×p`.
    let gram: [Double]
    /// `b`.
    let b: [Double]

    /// Whether building `G` repays itself on a run with `unrecordedSteps` unrecorded steps.
    static func pays(ensemble: DenseMatrixEnsemble, unrecordedSteps: Int) -> Bool {
        let p = ensemble.rows * ensemble.cols
        return 2 * p <= ensemble.m && unrecordedSteps >= 2 * p
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
        self.p = p
        self.gram = gram
        self.b = b
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
}
