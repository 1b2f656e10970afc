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
/// which reads about `p(p+1)/2` numbers instead of the `m·p` weights: fewer bytes per step
/// whenever `p + 1 < 2m` (half as many at d = 100, m = 5000; a tenth at d = 20, m = 1000).
///
/// `G` is always summed in float64 (float32 weights are widened exactly, so it is the Gram of the
/// stored operator). It is kept in the operator's precision: ``BlockedGram64`` (float64, products
/// exact up to float64 rounding) or ``TiledGram32`` (float32 entries, short sums in float32).
///
/// **Determinism.** Products split the work into ``chunkCount`` fixed chunks with partial results
/// added in chunk order; the build computes fixed panels of rows independently. Neither depends on
/// the number of cores, so the bits are the same on every thread count.
///
/// **Cost.** Building is about `m·p²` flops (a `dgemm` per panel of rows, both cores), once per
/// operator: 1.5–1.8 s at d = 100, m = 5000 on the 2-core CI machine kind (docs/performance.md).
protocol PackedGram: AnyObject, Sendable {
    /// `p = d(d+1)/2`.
    var p: Int { get }
    /// `√G_kk = ‖column k of the weights‖`, which bounds every `|G_jk| ≤ √(G_jj G_kk)`.
    var rootDiagonal: [Double] { get }
    /// `√oₖ` with `oₖ = max_{j≠k} |G_jk|` (as stored), so `|G_jk| ≤ √(oⱼ oₖ)` off the diagonal:
    /// much tighter than the diagonal's bound when the weights are random (`oₖ ~ √m`, `G_kk ~ m`).
    var rootOffDiagonal: [Double] { get }
    /// The relative rounding of a product beyond float64's, `ε` in the loss bound of
    /// ``NormalEquations`` (0 for float64 storage).
    var productRounding: Double { get }
    /// `out = G x` (`p` values each; `x` and `out` may be the same buffer, as all of `x` is read
    /// before `out` is written); `partials` is scratch for ``PackedGramBuild/scratchCount(p:)`` doubles.
    func multiply(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, partials: UnsafeMutablePointer<Double>)
}

/// Building a ``PackedGram``: the layout for a storage, its size, and the panels of `G`.
enum PackedGramBuild {
    /// Number of chunks of a product (fixed, independent of the cores).
    static let chunkCount = FusedPackedKernel.chunkCount
    /// Rows of `G` computed by one `dgemm` during the build.
    static let panelRows = 256
    /// Measurement rows widened to doubles at a time when building from float32 storage.
    static let widenRows = 256
    /// Panels computed at once (each with its scratch), at most; batches are also where a
    /// build can be cancelled.
    static let concurrentPanels = min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 8)

    /// `G` for the rows, in the layout of their storage, or `nil` if `cancelled` returned true
    /// between two batches of panels.
    static func make(rows: FusedPackedKernel.Rows, m: Int, p: Int, cancelled: (() -> Bool)? = nil) -> (any PackedGram)? {
        switch rows {
        case .float64: BlockedGram64(rows: rows, m: m, p: p, cancelled: cancelled)
        case .float32: TiledGram32(rows: rows, m: m, p: p, cancelled: cancelled)
        }
    }

    /// The numbers `G` stores for `p` in the given storage, or `nil` on overflow.
    static func storedCount(p: Int, float32: Bool) -> Int? {
        float32 ? TiledGram32.storedCount(p: p) : BlockedGram64.storedCount(p: p)
    }

    /// The bytes building `G` needs: `G` itself plus the scratch of ``concurrentPanels`` panels
    /// (`panelRows·p` doubles each, and `widenRows·p` more for float32 storage); `nil` on overflow.
    static func buildBytes(p: Int, float32: Bool) -> Int? {
        guard let count = storedCount(p: p, float32: float32) else { return nil }
        let scratchRows = panelRows + (float32 ? widenRows : 0)
        let (g, o1) = count.multipliedReportingOverflow(by: float32 ? 4 : 8)
        let (scratch, o2) = p.multipliedReportingOverflow(by: scratchRows * 8 * concurrentPanels)
        let (total, o3) = g.addingReportingOverflow(scratch)
        return o1 || o2 || o3 ? nil : total
    }

    /// Computes `G` panel by panel (``concurrentPanels`` at a time; panels of ``panelRows``
    /// rows, a multiple of `alignment`) and hands each to `store(first, count, panel, width)`:
    /// rows `first ..< first+count` of `G`, columns `first ..< p`, row-major with
    /// `width = p − first`. `store` runs on worker threads and must write only what belongs to
    /// those rows. Returns `√G_kk` and `√(max_{j≠k} |G_jk|)` for every `k` (float64 values, before
    /// any rounding by the layout), or `nil` if `cancelled` (polled between batches) returned true.
    static func computePanels(
        rows: FusedPackedKernel.Rows, m: Int, p: Int, alignment: Int, cancelled: (() -> Bool)?,
        store: @Sendable (_ first: Int, _ count: Int, _ panel: UnsafePointer<Double>, _ width: Int) -> Void
    ) -> (rootDiagonal: [Double], rootOffDiagonal: [Double])? {
        BLASThreads.useOne()
        let step = max(alignment, panelRows / alignment * alignment)
        let panelCount = (p + step - 1) / step
        let source = Source(rows: rows)
        // Per panel: the largest |G_jk|, j ≠ k, in each column k (its rows j < k and, for its own
        // rows, the rest of the row), so no two panels write the same number.
        var largest = [Double](repeating: 0, count: panelCount * p)
        var diagonal = [Double](repeating: 0, count: p)
        let complete = largest.withUnsafeMutableBufferPointer { largestOut in
            diagonal.withUnsafeMutableBufferPointer { diagonalOut in
                guard let l = largestOut.baseAddress, let g = diagonalOut.baseAddress else { return false }
                let summary = (largest: SharedPointer(base: l), diagonal: SharedPointer(base: g))
                var first = 0
                while first < panelCount {
                    if cancelled?() == true { return false }
                    let (start, batch) = (first, min(concurrentPanels, panelCount - first))
                    DispatchQueue.concurrentPerform(iterations: batch) { index in
                        let panel = start + index
                        computePanel(panel, step: step, rows: source, m: m, p: p) { a, count, values, width in
                            let columnMax = summary.largest.base + panel * p
                            for j in a..<(a + count) {
                                let row = values + (j - a) * width
                                summary.diagonal.base[j] = row[j - a]
                                var rowMax = 0.0
                                for k in (j + 1)..<max(p, j + 1) {
                                    let size = abs(row[k - a])
                                    rowMax = max(rowMax, size)
                                    columnMax[k] = max(columnMax[k], size)
                                }
                                columnMax[j] = max(columnMax[j], rowMax)
                            }
                            store(a, count, values, width)
                        }
                    }
                    first += batch
                }
                return true
            }
        }
        guard complete else { return nil }
        var offDiagonal = [Double](repeating: 0, count: p)
        for panel in 0..<panelCount {
            for k in 0..<p { offDiagonal[k] = max(offDiagonal[k], largest[panel * p + k]) }
        }
        return (diagonal.map { max($0, 0).squareRoot() }, offDiagonal.map { $0.squareRoot() })
    }

    /// Panel `panel` (rows `panel·step ..< …` of `G`), computed and handed to `store`.
    private static func computePanel(
        _ panel: Int, step: Int, rows source: Source, m: Int, p: Int,
        store: (_ first: Int, _ count: Int, _ panel: UnsafePointer<Double>, _ width: Int) -> Void
    ) {
        let a = panel * step, count = min(step, p - a), width = p - a
        var buffer = [Double](repeating: 0, count: count * width)
        buffer.withUnsafeMutableBufferPointer { c in
            guard let c = c.baseAddress else { return }
            switch source.rows {
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
                            let from = w + (i0 + i) * p + a, row = x + i * width
                            for k in 0..<width { row[k] = Double(from[k]) }
                        }
                        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(count), Int32(width), Int32(n),
                                    1, x, Int32(width), x, Int32(width), i0 == 0 ? 0 : 1, c, Int32(width))
                        i0 += n
                    }
                }
            }
            store(a, count, c, width)
        }
    }

    /// The scratch a product needs: the chunks' partial products (``chunkCount``·`p` doubles) and
    /// room for `x` in float32 (``TiledGram32``, `p` floats in `p` doubles).
    static func scratchCount(p: Int) -> Int { (chunkCount + 1) * p }

    /// Where each block of `blockRows` rows of the upper triangle starts when block `J` keeps
    /// columns `J·blockRows ..< p` of its rows (the layout of both ``BlockedGram64`` and
    /// ``TiledGram32``); one extra entry at the end, the total. `nil` on overflow.
    static func blockOffsets(p: Int, blockRows: Int) -> [Int]? {
        var offsets = [0]
        var first = 0
        while first < p {
            let rows = min(blockRows, p - first)
            let (size, o1) = rows.multipliedReportingOverflow(by: p - first)
            let (total, o2) = (offsets.last ?? 0).addingReportingOverflow(size)
            if o1 || o2 { return nil }
            offsets.append(total)
            first += rows
        }
        return offsets
    }

    /// One product's chunks and their reduction, shared by both layouts: runs `chunk(c)` for every
    /// chunk (on the calling thread when `serial`, else on all cores; the closure is passed
    /// straight through, so nothing is allocated), then writes `out = Σ_c partial_c` in chunk
    /// order, each partial over its rows `starts[c]·unitRows ..< p` (the rows it wrote).
    static func runChunks(
        starts: [Int], unitRows: Int, p: Int, serial: Bool,
        partials: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>,
        chunk: @Sendable (Int) -> Void
    ) {
        let chunks = starts.count - 1
        if serial {
            for c in 0..<chunks { chunk(c) }
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: chunk)
        }
        out.initialize(repeating: 0, count: p)
        for c in 0..<chunks {
            let firstRow = starts[c] * unitRows
            guard firstRow < p else { continue }
            cblas_daxpy(Int32(p - firstRow), 1, partials + c * p + firstRow, 1, out + firstRow, 1)
        }
    }

    /// Fixed chunk boundaries over `units` (block rows or tile rows) whose stored sizes start at
    /// `offsets` (one extra entry at the end): about equal numbers per chunk.
    static func chunkStarts(offsets: [Int]) -> [Int] {
        let units = offsets.count - 1
        let chunks = min(chunkCount, max(units, 1))
        var starts = [0]
        var unit = 0
        for c in 1..<max(chunks, 1) {
            let goal = (offsets.last ?? 0) / chunks * c
            while unit < units, offsets[unit] < goal { unit += 1 }
            starts.append(max(unit, starts[starts.count - 1]))
        }
        starts.append(units)
        return starts
    }

    /// The rows being read by the build's workers.
    private struct Source: @unchecked Sendable {
        let rows: FusedPackedKernel.Rows
    }
}

/// Holds an operator's Gram matrix once built, so later runs on the same operator reuse it.
final class PackedGramCache: @unchecked Sendable {
    private let lock = NSLock()
    private var gram: (any PackedGram)?

    /// The Gram matrix if it has been built.
    var built: (any PackedGram)? { lock.withLock { gram } }

    /// The Gram matrix, building it with `make` the first time (one build even when asked from
    /// several threads at once; a build that returns `nil`, cancelled, is not kept).
    func get(orBuild make: () throws(SensingError) -> (any PackedGram)?) throws(SensingError) -> (any PackedGram)? {
        lock.lock()
        defer { lock.unlock() }
        if let gram { return gram }
        gram = try make()
        return gram
    }
}

/// A raw destination shared with the build's workers (each writes only its own rows).
struct SharedPointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
