import Tensor

/// A measurement operator stored densely as the packed upper triangles of the `Sᵢ`.
///
/// Row `i` holds `p = d(d+1)/2` weights `wᵢ,ⱼₖ` for `j ≤ k` (row-major over the upper
/// triangle): `wᵢ,ⱼⱼ = (Sᵢ)ⱼⱼ` and `wᵢ,ⱼₖ = 2 (Sᵢ)ⱼₖ` for `j < k`, so that for symmetric `Z`
///
///     ⟨Aᵢ, Z⟩ = Σ_{j≤k} wᵢ,ⱼₖ Zⱼₖ          (one dgemv over the m×p weights)
///     (𝒜*(r))ⱼₖ = (1/m) Σᵢ rᵢ wᵢ,ⱼₖ · (j = k ? 1 : 1/2)   (one transposed dgemv).
///
/// Storage is `m·d(d+1)/2` doubles, about half of a dense `m×d²` stack; each gradient step costs
/// about `4·m·d(d+1)/2 + 4·d²·r` flops. Built by ``gaussian(m:d:rng:storage:)``,
/// ``nonSymmetricGaussian(m:d:rng:storage:)`` and ``explicit(stack:m:d:storage:)``.
///
/// **Float32 storage** (``Storage/float32``) keeps each weight as the nearest `Float` (half the
/// memory and half the bytes read per step); in the rows kernel every product and sum is still
/// done in `Double` (each weight is widened as the fused kernel reads it, `FusedPackedKernel`), so
/// what differs from float64 storage is the rounding of the weights themselves, a relative
/// 2⁻²⁴ ≈ 6·10⁻⁸ each, and the kernel's adding each product by one fused multiply-add (one
/// float64 rounding where float64 rows take two; CKernels.h). (The normal equations' `G` is then
/// float32 too, `TiledGram32`.)
public struct PackedSymmetricOperator: SensingOperator {
    /// How the weights are stored.
    public enum Storage: String, Sendable, CaseIterable {
        /// 8 bytes per weight (the default).
        case float64
        /// 4 bytes per weight, rounded to nearest; arithmetic stays in float64.
        case float32
    }

    public let d: Int
    public let m: Int
    public let name: String
    /// How the weights are stored.
    public let storage: Storage
    /// `p = d(d+1)/2`.
    let p: Int
    /// The `m×p` weights, row-major (empty with float32 storage).
    let weights: [Double]
    /// The `m×p` weights rounded to `Float`, row-major (empty with float64 storage).
    let weights32: [Float]
    /// Whether `E⟨Aᵢ, Z⟩² = ‖Z‖²_F` holds (the Gaussian ensembles) or nothing is known (explicit).
    let isGaussian: Bool
    /// `G = Σᵢ wᵢwᵢᵀ`, built on first use by a normal-equations run and shared by copies of this
    /// operator (the weights never change).
    let gramCache = PackedGramCache()

    /// Builds the operator by calling `fill(i, row)` for each `i`, where `row` has `p` slots.
    /// `scratchDoubles` more doubles (a builder's work space, e.g. the `d²` draws of
    /// ``nonSymmetricGaussian(m:d:rng:storage:)``) are counted in the memory check with the weights.
    init(
        m: Int, d: Int, name: String, isGaussian: Bool, what: String, storage: Storage = .float64,
        scratchDoubles: Int = 0,
        fill: (Int, UnsafeMutableBufferPointer<Double>) throws(SensingError) -> Void
    ) throws(SensingError) {
        try Self.checkSizes(m: m, d: d, what)
        let p = d * (d + 1) / 2  // d ≤ 65535: no overflow
        let (total, o2) = m.multipliedReportingOverflow(by: p)
        let stored = storage == .float64 ? total : (total + 1) / 2
        // float32 storage fills one float64 row of p values before rounding it.
        let scratch = scratchDoubles + (storage == .float32 ? p : 0)
        let (count, o3) = stored.addingReportingOverflow(scratch)
        try MemoryBudget.require(
            doubles: (o2 || o3) ? nil : count,
            formula: "m·d(d+1)/2 = \(m)·\(p)" + (storage == .float32 ? " float32 weights as \(stored)" : "")
                + (scratch > 0 ? " + \(scratch) work" : ""),
            for: "\(what) with m = \(m), d = \(d)")
        try MeasurementCharge.charge(o2 ? nil : total, for: "making \(what) with m = \(m), d = \(d)")
        var w: [Double] = []
        var w32: [Float] = []
        switch storage {
        case .float64:
            w = [Double](repeating: 0, count: total)
            try w.withUnsafeMutableBufferPointer { (buf) throws(SensingError) in
                for i in 0..<m {
                    try fill(i, UnsafeMutableBufferPointer(rebasing: buf[(i * p)..<((i + 1) * p)]))
                }
            }
        case .float32:
            w32 = [Float](repeating: 0, count: total)
            var row = [Double](repeating: 0, count: p)
            try w32.withUnsafeMutableBufferPointer { (buf) throws(SensingError) in
                for i in 0..<m {
                    try row.withUnsafeMutableBufferPointer { (r) throws(SensingError) in try fill(i, r) }
                    for k in 0..<p { buf[i * p + k] = Float(row[k]) }
                }
            }
        }
        self.d = d
        self.m = m
        self.p = p
        self.name = name
        self.storage = storage
        self.isGaussian = isGaussian
        self.weights = w
        self.weights32 = w32
    }

    /// The largest dimension of a packed ensemble: a row of `d(d+1)/2` weights is one BLAS vector,
    /// counted in 32 bits.
    public static let maxDimension = 65_535

    /// Throws unless `1 ≤ m ≤ 2³¹ − 1` and `1 ≤ d ≤ maxDimension` (`what` names the ensemble).
    static func checkSizes(m: Int, d: Int, _ what: String) throws(SensingError) {
        try Sensing.checkSizes(m: m, d: d, what)
        guard d <= maxDimension else { throw .invalidArgument("\(what): the dimension d must be at most \(maxDimension), not \(d)") }
    }

    /// Weight `k` of row `i`, as a `Double` (either storage).
    @inline(__always)
    private func weight(_ i: Int, _ k: Int) -> Double {
        storage == .float64 ? weights[i * p + k] : Double(weights32[i * p + k])
    }

    public func measure(_ z: Matrix) throws(SensingError) -> [Double] {
        try checkSquare(z)
        try charge(RunBudget.operations(m, p), "measuring a matrix")
        var packed = [Double](repeating: 0, count: p)
        var idx = 0
        for j in 0..<d {
            for k in j..<d {
                packed[idx] = j == k ? z[j, j] : (z[j, k] + z[k, j]) / 2
                idx += 1
            }
        }
        var out = [Double](repeating: 0, count: m)
        if storage == .float32 {
            for i in 0..<m {
                var sum = 0.0
                for k in 0..<p { sum += weight(i, k) * packed[k] }
                out[i] = sum
            }
            return out
        }
        weights.withUnsafeBufferPointer { pw in
            packed.withUnsafeBufferPointer { px in
                out.withUnsafeMutableBufferPointer { py in
                    gemvRaw(pw.baseAddress, rows: m, cols: p, px.baseAddress, py.baseAddress)
                }
            }
        }
        return out
    }

    public func adjoint(_ r: [Double]) throws(SensingError) -> Matrix {
        try checkWeights(r)
        try charge(RunBudget.operations(m, p), "the adjoint")
        var packed = [Double](repeating: 0, count: p)
        var out = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, d) }
        if storage == .float32 {
            for i in 0..<m where r[i] != 0 {
                for k in 0..<p { packed[k] += weight(i, k) * r[i] }
            }
        } else {
            weights.withUnsafeBufferPointer { pw in
                r.withUnsafeBufferPointer { pr in
                    packed.withUnsafeMutableBufferPointer { pp in
                        gemvRaw(pw.baseAddress, rows: m, cols: p, pr.baseAddress, pp.baseAddress, transpose: true)
                    }
                }
            }
        }
        packed.withUnsafeBufferPointer { pp in
            out.withUnsafeMutableBufferPointer { po in unpack(pp, into: po, scale: 1 / Double(m)) }
        }
        return Matrix(uncheckedRows: d, cols: d, elements: out)
    }

    public func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix {
        try checkIndex(i)
        var out = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, d) }
        let row = (0..<p).map { weight(i, $0) }
        row.withUnsafeBufferPointer { pw in
            out.withUnsafeMutableBufferPointer { po in unpack(pw, into: po, scale: 1) }
        }
        return Matrix(uncheckedRows: d, cols: d, elements: out)
    }

    /// `‖Z‖²_F` for the Gaussian ensembles (see ``gaussian(m:d:rng:storage:)``); `nil` for explicit stacks.
    public func expectedSquaredMeasurement(_ z: Matrix) -> Double? {
        guard isGaussian else { return nil }
        let n = z.frobeniusNorm
        return n * n
    }

    /// Kernel: `M = UUᵀ` (dgemm), `g = pack(M)`, then one fused pass over the rows giving
    /// `rᵢ = wᵢ·g − yᵢ` and `s = Σᵢ rᵢ wᵢ` (`FusedPackedKernel`, deterministic), `f = Σ rᵢ²/(4m)`,
    /// `∇f = unpack(s)/m · U` (dgemm). No allocation once the workspace is sized.
    public func lossAndGradient(
        _ u: Matrix, _ y: [Double], gradient: inout Matrix, workspace ws: inout SensingWorkspace
    ) throws(SensingError) -> Double {
        guard y.count == m else { throw .shapeMismatch("y has \(counted(y.count, "value")) but the ensemble has \(counted(m, "measurement"))") }
        try charge(RunBudget.operations(2, m, p), "a loss and gradient")
        // The residuals are taken out of the workspace while it is lent to packedStep.
        let sumSquares = SensingWorkspace.withResiduals(&ws, count: m) { pr, ws in
            y.withUnsafeBufferPointer { py in
                packedStep(u, gradient: &gradient, workspace: &ws) { g, s, partials in
                    withRows { rows in
                        guard let t = py.baseAddress, let res = pr.baseAddress else { return .nan }
                        return FusedPackedKernel.run(rows: rows, m: m, p: p, gram: g, targets: t, residuals: res,
                                                     adjoint: s, partials: partials)
                    } ?? .nan
                }
            }
        }
        return sumSquares / (4 * Double(m))
    }

    /// The frame of every packed step: `g = pack(UUᵀ)`, `adjoint(g, s, partials)` fills the packed
    /// adjoint `s = Σᵢ rᵢ wᵢ` and returns `Σ rᵢ²`, then `∇f = unpack(s)/m · U` is written into
    /// `gradient`. `partials` has room for ``PackedGramBuild/scratchCount(p:)`` doubles.
    func packedStep(
        _ u: Matrix, gradient: inout Matrix, workspace ws: inout SensingWorkspace,
        adjoint: (_ g: UnsafePointer<Double>, _ s: UnsafeMutablePointer<Double>, _ partials: UnsafeMutablePointer<Double>) -> Double
    ) -> Double {
        let r = u.cols
        let (d, m, p) = (self.d, self.m, self.p)
        SensingWorkspace.ensure(&ws.gram, d * d)
        SensingWorkspace.ensure(&ws.square, d * d)
        SensingWorkspace.ensure(&ws.scratch, 2 * p)
        SensingWorkspace.ensure(&ws.partials, PackedGramBuild.scratchCount(p: p))
        var sumSquares = Double.nan
        u.withUnsafeElements { pu in
            ws.gram.withUnsafeMutableBufferPointer { pg in
                gramRaw(pu.baseAddress, d: d, r: r, into: pg.baseAddress)
                ws.scratch.withUnsafeMutableBufferPointer { ps in
                    // ps[0..<p]: packed Gram g; ps[p..<2p]: packed adjoint s.
                    var idx = 0
                    for j in 0..<d {
                        for k in j..<d {
                            ps[idx] = pg[j * d + k]
                            idx += 1
                        }
                    }
                    guard let packed = ps.baseAddress else { return }
                    ws.partials.withUnsafeMutableBufferPointer { pp in
                        guard let part = pp.baseAddress else { return }
                        sumSquares = adjoint(packed, packed + p, part)
                    }
                    ws.square.withUnsafeMutableBufferPointer { pa in
                        unpack(UnsafeBufferPointer(rebasing: ps[p..<(2 * p)]), into: pa, scale: 1 / Double(m))
                        gradient.withUnsafeMutableElements { pgr in
                            gemmRaw(pa.baseAddress, pu.baseAddress, pgr.baseAddress, m: d, n: r, k: d)
                        }
                    }
                }
            }
        }
        return sumSquares
    }

    /// Calls `body` with the stored rows, in whichever storage they are (`nil` only for an
    /// empty buffer, which an operator with `m, d ≥ 1` never has).
    func withRows<Result>(_ body: (FusedPackedKernel.Rows) -> Result) -> Result? {
        switch storage {
        case .float64:
            weights.withUnsafeBufferPointer { pw in pw.baseAddress.map { body(.float64($0)) } }
        case .float32:
            weights32.withUnsafeBufferPointer { pw in pw.baseAddress.map { body(.float32($0)) } }
        }
    }

    /// Writes the symmetric `d×d` matrix with upper triangle `packed` (off-diagonals halved,
    /// undoing the weight 2) times `scale` into `out`.
    private func unpack(_ packed: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>, scale: Double) {
        var idx = 0
        for j in 0..<d {
            for k in j..<d {
                let v = packed[idx] * scale
                idx += 1
                if j == k {
                    out[j * d + j] = v
                } else {
                    out[j * d + k] = v / 2
                    out[k * d + j] = v / 2
                }
            }
        }
    }
}
