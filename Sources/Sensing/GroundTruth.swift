import Tensor

/// The ground truth `Z* = X* X*ᵀ`: a symmetric positive semidefinite `d×d` matrix.
///
/// Its eigendecomposition `Z* = Σₖ λₖ vₖ vₖᵀ` (λ₁ ≥ λ₂ ≥ … ≥ λ_d) is computed once. The rank
/// `r*` is counted as the NumPy reference does: the number of eigenvalues
/// `λₖ > 1e-10 · max(1, maxᵢⱼ |Z*ᵢⱼ|)`.
public struct GroundTruth: Sendable {
    /// The matrix `Z*` (exactly symmetric).
    public let matrix: Matrix
    /// The eigenvalues of `Z*`, largest first.
    public let eigenvalues: [Double]
    /// Orthonormal eigenvectors of `Z*` as columns, in the order of `eigenvalues`.
    public let eigenvectors: Matrix
    /// `r*`: the number of eigenvalues above `1e-10 · max(1, maxᵢⱼ |Z*ᵢⱼ|)`.
    public let rank: Int

    /// The dimension `d`.
    public var d: Int { matrix.rows }

    /// `Z* = V diag(λ) Vᵀ` with `V` the first `k = eigenvalues.count` columns of the `Q` factor of
    /// the QR factorisation of a `d×d` matrix of i.i.d. N(0, 1) draws from `rng` (a uniformly
    /// random orthonormal basis, as in the reference).
    ///
    /// - Throws: if `d < 1`, more eigenvalues than `d` are given, or one is negative or not finite.
    public init(eigenvalues lambda: [Double], d: Int, rng: inout Xoshiro256) throws(SensingError) {
        guard d >= 1 else { throw .invalidArgument("the dimension d must be at least 1, not \(d)") }
        guard lambda.count <= d else {
            throw .invalidArgument("\(lambda.count) eigenvalues were given but d = \(d) allows at most \(d)")
        }
        try requireFinite(lambda, "eigenvalue ") { "\($0 + 1)" }
        if let k = lambda.firstIndex(where: { $0 < 0 }) {
            throw .notPSD("eigenvalue \(k + 1) is \(lambda[k]); a ground truth needs eigenvalues ≥ 0")
        }
        let g = try tensor { () throws(TensorError) in try rng.normalMatrix(rows: d, cols: d) }
        let q = try tensor { () throws(TensorError) in try QR(g).q }
        var vl = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, lambda.count) }
        var v = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, lambda.count) }
        for i in 0..<d {
            for k in 0..<lambda.count {
                v[i * lambda.count + k] = q[i, k]
                vl[i * lambda.count + k] = q[i, k] * lambda[k]
            }
        }
        let vm = Matrix(uncheckedRows: d, cols: lambda.count, elements: v)
        let vlm = Matrix(uncheckedRows: d, cols: lambda.count, elements: vl)
        let z = try tensor { () throws(TensorError) in try Matrix.gemm(vlm, vm, transposeB: true) }
        try self.init(checked: z.symmetrized)
    }

    /// `Z* = X Xᵀ` for a `d×r` factor `X`.
    public init(factor x: Matrix) throws(SensingError) {
        guard x.rows >= 1 else { throw .invalidArgument("the factor X must have at least one row") }
        try requireFinite(x, "X")
        try self.init(checked: try tensor { () throws(TensorError) in try x.outerGram() }.symmetrized)
    }

    /// `Z*` given explicitly. It must be square, finite, symmetric within
    /// `tolerance · max(1, maxᵢⱼ |Zᵢⱼ|)` and PSD: its smallest eigenvalue must be at least
    /// `−tolerance · max(1, maxᵢⱼ |Zᵢⱼ|)`. The stored matrix is `(Z + Zᵀ)/2`.
    public init(matrix z: Matrix, tolerance: Double = 1e-10) throws(SensingError) {
        guard z.rows == z.cols, z.rows >= 1 else {
            throw .shapeMismatch("a ground truth must be a square d×d matrix with d ≥ 1, not \(shapeText(z.rows, z.cols))")
        }
        try requireFinite(z, "Z*")
        let scale = max(1, z.elements.map(abs).max() ?? 0)
        var worst = (0.0, 0, 0)
        for i in 0..<z.rows {
            for j in (i + 1)..<max(z.cols, i + 1) where abs(z[i, j] - z[j, i]) > worst.0 {
                worst = (abs(z[i, j] - z[j, i]), i, j)
            }
        }
        guard worst.0 <= tolerance * scale else {
            throw .notPSD(
                "Z* is not symmetric: entries (\(worst.1), \(worst.2)) and (\(worst.2), \(worst.1)) differ by \(worst.0)")
        }
        try self.init(checked: z.symmetrized)
        let smallest = eigenvalues.last ?? 0
        guard smallest >= -tolerance * scale else {
            throw .notPSD(
                "Z* is not positive semidefinite: its smallest eigenvalue is \(smallest)")
        }
    }

    /// Decomposes an exactly symmetric finite `z`.
    private init(checked z: Matrix) throws(SensingError) {
        let eig = try tensor { () throws(TensorError) in try SymmetricEigen(z) }
        matrix = z
        eigenvalues = eig.values
        eigenvectors = eig.vectors
        let threshold = 1e-10 * max(1, z.elements.map(abs).max() ?? 0)
        rank = eig.values.filter { $0 > threshold }.count
    }

    /// `Z*ₖ = Σ_{i≤k} λᵢ vᵢ vᵢᵀ`, the best rank-`k` approximation of `Z*` in Frobenius norm
    /// (Eckart–Young). `k = 0` gives the zero matrix; `k ≥ d` gives `Z*`.
    public func bestRankK(_ k: Int) throws(SensingError) -> Matrix {
        guard k >= 0 else { throw .invalidArgument("the rank k must be ≥ 0, not \(k)") }
        var out = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, d) }
        for t in 0..<min(k, d) { addTerm(t, to: &out) }
        return Matrix(uncheckedRows: d, cols: d, elements: out)
    }

    /// `Z*₁, …, Z*ₖ` (`k ≤ d`) in one sweep: each is the one before plus λₜ vₜ vₜᵀ, the same sums
    /// in the same order as ``bestRankK(_:)``, in `k·d²` operations instead of `k²d²/2`.
    public func bestRankApproximations(upTo k: Int) throws(SensingError) -> [Matrix] {
        var out = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, d) }
        var approximations: [Matrix] = []
        for t in 0..<min(max(k, 0), d) {
            addTerm(t, to: &out)
            approximations.append(Matrix(uncheckedRows: d, cols: d, elements: out))
        }
        return approximations
    }

    /// `out[i, j] += (λₜ vᵢₜ) vⱼₜ` for every entry, the term `t` of `Z* = Σₜ λₜ vₜ vₜᵀ`.
    private func addTerm(_ t: Int, to out: inout [Double]) {
        let d = self.d
        let column = (0..<d).map { eigenvectors[$0, t] }
        let lam = eigenvalues[t]
        column.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<d {
                    let vi = lam * v[i]
                    for j in 0..<d { o[i * d + j] += vi * v[j] }
                }
            }
        }
    }

    /// `‖Z*‖_F`.
    public var frobeniusNorm: Double { matrix.frobeniusNorm }
}
