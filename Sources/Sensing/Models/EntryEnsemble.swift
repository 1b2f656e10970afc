import Tensor

/// Measurements of single entries: `Aᵢ = √(d₁d₂) · e_{jᵢ} e_{kᵢ}ᵀ`, so `⟨Aᵢ, M⟩ = √(d₁d₂)·M_{jᵢkᵢ}`.
///
/// Every way of choosing the entries is this one operator with another list:
/// - **completion with replacement**: `(jᵢ, kᵢ)` uniform over the `d₁d₂` entries, independently;
/// - **without replacement**: `m` distinct entries, uniform;
/// - **Bernoulli(p) mask**: each entry kept with probability `p` (so `m` is random), row-major order;
/// - **full observation**: all `d₁d₂` entries row-major, so `f = ½‖M − M*‖²_F` for FGᵀ;
/// - **a given list** of `(row, col)` pairs.
/// In the random cases each `(jᵢ, kᵢ)` is uniform, so `E⟨Aᵢ, M⟩² = d₁d₂ · ‖M‖²_F / (d₁d₂) = ‖M‖²_F`.
/// Matrix-free: `O(m)` per pass.
public struct EntryEnsemble: MatrixEnsemble {
    public let rows: Int
    public let cols: Int
    public let name: String
    /// The observed entries as flat row-major indices `j·d₂ + k`.
    public let entries: [Int]
    /// `√(d₁d₂)`.
    public let scale: Double

    public var m: Int { entries.count }

    /// `entries` (flat, each checked in `0..<d₁d₂`).
    init(rows: Int, cols: Int, name: String, entries: [Int]) throws(SensingError) {
        try checkSizes(m: entries.count, rows: rows, cols: cols)
        self.rows = rows
        self.cols = cols
        self.name = name
        self.entries = entries
        self.scale = (Double(rows) * Double(cols)).squareRoot()
    }

    /// `m` entries drawn uniformly with replacement: flat index `U{0 … d₁d₂−1}`, `j = idx / d₂`, `k = idx % d₂`.
    public static func completion(m: Int, rows: Int, cols: Int, rng: inout Xoshiro256) throws(SensingError) -> EntryEnsemble {
        try checkSizes(m: m, rows: rows, cols: cols)
        try requireIndexMemory(m, "m", "sample_entries with m = \(m)")
        try MeasurementCharge.charge(m, for: "drawing sample_entries with m = \(m)")
        var e = [Int](repeating: 0, count: m)
        for i in 0..<m { e[i] = try tensor { () throws(TensorError) in try rng.nextInt(below: rows * cols) } }
        return try EntryEnsemble(rows: rows, cols: cols, name: "completion", entries: e)
    }

    /// `m ≤ d₁d₂` distinct entries, uniform (the first `m` of a Fisher–Yates shuffle of the flat indices).
    public static func completionWithoutReplacement(m: Int, rows: Int, cols: Int, rng: inout Xoshiro256) throws(SensingError) -> EntryEnsemble {
        try checkSizes(m: m, rows: rows, cols: cols)
        let n = rows * cols
        guard m <= n else {
            throw .invalidArgument("sample_entries without replacement: m = \(m) exceeds the \(n) entries of a \(shapeText(rows, cols)) matrix")
        }
        try requireIndexMemory(2 * m, "2m", "sample_entries without replacement with m = \(m)")
        try MeasurementCharge.charge(m, for: "drawing sample_entries without replacement with m = \(m)")
        return try EntryEnsemble(rows: rows, cols: cols, name: "completion_distinct", entries: try sampleWithoutReplacement(m, of: n, rng: &rng))
    }

    /// Each entry, row-major, kept when a uniform draw `u ∈ [0, 1)` is `< p`; `0 < p ≤ 1`.
    public static func bernoulli(p: Double, rows: Int, cols: Int, rng: inout Xoshiro256) throws(SensingError) -> EntryEnsemble {
        guard p > 0, p <= 1 else {
            throw .invalidArgument("the Bernoulli probability p must be in (0, 1], not \(p)")
        }
        try checkSizes(m: 1, rows: rows, cols: cols)
        try requireIndexMemory(Int((p * Double(rows * cols)).rounded(.up)), "p·d1·d2", "bernoulli_entries of a \(shapeText(rows, cols)) matrix")
        try MeasurementCharge.charge(rows * cols, for: "drawing bernoulli_entries of a \(shapeText(rows, cols)) matrix")
        var e: [Int] = []
        for idx in 0..<(rows * cols) where rng.nextDouble() < p { e.append(idx) }
        guard !e.isEmpty else {
            throw .invalidArgument("bernoulli_entries(p: \(p)) kept no entry of the \(shapeText(rows, cols)) matrix; use a larger p")
        }
        return try EntryEnsemble(rows: rows, cols: cols, name: "bernoulli", entries: e)
    }

    /// All `d₁d₂` entries, row-major.
    public static func full(rows: Int, cols: Int) throws(SensingError) -> EntryEnsemble {
        try checkSizes(m: 1, rows: rows, cols: cols)
        try requireIndexMemory(rows * cols, "d1·d2", "observe_all of a \(shapeText(rows, cols)) matrix")
        try MeasurementCharge.charge(rows * cols, for: "observe_all of a \(shapeText(rows, cols)) matrix")
        return try EntryEnsemble(rows: rows, cols: cols, name: "full", entries: Array(0..<(rows * cols)))
    }

    /// The given `(row, col)` pairs (0-based), each checked inside the `d₁×d₂` matrix.
    public static func given(_ pairs: [(Int, Int)], rows: Int, cols: Int) throws(SensingError) -> EntryEnsemble {
        try checkSizes(m: max(pairs.count, 1), rows: rows, cols: cols)
        guard !pairs.isEmpty else { throw .invalidArgument("given_entries needs at least one (row, col) entry") }
        var e: [Int] = []
        e.reserveCapacity(pairs.count)
        for (i, (j, k)) in pairs.enumerated() {
            guard j >= 0, j < rows, k >= 0, k < cols else {
                throw .invalidArgument("entry \(i) is (\(j), \(k)), outside the \(shapeText(rows, cols)) matrix (rows 0…\(rows - 1), columns 0…\(cols - 1))")
            }
            e.append(j * cols + k)
        }
        return try EntryEnsemble(rows: rows, cols: cols, name: "entries", entries: e)
    }

    public func applyUnchecked(_ x: Matrix) -> [Double] {
        x.withUnsafeElements { px in entries.map { scale * px[$0] } }
    }

    public func adjointUnchecked(_ w: [Double]) -> Matrix {
        var out = [Double](repeating: 0, count: rows * cols)
        let c = scale / Double(m)
        for (i, idx) in entries.enumerated() { out[idx] += c * w[i] }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    public func residualsAndAdjoint(_ x: Matrix, _ y: [Double], residuals: inout [Double], adjoint: inout Matrix) -> Double {
        if residuals.count != m { residuals = [Double](repeating: 0, count: m) }
        var out = [Double](repeating: 0, count: rows * cols)
        let c = scale / Double(m)
        var sum = 0.0
        x.withUnsafeElements { px in
            for (i, idx) in entries.enumerated() {
                let r = scale * px[idx] - y[i]
                residuals[i] = r
                sum += r * r
                out[idx] += c * r
            }
        }
        adjoint = Matrix(uncheckedRows: rows, cols: cols, elements: out)
        return sum
    }

    public func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix {
        guard i >= 0, i < m else { throw .invalidArgument("measurement \(i) does not exist; indices run from 0 to \(m - 1)") }
        var out = [Double](repeating: 0, count: rows * cols)
        out[entries[i]] = scale
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    public func subset(_ indices: [Int]) throws(SensingError) -> any MatrixEnsemble {
        try checkIndices(indices)
        return try EntryEnsemble(rows: rows, cols: cols, name: name, entries: indices.map { entries[$0] })
    }
}

/// Throws unless `count` entry indices (8 bytes each, as many as `formula` says) fit in the memory the process can get.
private func requireIndexMemory(_ count: Int, _ formula: String, _ what: String) throws(SensingError) {
    try MemoryBudget.require(doubles: count, formula: formula, for: what, advice: "observe fewer entries")
}

/// `k` distinct integers from `0..<n`, uniform: the first `k` positions of a partial Fisher–Yates
/// shuffle (position `i` swapped with `i + U{0 … n−i−1}`), in draw order. Memory `O(k)`.
public func sampleWithoutReplacement(_ k: Int, of n: Int, rng: inout Xoshiro256) throws(SensingError) -> [Int] {
    var swapped: [Int: Int] = [:]
    var out: [Int] = []
    out.reserveCapacity(k)
    for i in 0..<k {
        let j = i + (try tensor { () throws(TensorError) in try rng.nextInt(below: n - i) })
        let vi = swapped[i] ?? i
        let vj = swapped[j] ?? j
        swapped[j] = vi
        out.append(vj)
    }
    return out
}
