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
/// about `4·m·d(d+1)/2 + 4·d²·r` flops. Built by ``gaussian(m:d:rng:)``,
/// ``nonSymmetricGaussian(m:d:rng:)`` and ``explicit(stack:m:d:)``.
public struct PackedSymmetricOperator: SensingOperator {
    public let d: Int
    public let m: Int
    public let name: String
    /// `p = d(d+1)/2`.
    let p: Int
    /// The `m×p` weights, row-major.
    let weights: [Double]
    /// Whether `E⟨Aᵢ, Z⟩² = ‖Z‖²_F` holds (the Gaussian ensembles) or nothing is known (explicit).
    let isGaussian: Bool

    /// Builds the operator by calling `fill(i, row)` for each `i`, where `row` has `p` slots.
    init(
        m: Int, d: Int, name: String, isGaussian: Bool, what: String,
        fill: (Int, UnsafeMutableBufferPointer<Double>) throws(SensingError) -> Void
    ) throws(SensingError) {
        try checkSizes(m: m, d: d, what)
        let (dd, o1) = d.multipliedReportingOverflow(by: d + 1)
        let p = dd / 2
        let (total, o2) = m.multipliedReportingOverflow(by: p)
        try MemoryBudget.require(
            doubles: (o1 || o2) ? nil : total, formula: "m·d(d+1)/2 = \(m)·\(p)",
            for: "\(what) with m = \(m), d = \(d)")
        var w = [Double](repeating: 0, count: total)
        try w.withUnsafeMutableBufferPointer { (buf) throws(SensingError) in
            for i in 0..<m {
                let row = UnsafeMutableBufferPointer(rebasing: buf[(i * p)..<((i + 1) * p)])
                try fill(i, row)
            }
        }
        self.d = d
        self.m = m
        self.p = p
        self.name = name
        self.isGaussian = isGaussian
        self.weights = w
    }

    public func measure(_ z: Matrix) throws(SensingError) -> [Double] {
        try checkSquare(z)
        var packed = [Double](repeating: 0, count: p)
        var idx = 0
        for j in 0..<d {
            for k in j..<d {
                packed[idx] = j == k ? z[j, j] : (z[j, k] + z[k, j]) / 2
                idx += 1
            }
        }
        var out = [Double](repeating: 0, count: m)
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
        var packed = [Double](repeating: 0, count: p)
        var out = [Double](repeating: 0, count: d * d)
        weights.withUnsafeBufferPointer { pw in
            r.withUnsafeBufferPointer { pr in
                packed.withUnsafeMutableBufferPointer { pp in
                    gemvRaw(pw.baseAddress, rows: m, cols: p, pr.baseAddress, pp.baseAddress, transpose: true)
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
        var out = [Double](repeating: 0, count: d * d)
        weights.withUnsafeBufferPointer { pw in
            out.withUnsafeMutableBufferPointer { po in
                unpack(UnsafeBufferPointer(rebasing: pw[(i * p)..<((i + 1) * p)]), into: po, scale: 1)
            }
        }
        return Matrix(uncheckedRows: d, cols: d, elements: out)
    }

    /// `‖Z‖²_F` for the Gaussian ensembles (see ``gaussian(m:d:rng:)``); `nil` for explicit stacks.
    public func expectedSquaredMeasurement(_ z: Matrix) -> Double? {
        guard isGaussian else { return nil }
        let n = frobeniusNorm(z)
        return n * n
    }

    /// Kernel: `M = UUᵀ` (dgemm), `g = pack(M)`, then one fused pass over the rows giving
    /// `rᵢ = wᵢ·g − yᵢ` and `s = Σᵢ rᵢ wᵢ` (``FusedPackedKernel``, deterministic), `f = Σ rᵢ²/(4m)`,
    /// `∇f = unpack(s)/m · U` (dgemm). No allocation once the workspace is sized.
    public func lossAndGradient(
        _ u: Matrix, _ y: [Double], gradient: inout Matrix, workspace ws: inout SensingWorkspace
    ) throws(SensingError) -> Double {
        let r = u.cols
        let (d, m, p) = (self.d, self.m, self.p)
        SensingWorkspace.ensure(&ws.gram, d * d)
        SensingWorkspace.ensure(&ws.square, d * d)
        SensingWorkspace.ensure(&ws.scratch, 2 * p)
        SensingWorkspace.ensure(&ws.residuals, m)
        SensingWorkspace.ensure(&ws.partials, FusedPackedKernel.chunkCount * p)
        guard y.count == m else { throw .shapeMismatch("y has \(y.count) values but the ensemble has \(m) measurements") }
        var sumSquares = 0.0
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
                    ws.residuals.withUnsafeMutableBufferPointer { pr in
                        ws.partials.withUnsafeMutableBufferPointer { pp in
                            weights.withUnsafeBufferPointer { pw in
                                y.withUnsafeBufferPointer { py in
                                    guard let w = pw.baseAddress, let t = py.baseAddress, let res = pr.baseAddress,
                                          let part = pp.baseAddress else { return }
                                    sumSquares = FusedPackedKernel.run(
                                        weights: w, m: m, p: p, gram: packed, targets: t, residuals: res,
                                        adjoint: packed + p, partials: part)
                                }
                            }
                        }
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
        return sumSquares / (4 * Double(m))
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
