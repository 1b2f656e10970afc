import Tensor

/// The rank-one ensemble `Aᵢ = aᵢ aᵢᵀ` with `aᵢ ~ N(0, I_d)`, stored matrix-free as the `m×d`
/// matrix `𝐚` whose rows are the `aᵢ`.
///
///     ⟨aᵢaᵢᵀ, UUᵀ⟩ = ‖Uᵀ aᵢ‖²,     ∇f(U) = (1/m) Σᵢ rᵢ aᵢ (aᵢᵀ U) = (1/m) 𝐚ᵀ diag(r) 𝐚 U,
///
/// so a gradient step costs `O(m·d·r)` (two dgemm) instead of `O(m·d²)`.
/// Normalisation: for symmetric `Z`, `E⟨aaᵀ, Z⟩² = (tr Z)² + 2‖Z‖²_F`.
public struct RankOneOperator: SensingOperator {
    public let d: Int
    public let m: Int
    public var name: String { "rank1" }
    /// The `m×d` matrix of the vectors `aᵢ` (row `i` is `aᵢ`).
    public let vectors: Matrix

    /// `m` vectors `aᵢ ~ N(0, I_d)`, drawn row by row from `rng`.
    public init(m: Int, d: Int, rng: inout Xoshiro256) throws(SensingError) {
        try checkSizes(m: m, d: d, "the rank-one ensemble")
        let a = try tensor { () throws(TensorError) in try rng.normalMatrix(rows: m, cols: d) }
        self.init(unchecked: a)
    }

    /// The operator with given vectors: row `i` of `vectors` is `aᵢ`.
    public init(vectors: Matrix) throws(SensingError) {
        try checkSizes(m: vectors.rows, d: vectors.cols, "the rank-one ensemble")
        try requireFinite(vectors, "a")
        self.init(unchecked: vectors)
    }

    private init(unchecked a: Matrix) {
        vectors = a
        m = a.rows
        d = a.cols
    }

    /// `⟨aᵢaᵢᵀ, Z⟩ = aᵢᵀ Z aᵢ` for every `i` (using `(Z + Zᵀ)/2`).
    public func measure(_ z: Matrix) throws(SensingError) -> [Double] {
        try checkSquare(z)
        let az = try tensor { () throws(TensorError) in try vectors.matmul(z.symmetrized) }
        return Matrix.rowDotsUnchecked(az, vectors)
    }

    /// `(1/m) Σᵢ rᵢ aᵢ aᵢᵀ = (1/m) 𝐚ᵀ diag(r) 𝐚`.
    public func adjoint(_ r: [Double]) throws(SensingError) -> Matrix {
        try checkWeights(r)
        var scaled = vectors
        for i in 0..<m {
            for j in 0..<d { scaled[i, j] *= r[i] / Double(m) }
        }
        return try tensor { () throws(TensorError) in try Matrix.gemm(vectors, scaled, transposeA: true) }
    }

    public func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix {
        try checkIndex(i)
        var out = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, d) }
        for j in 0..<d {
            for k in 0..<d { out[j * d + k] = vectors[i, j] * vectors[i, k] }
        }
        return Matrix(uncheckedRows: d, cols: d, elements: out)
    }

    /// `(tr Z)² + 2‖Z‖²_F` (Isserlis' theorem for Gaussian `a`).
    public func expectedSquaredMeasurement(_ z: Matrix) -> Double? {
        var trace = 0.0
        for j in 0..<min(z.rows, z.cols) { trace += z[j, j] }
        let n = z.frobeniusNorm
        return trace * trace + 2 * n * n
    }

    /// Debiased: `E[(1/m) Σ yᵢ aᵢaᵢᵀ] = tr(Z*) I + 2 Z*` and `E yᵢ = tr Z*`, so the estimate is
    /// `((1/m) Σᵢ yᵢ aᵢaᵢᵀ − ȳ I) / 2` with `ȳ = (1/m) Σᵢ yᵢ`.
    public func spectralEstimate(_ y: [Double]) throws(SensingError) -> Matrix {
        var est = try adjoint(y)
        let mean = y.reduce(0, +) / Double(m)
        for i in 0..<d { est[i, i] -= mean }
        for t in 0..<(d * d) { est[t / d, t % d] /= 2 }
        return est
    }

    /// Kernel: `B = 𝐚 U` (dgemm, `m×r`), `rᵢ = ‖Bᵢ‖² − yᵢ`, `Bᵢ ← (rᵢ/m) Bᵢ`, `∇f = 𝐚ᵀ B` (dgemm).
    public func lossAndGradient(
        _ u: Matrix, _ y: [Double], gradient: inout Matrix, workspace ws: inout SensingWorkspace
    ) throws(SensingError) -> Double {
        let (d, m, r) = (self.d, self.m, u.cols)
        try charge(RunBudget.operations(2, m, d, r), "a loss and gradient")
        SensingWorkspace.ensure(&ws.scratch, m * r)
        SensingWorkspace.ensure(&ws.residuals, m)
        var sumSquares = 0.0
        vectors.withUnsafeElements { pa in
            u.withUnsafeElements { pu in
                ws.scratch.withUnsafeMutableBufferPointer { pb in
                    gemmRaw(pa.baseAddress, pu.baseAddress, pb.baseAddress, m: m, n: r, k: d)
                    ws.residuals.withUnsafeMutableBufferPointer { pr in
                        let invM = 1 / Double(m)
                        for i in 0..<m {
                            var s = 0.0
                            for k in 0..<r { s += pb[i * r + k] * pb[i * r + k] }
                            let res = s - y[i]
                            pr[i] = res
                            sumSquares += res * res
                            for k in 0..<r { pb[i * r + k] *= res * invM }
                        }
                    }
                    gradient.withUnsafeMutableElements { pg in
                        gemmRaw(pa.baseAddress, pb.baseAddress, pg.baseAddress, m: d, n: r, k: m, transposeA: true)
                    }
                }
            }
        }
        return sumSquares / (4 * Double(m))
    }
}
