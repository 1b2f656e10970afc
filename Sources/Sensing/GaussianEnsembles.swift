import Tensor

extension PackedSymmetricOperator {
    /// The symmetric Gaussian ensemble `Aᵢ = (Gᵢ + Gᵢᵀ)/2`, `Gᵢ` with i.i.d. N(0, 1) entries.
    ///
    /// Equivalently `(Aᵢ)ⱼⱼ ~ N(0, 1)` and `(Aᵢ)ⱼₖ = (Aᵢ)ₖⱼ ~ N(0, 1/2)` for `j < k`, all
    /// independent; this is how it is drawn (`d(d+1)/2` normals per matrix, row `j` of the upper
    /// triangle before row `j+1`). Normalisation: for symmetric `Z`,
    /// `⟨Aᵢ, Z⟩ ~ N(0, ‖Z‖²_F)`, so `E⟨Aᵢ, Z⟩² = ‖Z‖²_F` (RIP normalisation).
    ///
    /// `storage: .float32` keeps the same draws rounded to `Float` (see ``Storage``).
    ///
    /// - Throws: if `m < 1`, `d < 1`, or the `m·d(d+1)/2` weights do not fit in available memory.
    public static func gaussian(m: Int, d: Int, rng: inout Xoshiro256, storage: Storage = .float64) throws(SensingError) -> PackedSymmetricOperator {
        try PackedSymmetricOperator(
            m: m, d: d, name: "gaussian", isGaussian: true, what: "the symmetric Gaussian ensemble", storage: storage
        ) { (_, row) throws(SensingError) in
            var idx = 0
            for j in 0..<d {
                for k in j..<d {
                    // Weight 2·(Aᵢ)ⱼₖ = 2·N(0, 1/2) = √2·N(0, 1) off the diagonal.
                    row[idx] = j == k ? rng.nextNormal() : 2.0.squareRoot() * rng.nextNormal()
                    idx += 1
                }
            }
        }
    }

    /// The non-symmetric Gaussian ensemble of the paper's figures: `Aᵢ` with all `d²` entries
    /// i.i.d. N(0, 1), drawn row-major. Only `Sᵢ = (Aᵢ + Aᵢᵀ)/2` enters (measured matrices are
    /// symmetric), so it has the same distribution as ``gaussian(m:d:rng:storage:)`` and the same
    /// normalisation `E⟨Aᵢ, Z⟩² = ‖Z‖²_F`, but a different random stream (`d²` draws per matrix).
    public static func nonSymmetricGaussian(m: Int, d: Int, rng: inout Xoshiro256, storage: Storage = .float64) throws(SensingError) -> PackedSymmetricOperator {
        // The d² draws of one Aᵢ are allocated once sizes and memory (counting them) are checked.
        var g: [Double] = []
        return try PackedSymmetricOperator(
            m: m, d: d, name: "gaussian_nonsym", isGaussian: true, what: "the non-symmetric Gaussian ensemble", storage: storage,
            scratchDoubles: min(max(d, 0), maxDimension) * min(max(d, 0), maxDimension)
        ) { (_, row) throws(SensingError) in
            if g.isEmpty { g = try tensor { () throws(TensorError) in try Matrix.zeroedStorage(d, d) } }
            for t in 0..<g.count { g[t] = rng.nextNormal() }
            var idx = 0
            for j in 0..<d {
                for k in j..<d {
                    row[idx] = j == k ? g[j * d + j] : g[j * d + k] + g[k * d + j]
                    idx += 1
                }
            }
        }
    }

    /// An explicit stack of `m` matrices `Aᵢ` (`d×d`), flattened as `stack[i·d² + j·d + k] = (Aᵢ)ⱼₖ`
    /// (the C order of a NumPy `(m, d, d)` array). Only `Sᵢ = (Aᵢ + Aᵢᵀ)/2` is kept.
    ///
    /// - Throws: if the count is not `m·d²`, an entry is NaN/infinite (naming `A[i, j, k]`), or the
    ///   packed storage does not fit in memory.
    public static func explicit(stack: [Double], m: Int, d: Int, storage: Storage = .float64) throws(SensingError) -> PackedSymmetricOperator {
        try checkSizes(m: m, d: d, "the explicit measurement stack")
        let (dd, o1) = d.multipliedReportingOverflow(by: d)
        let (n, o2) = m.multipliedReportingOverflow(by: dd)
        guard !o1, !o2, stack.count == n else {
            throw .shapeMismatch(
                "the measurement stack has \(stack.count) values but m·d² = \(m)·\(d)² values are needed for m = \(m), d = \(d)")
        }
        try requireFinite(stack, "A") { "[\($0 / dd), \(($0 % dd) / d), \($0 % d)]" }
        return try PackedSymmetricOperator(
            m: m, d: d, name: "explicit", isGaussian: false, what: "the explicit measurement stack", storage: storage
        ) { (i, row) throws(SensingError) in
            let base = i * dd
            var idx = 0
            for j in 0..<d {
                for k in j..<d {
                    row[idx] = j == k ? stack[base + j * d + j] : stack[base + j * d + k] + stack[base + k * d + j]
                    idx += 1
                }
            }
        }
    }
}
