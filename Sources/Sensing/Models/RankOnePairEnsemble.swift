import Tensor

/// Rank-one measurements `Aᵢ = aᵢ bᵢᵀ` with `aᵢ ~ N(0, I_{d₁})`, `bᵢ ~ N(0, I_{d₂})` independent:
/// `⟨Aᵢ, M⟩ = aᵢᵀ M bᵢ` and `E(aᵀMb)² = ‖M‖²_F`. Matrix-free, stored as `a` (`m×d₁`) and `b`
/// (`m×d₂`): a pass costs `O(m·d₁·d₂)` flops but reads `m(d₁ + d₂)` numbers.
///
///     apply    rᵢ = Σⱼ aᵢⱼ (M bᵢ)ⱼ        (B Mᵀ is m×d₁, then a row-wise dot with a)
///     adjoint  (1/m) Σᵢ wᵢ aᵢ bᵢᵀ = aᵀ diag(w) b / m
public struct RankOnePairEnsemble: MatrixEnsemble {
    public let rows: Int
    public let cols: Int
    public let m: Int
    public var name: String { "rank_one_pairs" }
    /// `m×d₁`, row `i` = `aᵢ`.
    let a: Matrix
    /// `m×d₂`, row `i` = `bᵢ`.
    let b: Matrix

    /// Draws, for each `i` in turn, `aᵢ` (d₁ normals) then `bᵢ` (d₂ normals).
    public init(m: Int, rows: Int, cols: Int, rng: inout Xoshiro256) throws(SensingError) {
        try checkSizes(m: m, rows: rows, cols: cols, "rank_one_pairs")
        var a = try tensor { () throws(TensorError) in try Matrix(rows: m, cols: rows) }
        var b = try tensor { () throws(TensorError) in try Matrix(rows: m, cols: cols) }
        for i in 0..<m {
            for j in 0..<rows { a[i, j] = rng.nextNormal() }
            for k in 0..<cols { b[i, k] = rng.nextNormal() }
        }
        self.init(a: a, b: b)
    }

    private init(a: Matrix, b: Matrix) {
        self.a = a
        self.b = b
        self.m = a.rows
        self.rows = a.cols
        self.cols = b.cols
    }

    public func applyUnchecked(_ x: Matrix) -> [Double] {
        let bm = Matrix.gemmUnchecked(b, x, transposeB: true)  // m×d₁: row i = (M bᵢ)ᵀ
        return Matrix.rowDotsUnchecked(a, bm)
    }

    public func adjointUnchecked(_ w: [Double]) -> Matrix {
        var aw = a
        let c = 1 / Double(m)
        for i in 0..<m {
            for j in 0..<rows { aw[i, j] *= c * w[i] }
        }
        return Matrix.gemmUnchecked(aw, b, transposeA: true)
    }

    public func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix {
        guard i >= 0, i < m else { throw .invalidArgument("measurement \(i) does not exist; indices run from 0 to \(m - 1)") }
        var out = [Double](repeating: 0, count: rows * cols)
        for j in 0..<rows { for k in 0..<cols { out[j * cols + k] = a[i, j] * b[i, k] } }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    public func subset(_ indices: [Int]) throws(SensingError) -> any MatrixEnsemble {
        try checkIndices(indices)
        var sa: [Double] = [], sb: [Double] = []
        for i in indices {
            sa += a.elements[(i * rows)..<((i + 1) * rows)]
            sb += b.elements[(i * cols)..<((i + 1) * cols)]
        }
        return RankOnePairEnsemble(a: Matrix(uncheckedRows: indices.count, cols: rows, elements: sa),
                                   b: Matrix(uncheckedRows: indices.count, cols: cols, elements: sb))
    }
}
