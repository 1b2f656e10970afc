import CBLAS
import Dispatch
import Tensor

/// The Gram matrix of float32 weights, stored in float32 as square tiles of its upper triangle.
///
/// `G` is summed in float64 and each entry rounded once to `Float` (relative 2⁻²⁴), halving the
/// bytes a step reads again (51 MB at d = 100). A product rounds `x` to `Float` too and works tile
/// by tile with OpenBLAS `sgemv`, so each **float32 sum is short — at most ``tileSize`` terms** —
/// and the sums over tiles, which are long and cancel near convergence, are float64:
///
///     (Gx)[I] = Σ_J  fl₃₂( T_IJ · fl₃₂(x[J]) )     (outer sum in float64)
///
/// for the tiles `T_IJ` (`J ≥ I` stored, `J < I` read as the transpose of `T_JI`). Each product
/// entry is within about `(tileSize + 3)·2⁻²⁴ · Σ |G_jk x_k|` of the float64 one
/// (``productRounding``): the rounding of the entries, of `x`, and of a float32 sum.
///
/// **Layout.** Tile row `I` (rows `i₀ ..< i₀ + rows`, `i₀ = I·tileSize`) holds its tiles
/// `J = I, I+1, …` one after another, each row-major with `min(tileSize, p − J·tileSize)`
/// columns; the diagonal tile is full. Tile rows are grouped into fixed chunks of about equal
/// size, each with its own float64 partial product; within a chunk the tile results are added
/// in tile order, and the partials in chunk order.
final class TiledGram32: PackedGram {
    /// The edge of a tile: 32 was fastest at d = 100 among 16, 32, 48, 64, 128 and 256 on the CI
    /// machine kind (2.4 ms per product against 3.0–3.9 ms; docs/performance.md).
    static let tileSize = 32

    let p: Int
    let rootDiagonal: [Double]
    let rootOffDiagonal: [Double]
    let productRounding = Double(tileSize + 3) * 0x1p-24
    /// The tiles, tile row after tile row.
    let storage: [Float]
    /// `rowOffsets[I]` is where tile row `I` starts in ``storage``; one extra entry at the end.
    let rowOffsets: [Int]
    /// `chunkStarts[c] ..< chunkStarts[c+1]` are the tile rows of chunk `c`.
    let chunkStarts: [Int]

    /// The number of floats stored for `p` (`≈ p(p + tileSize)/2`), or `nil` on overflow.
    static func storedCount(p: Int) -> Int? {
        PackedGramBuild.blockOffsets(p: p, blockRows: tileSize)?.last
    }

    /// `G` of the `m×p` rows (float32 storage; float64 rows work too and are rounded the same way);
    /// `nil` if `cancelled` returned true between panels (or the size overflows, which the memory
    /// checks before a build exclude).
    init?(rows: FusedPackedKernel.Rows, m: Int, p: Int, cancelled: (() -> Bool)? = nil) {
        let t = Self.tileSize
        guard let offsets = PackedGramBuild.blockOffsets(p: p, blockRows: t) else { return nil }
        var storage = [Float](repeating: 0, count: offsets[offsets.count - 1])
        let summary = storage.withUnsafeMutableBufferPointer { out -> (rootDiagonal: [Double], rootOffDiagonal: [Double])? in
            guard let out = out.baseAddress else { return nil }
            let target = SharedPointer(base: out)
            return PackedGramBuild.computePanels(rows: rows, m: m, p: p, alignment: t, cancelled: cancelled) { a, count, panel, width in
                for j in a..<(a + count) {
                    let tileRow = j / t, top = tileRow * t, q = j - top
                    let height = min(t, p - top)
                    let source = panel + (j - a) * width
                    var column = top
                    while column < p {
                        let cols = min(t, p - column)
                        let tile = target.base + offsets[tileRow] + height * (column - top)
                        for k in 0..<cols { tile[q * cols + k] = Float(source[column - a + k]) }
                        column += cols
                    }
                }
            }
        }
        guard let summary else { return nil }
        self.p = p
        self.storage = storage
        self.rowOffsets = offsets
        self.chunkStarts = PackedGramBuild.chunkStarts(offsets: offsets)
        (self.rootDiagonal, self.rootOffDiagonal) = summary
    }

    func multiply(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, partials: UnsafeMutablePointer<Double>) {
        BLASThreads.useOne()
        let p = self.p
        // x in float32, in the scratch after the chunks' partials (p floats fit in p doubles).
        (partials + PackedGramBuild.chunkCount * p).withMemoryRebound(to: Float.self, capacity: p) { x32 in
            for k in 0..<p { x32[k] = Float(x[k]) }
            storage.withUnsafeBufferPointer { stored in
                rowOffsets.withUnsafeBufferPointer { offsets in
                    chunkStarts.withUnsafeBufferPointer { starts in
                        guard let base = stored.baseAddress, let offsets = offsets.baseAddress,
                              let starts = starts.baseAddress else { return }
                        let shared = Shared(base: base, offsets: offsets, starts: starts, x: x32, partials: partials, p: p)
                        // Half the bytes of float64: the same threshold in bytes.
                        PackedGramBuild.runChunks(
                            starts: chunkStarts, unitRows: Self.tileSize, p: p,
                            serial: storage.count < 2 * DenseRowProducts.parallelThreshold, partials: partials, into: out
                        ) { c in Self.chunk(c, shared) }
                    }
                }
            }
        }
    }

    /// Chunk `c` of a product: its tile rows and their mirrors, into its own partial.
    private static func chunk(_ c: Int, _ shared: Shared) {
        let (p, t) = (shared.p, tileSize)
        let firstRow = shared.starts[c] * t
        let partial = shared.partials + c * p
        guard firstRow < p else { return }
        (partial + firstRow).initialize(repeating: 0, count: p - firstRow)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: t) { buffer in
            guard let sums = buffer.baseAddress else { return }
            for tileRow in shared.starts[c]..<shared.starts[c + 1] {
                let top = tileRow * t, height = min(t, p - top)
                var column = top
                while column < p {
                    let cols = min(t, p - column)
                    let tile = shared.base + shared.offsets[tileRow] + height * (column - top)
                    // This tile's rows: Σ over its ≤ t columns in float32.
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(height), Int32(cols), 1, tile, Int32(cols),
                                shared.x + column, 1, 0, sums, 1)
                    for q in 0..<height { partial[top + q] += Double(sums[q]) }
                    if column > top {
                        // Its mirror below the diagonal: Σ over its ≤ t rows.
                        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(height), Int32(cols), 1, tile, Int32(cols),
                                    shared.x + top, 1, 0, sums, 1)
                        for k in 0..<cols { partial[column + k] += Double(sums[k]) }
                    }
                    column += cols
                }
            }
        }
    }

    /// The buffers shared with the product's chunks (each writes only its own partial).
    private struct Shared: @unchecked Sendable {
        let base: UnsafePointer<Float>
        let offsets: UnsafePointer<Int>
        let starts: UnsafePointer<Int>
        let x: UnsafePointer<Float>
        let partials: UnsafeMutablePointer<Double>
        let p: Int
    }
}
