import Tensor

/// The matrix-completion ensemble `Aᵢ = d·(e_{jᵢ} e_{kᵢ}ᵀ + e_{kᵢ} e_{jᵢ}ᵀ)/2` with `jᵢ`, `kᵢ`
/// independent and uniform on `{0, …, d−1}` (the reference's scaling; for `j = k` this is
/// `d·e_j e_jᵀ`). Stored matrix-free as the index pairs.
///
///     ⟨Aᵢ, Z⟩ = d·Z_{jk}   (symmetric Z),   so ⟨Aᵢ, UUᵀ⟩ = d·⟨U_j, U_k⟩ (rows of U),
///     ∇f(U): row j += (d/2m)·rᵢ·U_k and row k += (d/2m)·rᵢ·U_j for each i,
///
/// costing `O(m·r)` per step. Normalisation: `E⟨Aᵢ, Z⟩² = (1/d²) Σⱼₖ d² Zⱼₖ² = ‖Z‖²_F`.
public struct CompletionOperator: SensingOperator {
    public let d: Int
    public var m: Int { entries.count }
    public var name: String { "completion" }
    /// The observed index pairs `(jᵢ, kᵢ)`, 0-based.
    public let entries: [(row: Int, col: Int)]

    /// `m` pairs drawn from `rng`: for each `i`, `jᵢ` then `kᵢ`, each uniform below `d`.
    public init(m: Int, d: Int, rng: inout Xoshiro256) throws(SensingError) {
        try checkSizes(m: m, d: d, "the completion ensemble")
        var e: [(row: Int, col: Int)] = []
        e.reserveCapacity(m)
        for _ in 0..<m {
            do {
                let j = try rng.nextInt(below: d)
                let k = try rng.nextInt(below: d)
                e.append((j, k))
            } catch {
                throw .tensor(error)
            }
        }
        self.d = d
        self.entries = e
    }

    /// The operator observing the given pairs, each `0 ≤ j, k < d`.
    public init(d: Int, entries: [(row: Int, col: Int)]) throws(SensingError) {
        try checkSizes(m: entries.count, d: d, "the completion ensemble")
        if let bad = entries.firstIndex(where: { $0.row < 0 || $0.row >= d || $0.col < 0 || $0.col >= d }) {
            throw .invalidArgument(
                "observed entry \(bad) is (\(entries[bad].row), \(entries[bad].col)), outside a \(shapeText(d, d)) matrix")
        }
        self.d = d
        self.entries = entries
    }

    /// `d·(Z_{jk} + Z_{kj})/2` for every pair.
    public func measure(_ z: Matrix) throws(SensingError) -> [Double] {
        try checkSquare(z)
        let scale = Double(d)
        return entries.map { scale * (z[$0.row, $0.col] + z[$0.col, $0.row]) / 2 }
    }

    /// `(1/m) Σᵢ rᵢ d (e_j e_kᵀ + e_k e_jᵀ)/2`.
    public func adjoint(_ r: [Double]) throws(SensingError) -> Matrix {
        try checkWeights(r)
        var out = [Double](repeating: 0, count: d * d)
        let c = Double(d) / (2 * Double(m))
        for (i, e) in entries.enumerated() {
            out[e.row * d + e.col] += c * r[i]
            out[e.col * d + e.row] += c * r[i]
        }
        return Matrix(uncheckedRows: d, cols: d, elements: out)
    }

    public func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix {
        try checkIndex(i)
        var out = [Double](repeating: 0, count: d * d)
        let e = entries[i]
        out[e.row * d + e.col] += Double(d) / 2
        out[e.col * d + e.row] += Double(d) / 2
        return Matrix(uncheckedRows: d, cols: d, elements: out)
    }

    /// `‖Z‖²_F`.
    public func expectedSquaredMeasurement(_ z: Matrix) -> Double? {
        let n = frobeniusNorm(z)
        return n * n
    }

    /// Kernel: `rᵢ = d·⟨U_j, U_k⟩ − yᵢ`, then the scattered gradient above. No allocation.
    public func lossAndGradient(
        _ u: Matrix, _ y: [Double], gradient: inout Matrix, workspace ws: inout SensingWorkspace
    ) throws(SensingError) -> Double {
        let (m, r) = (self.m, u.cols)
        SensingWorkspace.ensure(&ws.residuals, m)
        let scale = Double(d)
        let c = scale / (2 * Double(m))
        var sumSquares = 0.0
        u.withUnsafeElements { pu in
            gradient.withUnsafeMutableElements { pg in
                for t in 0..<pg.count { pg[t] = 0 }
                ws.residuals.withUnsafeMutableBufferPointer { pr in
                    for (i, e) in entries.enumerated() {
                        let bj = e.row * r, bk = e.col * r
                        var s = 0.0
                        for t in 0..<r { s += pu[bj + t] * pu[bk + t] }
                        let res = scale * s - y[i]
                        pr[i] = res
                        sumSquares += res * res
                        let w = c * res
                        for t in 0..<r {
                            pg[bj + t] += w * pu[bk + t]
                            pg[bk + t] += w * pu[bj + t]
                        }
                    }
                }
            }
        }
        return sumSquares / (4 * Double(m))
    }
}
