import CBLAS
import Dispatch
import Tensor

/// The Gram matrix of float64 weights, stored in float64 by blocks of rows of its upper triangle.
///
/// **Layout.** The rows of `G` are cut into blocks of `nb` rows (``blockRows(p:)``, ~128 KB); block `J` (rows `j₀ ..< j₁`) keeps columns `j₀ ..< p` of its rows, row-major, so its
/// `nb×nb` diagonal tile is stored in full and everything left of it is the mirror of an earlier
/// block. A product reads each block once, while it is in cache, for both halves:
///
///     (Gx)[j₀..<j₁] += B_J · x[j₀..<p]            (the block's rows, dgemv)
///     (Gx)[j₁..<p]  += B_J[:, nb..]ᵀ · x[j₀..<j₁]   (their mirror below the diagonal, dgemv)
///
/// Blocks are grouped into fixed chunks of about equal size, each with its own partial product.
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

    /// Rows per block for rows of `p` doubles: `nb = max(4, ⌊16384/p⌋)`, ~128 KB, so a block
    /// stays in L2 while both halves of the product read it.
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
        BLASThreads.useOne()
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
            let block = shared.base + shared.offsets[J]
            cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(width), 1, block, Int32(width),
                        shared.x + j0, 1, 1, partial + j0, 1)
            if width > rows {
                cblas_dgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(width - rows), 1, block + rows,
                            Int32(width), shared.x + j0, 1, 1, partial + j0 + rows, 1)
            }
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
