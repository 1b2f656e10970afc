import Tensor

/// Subsampled randomized Hadamard measurements of `vec(M)`, a structured near-isotropic ensemble
/// for large `d₁d₂`. With `P = d₁d₂` padded to `N = 2^⌈log₂P⌉`, `D = diag(σ)` random signs
/// (`σ_q = ±1`, `q < P`), `H_N` the ±1 Walsh–Hadamard matrix (`WalshHadamardTransform`,
/// `H = H_N/√N` orthonormal) and rows `s₁ … s_m` of it:
///
///     𝒜(M)ᵢ = ⟨Aᵢ, M⟩ = (H_N D pad(vec M))_{sᵢ} = √N · (H D pad(vec M))_{sᵢ}
///     𝒜*(w) = (1/m) Σᵢ wᵢAᵢ = (1/m) · D · (H_N z)[0 ..< P],   z_{sᵢ} += wᵢ (zero elsewhere)
///
/// So `(Aᵢ)ⱼₖ = σ_q (−1)^popcount(sᵢ & q)` with `q = j·d₂ + k`: every entry is ±1, and for any
/// row `sᵢ`, `E_σ⟨Aᵢ, M⟩² = Σ_q M_q² = ‖M‖²_F` exactly (the cross terms `σ_q σ_q'`, `q ≠ q'`,
/// have mean zero). Nothing dense is stored: `P` signs, `m` rows, and one `N`-number work array
/// per pass; a pass (apply, adjoint) costs one transform, `N log₂N` additions.
public struct HadamardEnsemble: MatrixEnsemble {
    public let rows: Int
    public let cols: Int
    public var m: Int { selectedRows.count }
    public var name: String { "hadamard" }
    /// `N`, the smallest power of two `≥ d₁d₂`.
    public let length: Int
    /// `σ_q ∈ {−1, +1}` for `q < d₁d₂`, row-major over `M`.
    public let signs: [Double]
    /// `sᵢ ∈ 0 ..< N`, in measurement order.
    public let selectedRows: [Int]
    /// The measurements `i` ordered by their row `sᵢ` (ties by `i`), and those rows: the passes
    /// visit the work array in increasing order.
    let byRow: [Int]
    let sortedRows: [Int]

    private init(rows: Int, cols: Int, length: Int, signs: [Double], selectedRows: [Int]) {
        self.rows = rows
        self.cols = cols
        self.length = length
        self.signs = signs
        self.selectedRows = selectedRows
        byRow = selectedRows.indices.sorted { (selectedRows[$0], $0) < (selectedRows[$1], $1) }
        sortedRows = byRow.map { selectedRows[$0] }
    }

    /// Draws `σ_q` for `q = 0 … d₁d₂ − 1` (row-major; `σ_q = −1` when a uniform draw is `< ½`,
    /// else `+1`), then `m ≤ N` distinct rows by a partial Fisher–Yates shuffle of `0 ..< N`
    /// (position `i` swapped with `i + U{0 … N−i−1}`), in draw order.
    public static func draw(m: Int, rows: Int, cols: Int, rng: inout Xoshiro256) throws(SensingError) -> HadamardEnsemble {
        let bytes = try requiredBytes(m: m, rows: rows, cols: cols)
        try MemoryBudget.require(bytes: bytes, for: "the hadamard ensemble with m = \(m), d1 = \(rows), d2 = \(cols)",
                                 advice: "use smaller matrices or fewer measurements")
        let p = rows * cols
        let n = transformLength(p)
        try MeasurementCharge.charge(p + m, for: "drawing the hadamard ensemble with m = \(m), d1 = \(rows), d2 = \(cols)")
        var signs = [Double](repeating: 1, count: p)
        for q in 0..<p where rng.nextDouble() < 0.5 { signs[q] = -1 }
        let chosen = try sampleWithoutReplacement(m, of: n, rng: &rng)
        return HadamardEnsemble(rows: rows, cols: cols, length: n, signs: signs, selectedRows: chosen)
    }

    /// The bytes ``draw(m:rows:cols:rng:)`` needs, `8·(d₁d₂ + 2N + 6m)` (the signs, the work
    /// array and a pass's output, the rows in draw order and sorted, the draw's table), after checking the sizes:
    /// `d₁, d₂ ≥ 1`, `d₁d₂ ≤ 2³¹ − 1` and `1 ≤ m ≤ N`. Callers with their own memory limit ask
    /// it before drawing.
    public static func requiredBytes(m: Int, rows: Int, cols: Int) throws(SensingError) -> Int {
        try checkSizes(m: m, rows: rows, cols: cols)
        let p = rows * cols
        let n = transformLength(p)
        guard m <= n else {
            throw .invalidArgument("m = \(m) distinct rows cannot be drawn from the \(n) rows of the Hadamard transform (d1·d2 = \(p) padded to a power of two); use m ≤ \(n)")
        }
        return 8 * (p + 2 * n + 6 * m)
    }

    /// The ensemble of the given signs (`d₁d₂` numbers, each `−1` or `+1`, row-major) and rows
    /// (each in `0 ..< N`; repeats allowed), e.g. to replay a draw made elsewhere.
    public static func given(signs: [Double], selectedRows: [Int], rows: Int, cols: Int) throws(SensingError) -> HadamardEnsemble {
        try checkSizes(m: max(selectedRows.count, 1), rows: rows, cols: cols)
        let p = rows * cols
        let n = transformLength(p)
        guard signs.count == p else {
            throw .shapeMismatch("given_hadamard needs d1·d2 = \(p) signs for \(shapeText(rows, cols)) matrices, but \(signs.count) were given")
        }
        if let q = signs.firstIndex(where: { $0 != 1 && $0 != -1 }) {
            throw .invalidArgument("sign \(q) is \(NumberText.display(signs[q])); every sign must be -1 or +1")
        }
        guard !selectedRows.isEmpty else { throw .invalidArgument("given_hadamard needs at least one row of the transform") }
        if let i = selectedRows.firstIndex(where: { $0 < 0 || $0 >= n }) {
            throw .invalidArgument("row \(i) is \(selectedRows[i]), outside the \(n) rows of the Hadamard transform (d1·d2 = \(p) padded to a power of two): rows run from 0 to \(n - 1)")
        }
        try MemoryBudget.require(bytes: 8 * (2 * n + p + 2 * selectedRows.count), for: "given_hadamard of \(shapeText(rows, cols)) matrices",
                                 advice: "use smaller matrices")
        return HadamardEnsemble(rows: rows, cols: cols, length: n, signs: signs, selectedRows: selectedRows)
    }

    /// The smallest power of two `≥ p` (`p ≤ 2³¹ − 1`, so at most `2³¹`).
    static func transformLength(_ p: Int) -> Int {
        var n = 1
        while n < p { n <<= 1 }
        return n
    }

    // MARK: Passes

    public func applyUnchecked(_ x: Matrix) -> [Double] {
        var out = [Double](repeating: 0, count: m)
        withPass(x: x) { pass in
            pass.forward()
            out.withUnsafeMutableBufferPointer { po in
                for k in 0..<m { po[pass.byRow[k]] = pass.work[pass.sortedRows[k]] }
            }
        }
        return out
    }

    public func adjointUnchecked(_ w: [Double]) -> Matrix {
        var out = [Double](repeating: 0, count: rows * cols)
        withPass(x: nil) { pass in
            w.withUnsafeBufferPointer { pw in
                out.withUnsafeMutableBufferPointer { po in pass.backward(pw, into: po) }
            }
        }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    /// One forward transform for the residuals, one backward for `S`: `2·N log₂N` additions.
    /// `Σ rᵢ²` is summed in the order of the rows `sᵢ`.
    public func residualsAndAdjoint(_ x: Matrix, _ y: [Double], residuals: inout [Double], adjoint: inout Matrix) -> Double {
        if residuals.count != m { residuals = [Double](repeating: 0, count: m) }
        if adjoint.rows != rows || adjoint.cols != cols {
            adjoint = Matrix(uncheckedRows: rows, cols: cols, elements: [Double](repeating: 0, count: rows * cols))
        }
        var sum = 0.0
        withPass(x: x) { pass in
            pass.forward()
            residuals.withUnsafeMutableBufferPointer { pr in
                y.withUnsafeBufferPointer { py in
                    for k in 0..<m {
                        let i = pass.byRow[k]
                        let r = pass.work[pass.sortedRows[k]] - py[i]
                        pr[i] = r
                        sum += r * r
                    }
                }
                adjoint.withUnsafeMutableElements { pa in pass.backward(UnsafeBufferPointer(pr), into: pa) }
            }
        }
        return sum
    }

    /// Runs `body` with the ensemble's arrays, `x` (or nothing) and an uninitialised work array
    /// of `N` numbers, as raw pointers the transform's threads can share.
    private func withPass(x: Matrix?, _ body: (Pass) -> Void) {
        let empty = [Double]()
        (x?.elements ?? empty).withUnsafeBufferPointer { px in
            signs.withUnsafeBufferPointer { ps in
                sortedRows.withUnsafeBufferPointer { pr in
                    byRow.withUnsafeBufferPointer { pb in
                        withUnsafeTemporaryAllocation(of: Double.self, capacity: length) { work in
                            body(Pass(x: px, signs: ps, sortedRows: pr, byRow: pb, work: work, p: rows * cols))
                        }
                    }
                }
            }
        }
    }

    /// One pass's view of the arrays. The transform calls its `prepare` on several threads at
    /// once, each for its own block of `work`.
    private struct Pass: @unchecked Sendable {
        let x: UnsafeBufferPointer<Double>
        let signs: UnsafeBufferPointer<Double>
        let sortedRows: UnsafeBufferPointer<Int>
        let byRow: UnsafeBufferPointer<Int>
        let work: UnsafeMutableBufferPointer<Double>
        let p: Int

        /// `work ← H_N D pad(vec x)`; each block is filled with `σ_q x_q` (zero past `P`) just
        /// before it is transformed.
        func forward() {
            let pass = self
            WalshHadamardTransform.apply(work) { lo, hi in
                let end = min(hi, pass.p)
                var q = lo
                while q < end { pass.work[q] = pass.signs[q] * pass.x[q]; q += 1 }
                while q < hi { pass.work[q] = 0; q += 1 }
            }
        }

        /// `out ← (1/m) · D · (H_N z)[0 ..< P]` with `z_{sᵢ} += wᵢ`: each block of `z` is zeroed
        /// and receives the weights of the rows inside it just before it is transformed.
        func backward(_ w: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
            let pass = self, weights = Shared(w), output = Shared(out)
            WalshHadamardTransform.apply(work) { lo, hi in
                for q in lo..<hi { pass.work[q] = 0 }
                var k = pass.firstRow(atLeast: lo)
                while k < pass.sortedRows.count, pass.sortedRows[k] < hi {
                    pass.work[pass.sortedRows[k]] += weights.value[pass.byRow[k]]
                    k += 1
                }
            }
            let c = 1 / Double(byRow.count)
            WalshHadamardTransform.inChunks(count: p) { lo, hi in
                for q in lo..<hi { output.value[q] = c * (pass.signs[q] * pass.work[q]) }
            }
        }

        /// A buffer handed to the transform's threads, each of which touches its own part.
        struct Shared<Buffer>: @unchecked Sendable {
            let value: Buffer
            init(_ value: Buffer) { self.value = value }
        }

        /// The first position `k` with `sortedRows[k] ≥ row` (binary search).
        func firstRow(atLeast row: Int) -> Int {
            var (lo, hi) = (0, sortedRows.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if sortedRows[mid] < row { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    // MARK: Single measurements and subsets

    public func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix {
        guard i >= 0, i < m else { throw .invalidArgument("measurement \(i) does not exist; indices run from 0 to \(m - 1)") }
        let s = selectedRows[i]
        let out = signs.enumerated().map { q, sign in (s & q).nonzeroBitCount % 2 == 0 ? sign : -sign }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    public func subset(_ indices: [Int]) throws(SensingError) -> any MatrixEnsemble {
        try checkIndices(indices)
        return HadamardEnsemble(rows: rows, cols: cols, length: length, signs: signs, selectedRows: indices.map { selectedRows[$0] })
    }
}
