import CKernels
import Dispatch
import Tensor

/// The Gram matrix of float64 weights, stored in float64 by blocks of rows of its upper triangle.
///
/// **Layout.** The rows of `G` are cut into blocks of `nb` rows (``blockRows(p:)``, ~128 KB); block `J` (rows `j₀ ..< j₁`) keeps columns `j₀ ..< p` of its rows, row-major, so its
/// `nb×nb` diagonal tile is stored in full and everything left of it is the mirror of an earlier
/// block. A product reads each row of a block from memory once, for both halves
/// (`msk_symmetric_block_f64`):
///
///     (Gx)[j] += B_J[j, :] · x[j₀..<p]                       (the block's rows, j₀ ≤ j < j₁)
///     (Gx)[j₁..<p] += Σ_{j=j₀}^{j₁−1} x[j] · B_J[j, nb..]     (their mirror below the diagonal)
///
/// the dot products in `msk_dot_f64`'s order and the mirror in `msk_accumulate_f64`'s (four rows
/// per sweep, in row order), so every CPU level gives the same bits. Blocks are grouped into fixed
/// chunks of about equal size, each with its own partial product, added in chunk order.
final class BlockedGram64: PackedGram {
    let p: Int
    let rootDiagonal: [Double]
    let rootOffDiagonal: [Double]
    let productRounding = 0.0
    /// Rows per block.
    let blockRows: Int
    /// The blocks, one after another.
    let storage: [Double]
    /// `offsets[J]` is where block `J` starts in ``storage``; one extra entry at the end.
    let offsets: [Int]
    /// `chunkStarts[c] ..< chunkStarts[c+1]` are the blocks of chunk `c`.
    let chunkStarts: [Int]

    /// Rows per block for rows of `p` doubles: `nb = max(4, ⌊16384/p⌋)`, a block of ~128 KB. Each
    /// block stores its nb×nb diagonal tile in full, so the storage is about p(p + nb)/2 doubles
    /// (``storedCount(p:)``): nb small against p where G is large, and blocks big enough that the
    /// 16 chunks each hold several.
    static func blockRows(p: Int) -> Int { max(4, 16_384 / max(p, 1)) }

    /// The number of doubles stored for `p` (`≈ p(p + nb)/2`), or `nil` on overflow.
    static func storedCount(p: Int) -> Int? {
        PackedGramBuild.blockOffsets(p: p, blockRows: blockRows(p: p))?.last
    }

    /// `G` of the `m×p` float64 rows; `nil` if `cancelled` returned true between panels (or the
    /// size overflows, which the memory checks before a build exclude).
    init?(rows: FusedPackedKernel.Rows, m: Int, p: Int, cancelled: (() -> Bool)? = nil) {
        let nb = Self.blockRows(p: p)
        guard let offsets = PackedGramBuild.blockOffsets(p: p, blockRows: nb) else { return nil }
        var storage = [Double](repeating: 0, count: offsets[offsets.count - 1])
        let summary = storage.withUnsafeMutableBufferPointer { out -> (rootDiagonal: [Double], rootOffDiagonal: [Double])? in
            guard let out = out.baseAddress else { return nil }
            let target = SharedPointer(base: out)
            return PackedGramBuild.computePanels(rows: rows, m: m, p: p, alignment: nb, cancelled: cancelled) { a, count, panel, width in
                for j in a..<(a + count) {
                    let block = j / nb, first = block * nb
                    let blockWidth = p - first
                    let source = panel + (j - a) * width + (first - a)
                    (target.base + offsets[block] + (j - first) * blockWidth).update(from: source, count: blockWidth)
                }
            }
        }
        guard let summary else { return nil }
        self.p = p
        self.blockRows = nb
        self.storage = storage
        self.offsets = offsets
        self.chunkStarts = PackedGramBuild.chunkStarts(offsets: offsets)
        (self.rootDiagonal, self.rootOffDiagonal) = summary
    }

    func multiply(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, partials: UnsafeMutablePointer<Double>) {
        storage.withUnsafeBufferPointer { stored in
            offsets.withUnsafeBufferPointer { offsets in
                chunkStarts.withUnsafeBufferPointer { starts in
                    guard let base = stored.baseAddress, let offsets = offsets.baseAddress,
                          let starts = starts.baseAddress else { return }
                    let shared = Shared(base: base, offsets: offsets, starts: starts, x: x, partials: partials, p: p, nb: blockRows)
                    PackedGramBuild.runChunks(
                        starts: chunkStarts, unitRows: blockRows, p: p,
                        serial: storage.count < DenseRowProducts.parallelThreshold, partials: partials, into: out
                    ) { c in Self.chunk(c, shared) }
                }
            }
        }
    }

    /// Chunk `c` of a product: its blocks' rows and mirrors, into its own partial.
    private static func chunk(_ c: Int, _ shared: Shared) {
        let (p, nb) = (shared.p, shared.nb)
        let firstRow = shared.starts[c] * nb
        let partial = shared.partials + c * p
        guard firstRow < p else { return }
        (partial + firstRow).initialize(repeating: 0, count: p - firstRow)
        for J in shared.starts[c]..<shared.starts[c + 1] {
            let j0 = J * nb, rows = min(nb, p - j0), width = p - j0
            msk_symmetric_block_f64(shared.base + shared.offsets[J], rows, width, shared.x + j0, partial + j0)
        }
    }

    /// The buffers shared with the product's chunks (each writes only its own partial).
    private struct Shared: @unchecked Sendable {
        let base: UnsafePointer<Double>
        let offsets: UnsafePointer<Int>
        let starts: UnsafePointer<Int>
        let x: UnsafePointer<Double>
        let partials: UnsafeMutablePointer<Double>
        let p: Int
        let nb: Int
    }
}
