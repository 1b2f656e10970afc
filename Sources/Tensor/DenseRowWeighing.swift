import CKernels

/// The fused pass of a dense measurement stack with weights chosen from the measurements: for the
/// `m×p` row-major weights `W` (row `i` is `vec(Aᵢ)`) and a vector `x`,
///
///     zᵢ = wᵢ·x,    cᵢ = weigh(zᵢ),    out = scale · Σᵢ cᵢ wᵢ
///
/// in one pass over `W`: each block of rows is read once, its `z` computed, its coefficients
/// chosen by `weigh`, and its rows accumulated while the block is still in cache, in the sweep
/// that computes the next block's `z` (`msk_dots_accumulate_f64`). This is the builtin's fused
/// block kernel (`msk_fused_block_f64`, the case `cᵢ = zᵢ − yᵢ`) with `weigh` between its sweeps,
/// on the same blocks of rows (~128 KB) and the same ``DenseRowProducts/chunkCount`` fixed chunks
/// whose partial sums are added in chunk order: the same bits on every machine and thread count.
extension DenseRowProducts {
    /// Chooses the coefficients of a block of rows from their products: `weigh(rows, z, c)` writes
    /// `c[i]` for every `i` in `rows`, reading `z[i]` (`z` and `c` point at the whole `m`-vectors).
    /// It is called once per block, concurrently for blocks of different chunks, and must write
    /// nothing outside its rows.
    public typealias Weighing = @Sendable (_ rows: Range<Int>, _ z: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>) -> Void

    /// Rows per cache block for rows of `p` weights: ~128 KB of doubles, at least 4 rows (the
    /// builtin fused pass's blocks).
    public static func rowsPerBlock(p: Int) -> Int { max(4, 16_384 / max(p, 1)) }

    /// Fills `z` (m) and `coefficients` (m) and writes `out = scale · Σᵢ cᵢ wᵢ` (p), reading the
    /// rows once.
    public static func weightedPass(
        _ weights: UnsafePointer<Double>, m: Int, p: Int, _ x: UnsafePointer<Double>,
        products z: UnsafeMutablePointer<Double>, coefficients: UnsafeMutablePointer<Double>,
        weigh: Weighing, scale: Double, into out: UnsafeMutablePointer<Double>
    ) {
        let chunks = min(chunkCount, max(m, 1))
        // The chunks call `weigh` only while this function runs.
        withoutActuallyEscaping(weigh) { weigh in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: max(chunks * p, 1)) { buffer in
                guard let partials = buffer.baseAddress else { return }
                let shared = WeighedRows(weights: weights, x: x, z: z, c: coefficients, partials: partials,
                                         m: m, p: p, chunks: chunks, blockRows: rowsPerBlock(p: p), weigh: weigh)
                forEachChunk(chunks, weights: m * p) { c in shared.chunk(c) }
                addPartials(partials, chunks: chunks, p: p, scale: scale, into: out)
            }
        }
    }

    /// ``weightedPass(_:m:p:_:products:coefficients:weigh:scale:into:)`` on arrays: the products
    /// `z` (m) and `scale · Σᵢ cᵢ wᵢ` (p) for the `m×p` row-major `weights` and `x` (p values;
    /// sizes are the caller's to check).
    public static func weightedPass(
        _ weights: [Double], m: Int, p: Int, _ x: [Double], weigh: Weighing, scale: Double
    ) -> (products: [Double], sum: [Double]) {
        var z = [Double](repeating: 0, count: m)
        var c = [Double](repeating: 0, count: m)
        var out = [Double](repeating: 0, count: p)
        weights.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                z.withUnsafeMutableBufferPointer { pz in
                    c.withUnsafeMutableBufferPointer { pc in
                        out.withUnsafeMutableBufferPointer { po in
                            guard let a = pa.baseAddress, let xs = px.baseAddress, let zs = pz.baseAddress,
                                  let cs = pc.baseAddress, let o = po.baseAddress,
                                  pa.count >= m * p, px.count >= p
                            else { return }
                            weightedPass(a, m: m, p: p, xs, products: zs, coefficients: cs, weigh: weigh, scale: scale, into: o)
                        }
                    }
                }
            }
        }
        return (z, out)
    }

    /// The coefficients `weigh` chooses for all of `z` at once (for maps with no pass over stored
    /// rows to fuse with).
    public static func coefficients(of z: [Double], weigh: Weighing) -> [Double] {
        var c = [Double](repeating: 0, count: z.count)
        z.withUnsafeBufferPointer { pz in
            c.withUnsafeMutableBufferPointer { pc in
                guard let zs = pz.baseAddress, let cs = pc.baseAddress else { return }
                weigh(0..<pz.count, zs, cs)
            }
        }
        return c
    }

    /// The raw buffers shared with the chunks (each writes disjoint parts).
    private struct WeighedRows: @unchecked Sendable {
        let weights: UnsafePointer<Double>
        let x: UnsafePointer<Double>
        let z: UnsafeMutablePointer<Double>
        let c: UnsafeMutablePointer<Double>
        let partials: UnsafeMutablePointer<Double>
        let m: Int
        let p: Int
        let chunks: Int
        let blockRows: Int
        let weigh: Weighing

        /// Chunk `k`: its rows block by block, `z_B = W_B x`, `c_B = weigh(z_B)`, partial `+= W_Bᵀ c_B`,
        /// each block's products computed in the sweep that accumulates the block before it.
        func chunk(_ k: Int) {
            let lo = m * k / chunks, hi = m * (k + 1) / chunks
            let partial = partials + k * p
            partial.initialize(repeating: 0, count: p)
            var previous = lo..<lo
            var i = lo
            while i < hi {
                let n = min(blockRows, hi - i)
                msk_dots_accumulate_f64(weights + i * p, n, p, x, z + i, (hi - i) * p,
                                        weights + previous.lowerBound * p, previous.count, c + previous.lowerBound, partial)
                weigh(i..<(i + n), UnsafePointer(z), c)
                previous = i..<(i + n)
                i += n
            }
            msk_accumulate_f64(weights + previous.lowerBound * p, previous.count, p, c + previous.lowerBound, partial)
        }
    }
}
