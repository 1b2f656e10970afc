import CBLAS
import Dispatch
import Foundation
import Tensor

/// The Gram matrix `G = Σᵢ wᵢwᵢᵀ` (`p×p`, symmetric) of the packed measurement rows, stored once
/// as its upper triangle, for the normal-equations step (``NormalEquations``).
///
/// With `G` the packed adjoint of the fused kernel is one symmetric product,
///
///     s = Σᵢ rᵢ wᵢ = Σᵢ (wᵢ·g − yᵢ) wᵢ = G g − b,   b = Σᵢ yᵢ wᵢ,
///
/// which reads `p(p+1)/2` numbers instead of the `m·p` weights: fewer bytes per step whenever
/// `p + 1 < 2m` (half as many at d = 100, m = 5000; a tenth at d = 20, m = 1000).
///
/// **Layout.** The rows of `G` are cut into blocks of ``blockRows`` rows; block `J` (rows
/// `j₀ ..< j₁`) keeps columns `j₀ ..< p` of its rows, row-major, so its `nb×nb` diagonal tile is
/// stored in full and everything left of it is the mirror of an earlier block. A product reads
/// each block once, while it is in cache, for both halves of the symmetric product:
///
///     (Gx)[j₀..<j₁] += B_J · x[j₀..<p]           (the block's rows)
///     (Gx)[j₁..<p]  += B_J[:, nb..]ᵀ · x[j₀..<j₁]  (their mirror below the diagonal)
///
/// **Determinism.** Blocks are grouped into ``chunkCount`` fixed chunks of about equal work, each
/// accumulating its own partial product; partials are added in chunk order. The build computes
/// fixed panels of rows independently. Neither depends on the number of cores, so the bits are
/// the same on every thread count.
///
/// **Cost.** Building is about `m·p²` flops (a `dgemm` per panel of rows, both cores), once per
/// operator: 1–2 s at d = 100, m = 5000 on the 2-core CI machine kind (docs/performance.md).
final class PackedGram: Sendable {
    /// `p = d(d+1)/2`.
    let p: Int
    /// Rows per block (~128 KB of doubles, at least 4), as in ``FusedPackedKernel/rowsPerBlock(p:)``.
    let blockRows: Int
    /// The blocks, one after another (see the layout above).
    let storage: [Double]
    /// `offsets[J]` is where block `J` starts in ``storage``; one extra entry at the end.
    let offsets: [Int]
    /// `chunkStarts[c] ..< chunkStarts[c+1]` are the blocks of chunk `c`.
    let chunkStarts: [Int]
    /// `√G_kk = ‖column k of the weights‖`, which bounds every `|G_jk| ≤ √(G_jj G_kk)`.
    let rootDiagonal: [Double]

    /// Number of chunks of the product (fixed, independent of the cores).
    static let chunkCount = FusedPackedKernel.chunkCount
    /// Rows of `G` computed by one `dgemm` during the build.
    static let panelRows = 256
    /// Measurement rows widened to doubles at a time when building from float32 storage.
    static let widenRows = 512

    /// The number of doubles the blocked triangle takes for `p` (`≈ p(p + nb)/2`), or `nil` on overflow.
    static func storedCount(p: Int) -> Int? {
        let nb = FusedPackedKernel.rowsPerBlock(p: p)
        var total = 0
        var j0 = 0
        while j0 < p {
            let rows = min(nb, p - j0)
            let (size, o1) = rows.multipliedReportingOverflow(by: p - j0)
            let (sum, o2) = total.addingReportingOverflow(size)
            if o1 || o2 { return nil }
            total = sum
            j0 += rows
        }
        return total
    }

    /// Computes `G = Σᵢ wᵢwᵢᵀ` from the `m×p` rows (either storage; float32 weights are widened
    /// exactly, so `G` is the Gram of the stored operator, summed in float64).
    init(rows: FusedPackedKernel.Rows, m: Int, p: Int) {
        BLASThreads.useOne()
        let nb = FusedPackedKernel.rowsPerBlock(p: p)
        var offsets = [0]
        var j0 = 0
        while j0 < p {
            let rows = min(nb, p - j0)
            offsets.append(offsets[offsets.count - 1] + rows * (p - j0))
            j0 += rows
        }
        let blockCount = offsets.count - 1
        var storage = [Double](repeating: 0, count: offsets[blockCount])
        let panelRows = max(nb, Self.panelRows / nb * nb)
        let panelCount = (p + panelRows - 1) / panelRows
        let blockOffsets = offsets
        storage.withUnsafeMutableBufferPointer { out in
            let target = Target(rows: rows, base: out.baseAddress)
            DispatchQueue.concurrentPerform(iterations: panelCount) { panel in
                let a = panel * panelRows
                Self.buildPanel(rows: target.rows, m: m, p: p, first: a, count: min(panelRows, p - a),
                                blockRows: nb, offsets: blockOffsets, into: target)
            }
        }
        // Chunks of about equal work (stored numbers), cut at block boundaries.
        let chunks = min(Self.chunkCount, max(blockCount, 1))
        var starts = [0]
        var block = 0
        for c in 1..<chunks {
            let goal = offsets[blockCount] * c / chunks
            while block < blockCount, offsets[block] < goal { block += 1 }
            starts.append(max(block, starts[starts.count - 1]))
        }
        starts.append(blockCount)
        var root = [Double](repeating: 0, count: p)
        for J in 0..<blockCount {
            let first = J * nb, width = p - first
            for q in 0..<min(nb, p - first) {
                root[first + q] = storage[offsets[J] + q * width + q].squareRoot()
            }
        }
        self.p = p
        self.blockRows = nb
        self.storage = storage
        self.offsets = offsets
        self.chunkStarts = starts
        self.rootDiagonal = root
    }

    /// Rows `first ..< first+count` of `G`, columns `first ..< p`, by one `dgemm` over all
    /// measurements (float64 storage) or one per group of widened rows (float32), then copied into
    /// their blocks.
    private static func buildPanel(
        rows: FusedPackedKernel.Rows, m: Int, p: Int, first a: Int, count: Int,
        blockRows nb: Int, offsets: [Int], into target: Target
    ) {
        let width = p - a
        var panel = [Double](repeating: 0, count: count * width)
        panel.withUnsafeMutableBufferPointer { c in
            guard let c = c.baseAddress else { return }
            switch rows {
            case .float64(let w):
                // panel = W[:, a..<a+count]ᵀ · W[:, a..<p]
                cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(count), Int32(width), Int32(m),
                            1, w + a, Int32(p), w + a, Int32(p), 0, c, Int32(width))
            case .float32(let w):
                var widened = [Double](repeating: 0, count: min(widenRows, m) * width)
                widened.withUnsafeMutableBufferPointer { buffer in
                    guard let x = buffer.baseAddress else { return }
                    var i0 = 0
                    while i0 < m {
                        let n = min(widenRows, m - i0)
                        for i in 0..<n {
                            let source = w + (i0 + i) * p + a, row = x + i * width
                            for k in 0..<width { row[k] = Double(source[k]) }
                        }
                        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(count), Int32(width), Int32(n),
                                    1, x, Int32(width), x, Int32(width), i0 == 0 ? 0 : 1, c, Int32(width))
                        i0 += n
                    }
                }
            }
            guard let out = target.base else { return }
            for j in a..<(a + count) {
                let block = j / nb, blockFirst = block * nb
                let blockWidth = p - blockFirst
                let destination = out + offsets[block] + (j - blockFirst) * blockWidth
                let source = c + (j - a) * width + (blockFirst - a)
                destination.update(from: source, count: blockWidth)
            }
        }
    }

    /// `out = G x` (`p` values each); `partials` is scratch for ``chunkCount``·`p` doubles.
    func multiply(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, partials: UnsafeMutablePointer<Double>) {
        BLASThreads.useOne()
        let (p, nb) = (self.p, blockRows)
        let chunks = chunkStarts.count - 1
        storage.withUnsafeBufferPointer { stored in
            offsets.withUnsafeBufferPointer { offsets in
                chunkStarts.withUnsafeBufferPointer { starts in
                    guard let base = stored.baseAddress, let offsets = offsets.baseAddress,
                          let starts = starts.baseAddress else { return }
                    let shared = Shared(base: base, offsets: offsets, starts: starts, x: x, partials: partials)
                    let body: @Sendable (Int) -> Void = { c in
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
                    if storage.count < FusedPackedKernel.parallelThreshold {
                        for c in 0..<chunks { body(c) }
                    } else {
                        DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
                    }
                }
            }
        }
        out.initialize(repeating: 0, count: p)
        for c in 0..<chunks {
            let firstRow = chunkStarts[c] * nb
            guard firstRow < p else { continue }
            cblas_daxpy(Int32(p - firstRow), 1, partials + c * p + firstRow, 1, out + firstRow, 1)
        }
    }

    /// The blocked storage being filled by the build's panels (each writes its own rows).
    private struct Target: @unchecked Sendable {
        let rows: FusedPackedKernel.Rows
        let base: UnsafeMutablePointer<Double>?
    }

    /// The buffers shared with the product's chunks (each writes only its own partial).
    private struct Shared: @unchecked Sendable {
        let base: UnsafePointer<Double>
        let offsets: UnsafePointer<Int>
        let starts: UnsafePointer<Int>
        let x: UnsafePointer<Double>
        let partials: UnsafeMutablePointer<Double>
    }
}

extension PackedGram {
    /// Holds an operator's Gram matrix once built, so later runs on the same operator reuse it.
    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var gram: PackedGram?

        /// The Gram matrix if it has been built.
        var built: PackedGram? { lock.withLock { gram } }

        /// The Gram matrix, building it with `make` the first time (one build even when asked
        /// from several threads at once).
        func get(orBuild make: () throws(SensingError) -> PackedGram) throws(SensingError) -> PackedGram {
            lock.lock()
            defer { lock.unlock() }
            if let gram { return gram }
            let made = try make()
            gram = made
            return made
        }
    }
}
