import Tensor

/// A ground truth `M*` of any shape `d₁×d₂`, described by its singular value decomposition
/// `M* = Σₖ σₖ pₖ qₖᵀ` (σ₁ ≥ σ₂ ≥ … ≥ 0), computed once.
///
/// The rank `k*` is the number of singular values above `1e-10 · max(1, σ₁)`; the best rank-`j`
/// approximations `M*ⱼ = Σ_{k≤j} σₖ pₖ qₖᵀ` (Eckart–Young) are the `dist` targets of a model run.
public struct MatrixTruth: Sendable {
    /// `M*`.
    public let matrix: Matrix
    /// σ₁ ≥ … ≥ σ_{min(d₁,d₂)}.
    public let singularValues: [Double]
    /// `k*`.
    public let rank: Int
    let svd: SVD

    /// `d₁`.
    public var rows: Int { matrix.rows }
    /// `d₂`.
    public var cols: Int { matrix.cols }

    /// `M*` given explicitly (any finite `d₁×d₂` matrix, `d₁, d₂ ≥ 1`).
    public init(matrix: Matrix) throws(SensingError) {
        guard matrix.rows >= 1, matrix.cols >= 1 else {
            throw .shapeMismatch("a ground truth needs at least one row and one column, not \(shapeText(matrix.rows, matrix.cols))")
        }
        try requireFinite(matrix, "M*")
        let svd = try tensor { () throws(TensorError) in try SVD(matrix) }
        self.matrix = matrix
        self.svd = svd
        singularValues = svd.singularValues
        let threshold = 1e-10 * max(1, svd.singularValues.first ?? 0)
        rank = svd.singularValues.filter { $0 > threshold }.count
    }

    /// The rectangular truth `M* = P diag(s) Qᵀ` (`d₁×d₂`, rank `k = s.count`), `P` the first `k`
    /// columns of the `Q` factor of the QR of a `d₁×d₁` N(0,1) matrix, then `Q` likewise from a
    /// `d₂×d₂` one (drawn in that order): its singular values are exactly `s`.
    ///
    /// - Throws: unless `d₁, d₂ ≥ 1`, `k ≤ min(d₁, d₂)` and every `sₖ > 0` is finite.
    public init(singularValues s: [Double], rows: Int, cols: Int, rng: inout Xoshiro256) throws(SensingError) {
        guard rows >= 1, cols >= 1 else {
            throw .invalidArgument("the dimensions d1 and d2 must be at least 1, not \(rows) and \(cols)")
        }
        guard s.count <= min(rows, cols) else {
            throw .invalidArgument("\(s.count) singular values were given but a \(shapeText(rows, cols)) matrix has at most \(min(rows, cols))")
        }
        try requireFinite(s, "singular value ") { "\($0 + 1)" }
        if let bad = s.firstIndex(where: { $0 <= 0 }) {
            throw .invalidArgument("singular value \(bad + 1) is \(s[bad]); singular values must be > 0")
        }
        let p = try Self.orthonormalColumns(rows, s.count, rng: &rng)
        let q = try Self.orthonormalColumns(cols, s.count, rng: &rng)
        var ps = p
        for i in 0..<rows { for k in 0..<s.count { ps[i, k] *= s[k] } }
        try self.init(matrix: Matrix.gemmUnchecked(ps, q, transposeB: true))
    }

    /// The symmetric, possibly indefinite truth `M* = V diag(λ) Vᵀ` (`d×d`), `V` the first
    /// `λ.count` columns of the `Q` factor of the QR of a `d×d` N(0,1) matrix; its eigenvalues are
    /// `λ` (any signs), its singular values `|λ|`.
    public init(eigenvalues lambda: [Double], d: Int, rng: inout Xoshiro256) throws(SensingError) {
        guard d >= 1 else { throw .invalidArgument("the dimension d must be at least 1, not \(d)") }
        guard lambda.count <= d else {
            throw .invalidArgument("\(lambda.count) eigenvalues were given but d = \(d) allows at most \(d)")
        }
        try requireFinite(lambda, "eigenvalue ") { "\($0 + 1)" }
        let v = try Self.orthonormalColumns(d, lambda.count, rng: &rng)
        var vl = v
        for i in 0..<d { for k in 0..<lambda.count { vl[i, k] *= lambda[k] } }
        try self.init(matrix: Matrix.gemmUnchecked(vl, v, transposeB: true).symmetrized)
    }

    /// The first `k` columns of the `Q` factor of the QR of an `n×n` N(0,1) matrix.
    static func orthonormalColumns(_ n: Int, _ k: Int, rng: inout Xoshiro256) throws(SensingError) -> Matrix {
        let g = try tensor { () throws(TensorError) in try rng.normalMatrix(rows: n, cols: n) }
        let q = try tensor { () throws(TensorError) in try QR(g).q }
        return try tensor { () throws(TensorError) in try q.submatrix(rows: 0..<n, cols: 0..<k) }
    }

    /// `M*ⱼ`, the best rank-`j` approximation (`j = 0` gives zero, `j ≥ min(d₁, d₂)` gives `M*`).
    public func bestRankK(_ j: Int) throws(SensingError) -> Matrix {
        guard j >= 0 else { throw .invalidArgument("the rank k must be ≥ 0, not \(j)") }
        var out = [Double](repeating: 0, count: rows * cols)
        for t in 0..<min(j, singularValues.count) { addTerm(t, to: &out) }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    /// `M*₁, …, M*ⱼ` (`j ≤ min(d₁, d₂)`) in one sweep: each is the one before plus σₜ pₜ qₜᵀ, the
    /// same sums in the same order as ``bestRankK(_:)``, in `j·d₁d₂` operations instead of
    /// `j²·d₁d₂/2`.
    public func bestRankApproximations(upTo j: Int) -> [Matrix] {
        var out = [Double](repeating: 0, count: rows * cols)
        var approximations: [Matrix] = []
        for t in 0..<min(max(j, 0), singularValues.count) {
            addTerm(t, to: &out)
            approximations.append(Matrix(uncheckedRows: rows, cols: cols, elements: out))
        }
        return approximations
    }

    /// `out[i, c] += (σₜ pᵢₜ) qₜ_c` for every entry, the term `t` of `M* = Σₜ σₜ pₜ qₜᵀ`.
    private func addTerm(_ t: Int, to out: inout [Double]) {
        let (rows, cols, inner) = (self.rows, self.cols, svd.u.cols)
        let s = singularValues[t]
        svd.u.elements.withUnsafeBufferPointer { u in
            svd.vt.elements.withUnsafeBufferPointer { vt in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<rows {
                        let ui = s * u[i * inner + t]
                        for c in 0..<cols { o[i * cols + c] += ui * vt[t * cols + c] }
                    }
                }
            }
        }
    }

    /// `‖M*‖_F`.
    public var frobeniusNorm: Double { matrix.frobeniusNorm }
}
