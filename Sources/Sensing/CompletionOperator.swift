import Dispatch
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
    public var m: Int { rows.count }
    public var name: String { "completion" }
    /// The observed index pairs `(jᵢ, kᵢ)`, 0-based.
    public var entries: [(row: Int, col: Int)] { zip(rows, cols).map { (Int($0), Int($1)) } }
    /// `jᵢ` and `kᵢ` as separate compact arrays (what the kernel streams).
    let rows: [Int32]
    let cols: [Int32]

    /// `m` pairs drawn from `rng`: for each `i`, `jᵢ` then `kᵢ`, each uniform below `d`.
    ///
    /// - Throws: if `m` or `d` is out of range (`d ≤ 2³¹ − 1`: the indices are stored as
    ///   32-bit integers), or the `8·m` bytes of pairs do not fit in available memory.
    public init(m: Int, d: Int, rng: inout Xoshiro256) throws(SensingError) {
        try Self.checkSizes(m: m, d: d)
        try MemoryBudget.require(
            bytes: m.multipliedReportingOverflow(by: 8).overflow ? nil : 8 * m,
            for: "the completion ensemble with m = \(m), d = \(d) (8 bytes per observed pair)", advice: "use a smaller m")
        try MeasurementCharge.charge(RunBudget.operations(2, m), for: "drawing the completion ensemble with m = \(m), d = \(d)")
        var rows = [Int32](repeating: 0, count: m)
        var cols = [Int32](repeating: 0, count: m)
        for i in 0..<m {
            do {
                rows[i] = Int32(truncatingIfNeeded: try rng.nextInt(below: d))
                cols[i] = Int32(truncatingIfNeeded: try rng.nextInt(below: d))
            } catch {
                throw .tensor(error)
            }
        }
        self.d = d
        self.rows = rows
        self.cols = cols
    }

    /// The operator observing the given pairs, each `0 ≤ j, k < d`.
    public init(d: Int, entries: [(row: Int, col: Int)]) throws(SensingError) {
        try Self.checkSizes(m: entries.count, d: d)
        if let bad = entries.firstIndex(where: { $0.row < 0 || $0.row >= d || $0.col < 0 || $0.col >= d }) {
            throw .invalidArgument(
                "observed entry \(bad) is (\(entries[bad].row), \(entries[bad].col)), outside a \(shapeText(d, d)) matrix")
        }
        self.d = d
        self.rows = entries.map { Int32(truncatingIfNeeded: $0.row) }
        self.cols = entries.map { Int32(truncatingIfNeeded: $0.col) }
    }

    /// The largest dimension: indices `j, k < d` are stored as 32-bit integers (2³¹ − 1).
    public static let maxDimension = Int(Int32.max)

    /// The common size checks plus `d ≤ maxDimension`.
    private static func checkSizes(m: Int, d: Int) throws(SensingError) {
        try Sensing.checkSizes(m: m, d: d, "the completion ensemble")
        guard d <= maxDimension else {
            throw .invalidArgument(
                "the completion ensemble: the dimension d must be at most \(maxDimension) (indices are 32-bit), not \(d)")
        }
    }

    /// `d·(Z_{jk} + Z_{kj})/2` for every pair.
    public func measure(_ z: Matrix) throws(SensingError) -> [Double] {
        try checkSquare(z)
        try charge(m, "measuring a matrix")
        let scale = Double(d)
        return entries.map { scale * (z[$0.row, $0.col] + z[$0.col, $0.row]) / 2 }
    }

    /// `(1/m) Σᵢ rᵢ d (e_j e_kᵀ + e_k e_jᵀ)/2`.
    public func adjoint(_ r: [Double]) throws(SensingError) -> Matrix {
        try checkWeights(r)
        try charge(m, "the adjoint")
        var out = try tensor { () throws(TensorError) in try Matrix(rows: d, cols: d) }
        let c = Double(d) / (2 * Double(m))
        for (i, e) in entries.enumerated() {
            out[e.row, e.col] += c * r[i]
            out[e.col, e.row] += c * r[i]
        }
        return out
    }

    public func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix {
        try checkIndex(i)
        var out = try tensor { () throws(TensorError) in try Matrix(rows: d, cols: d) }
        let e = (row: Int(rows[i]), col: Int(cols[i]))
        out[e.row, e.col] += Double(d) / 2
        out[e.col, e.row] += Double(d) / 2
        return out
    }

    /// `‖Z‖²_F`.
    public func expectedSquaredMeasurement(_ z: Matrix) -> Double? {
        let n = z.frobeniusNorm
        return n * n
    }

    /// Kernel: `rᵢ = d·⟨U_j, U_k⟩ − yᵢ`, then the scattered gradient above. No allocation.
    public func lossAndGradient(
        _ u: Matrix, _ y: [Double], gradient: inout Matrix, workspace ws: inout SensingWorkspace
    ) throws(SensingError) -> Double {
        let (m, r, d) = (self.m, u.cols, self.d)
        guard y.count == m else { throw .shapeMismatch("y has \(counted(y.count, "value")) but the ensemble has \(counted(m, "measurement"))") }
        try charge(RunBudget.operations(3, m, r), "a loss and gradient")
        SensingWorkspace.ensure(&ws.residuals, m)
        // Fixed chunks of entries, each with its own partial gradient, added in chunk order:
        // the same bits on every machine, both cores busy on large m.
        let chunks = m >= 65_536 ? FusedPackedKernel.chunkCount : 1
        SensingWorkspace.ensure(&ws.partials, chunks * d * r)
        let scale = Double(d)
        let c = scale / (2 * Double(m))
        var sums = [Double](repeating: 0, count: chunks)
        u.withUnsafeElements { pu in
            ws.residuals.withUnsafeMutableBufferPointer { pr in
                ws.partials.withUnsafeMutableBufferPointer { pp in
                    y.withUnsafeBufferPointer { py in
                        rows.withUnsafeBufferPointer { pj in
                            cols.withUnsafeBufferPointer { pk in
                                sums.withUnsafeMutableBufferPointer { ps in
                                    let shared = CompletionPointers(u: pu, residuals: pr, partials: pp, y: py, rows: pj, cols: pk, sums: ps)
                                    let body: @Sendable (Int) -> Void = { chunk in
                                        shared.accumulate(chunk: chunk, of: chunks, m: m, r: r, size: d * r, scale: scale, c: c)
                                    }
                                    if chunks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
                                }
                            }
                        }
                    }
                }
            }
        }
        gradient.withUnsafeMutableElements { pg in
            ws.partials.withUnsafeBufferPointer { pp in
                for t in 0..<pg.count { pg[t] = pp[t] }
                for chunk in 1..<max(chunks, 1) {
                    let base = chunk * d * r
                    for t in 0..<pg.count { pg[t] += pp[base + t] }
                }
            }
        }
        return sums.reduce(0, +) / (4 * Double(m))
    }
}

/// The buffers one completion step shares with its chunk workers (chunks write disjoint parts).
private struct CompletionPointers: @unchecked Sendable {
    let u: UnsafeBufferPointer<Double>
    let residuals: UnsafeMutableBufferPointer<Double>
    let partials: UnsafeMutableBufferPointer<Double>
    let y: UnsafeBufferPointer<Double>
    let rows: UnsafeBufferPointer<Int32>
    let cols: UnsafeBufferPointer<Int32>
    let sums: UnsafeMutableBufferPointer<Double>

    /// Residuals and the partial gradient of entries `[m·chunk/chunks, m·(chunk+1)/chunks)`:
    /// `rᵢ = d·⟨U_j, U_k⟩ − yᵢ`, `G_j += (d/2m)·rᵢ·U_k`, `G_k += (d/2m)·rᵢ·U_j`.
    func accumulate(chunk: Int, of chunks: Int, m: Int, r: Int, size: Int, scale: Double, c: Double) {
        guard let u = u.baseAddress, let res = residuals.baseAddress, let part = partials.baseAddress,
              let y = y.baseAddress, let rows = rows.baseAddress, let cols = cols.baseAddress else { return }
        let g = part + chunk * size
        g.initialize(repeating: 0, count: size)
        var squares = 0.0
        for i in (m * chunk / chunks)..<(m * (chunk + 1) / chunks) {
            let uj = u + Int(rows[i]) * r, uk = u + Int(cols[i]) * r
            var s = 0.0
            for t in 0..<r { s += uj[t] * uk[t] }
            let value = scale * s - y[i]
            res[i] = value
            squares += value * value
            let w = c * value
            let gj = g + Int(rows[i]) * r, gk = g + Int(cols[i]) * r
            for t in 0..<r {
                gj[t] += w * uk[t]
                gk[t] += w * uj[t]
            }
        }
        sums[chunk] = squares
    }
}
