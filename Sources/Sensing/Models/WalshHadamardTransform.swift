import Dispatch

/// The fast Walsh–Hadamard transform, in place and unnormalised:
///
///     x ← H_N x,   (H_N)ⱼₖ = (−1)^popcount(j & k),   N = 2^k
///
/// so `H_N H_N = N·I` and `H_N / √N` is orthonormal and symmetric. It is computed by the
/// `k` butterfly stages `h = 1, 2, 4, …, N/2`, in that order: for every pair `(j, j + h)` with
/// bit `h` of `j` clear, `(xⱼ, xⱼ₊ₕ) ← (xⱼ + xⱼ₊ₕ, xⱼ − xⱼ₊ₕ)`. Every output is therefore the
/// same sequence of additions however the work is split, so the result is bit for bit the
/// textbook radix-2 loop's on any number of threads (and NumPy's `fwht` in Tests/Oracle).
///
/// Cost `N·log₂N` additions over contiguous memory, in two passes: first every block of
/// ``blockLength`` numbers (32 KiB, an L1 cache) takes the stages `h < blockLength`; then the
/// remaining stages run on strips of columns of the `(N/blockLength) × blockLength` array,
/// each strip (about 256 KiB) taking all of them while it is in cache. Stages go two at a
/// time (radix 4: the same additions in the same order, half the loads and stores), in loops
/// over contiguous runs the compiler vectorises. Blocks and strips are spread over the cores
/// for `N ≥ 2¹⁶`. The caller may fill each block just before its first stage (`prepare`), so
/// that forming the input costs no pass of its own.
enum WalshHadamardTransform {
    /// Numbers per block of the first pass (2¹²: 32 KiB).
    static let blockLength = 4096
    /// Numbers per strip of the second pass (2¹⁵: 256 KiB).
    static let stripNumbers = 32_768
    /// Below this length the transform runs on the calling thread.
    static let parallelLength = 1 << 16
    /// Pieces of work per pass when threaded (fixed, so the split never depends on the machine).
    static let chunkCount = 16

    /// `x ← H_N x` for the `N = x.count` numbers of `x`; `N` must be a power of two (for 1 it is
    /// the identity).
    ///
    /// `prepare(lo, hi)`, when given, is called for each block `lo ..< hi` (together they cover
    /// `0 ..< N`) just before the block's first stage, on whichever thread transforms it and
    /// possibly on several at once: it must write every number of its block and nothing else.
    /// Filling the input there (signs and padding, or a scatter) saves a pass over memory.
    static func apply(_ buffer: UnsafeMutableBufferPointer<Double>, prepare: (@Sendable (Int, Int) -> Void)? = nil) {
        let n = buffer.count
        guard n >= 1, n & (n - 1) == 0, let x = buffer.baseAddress else { return }
        let block = min(n, blockLength)
        let work = Work(x: x, n: n, block: block, strip: min(block, max(8, stripNumbers / (n / block))))
        let blocks = n / block
        let threaded = n >= parallelLength
        run(pieces: blocks, threaded: threaded) { lo, hi in
            for b in lo..<hi {
                prepare?(b * block, (b + 1) * block)
                work.lowStages(block: b)
            }
        }
        guard blocks > 1 else { return }
        run(pieces: block / work.strip, threaded: threaded) { lo, hi in for s in lo..<hi { work.highStages(strip: s) } }
    }

    /// Calls `body(lo, hi)` for contiguous ranges covering `0 ..< count`, spread over the cores
    /// (``chunkCount`` ranges) when `count ≥ 2¹⁶`: for the elementwise loops around a transform.
    static func inChunks(count: Int, _ body: @Sendable (Int, Int) -> Void) {
        run(pieces: count, threaded: count >= parallelLength, body)
    }

    /// Calls `body(lo, hi)` over `0..<pieces`, in `chunkCount` contiguous ranges spread over the
    /// cores when `threaded`, else in one call.
    private static func run(pieces: Int, threaded: Bool, _ body: @Sendable (Int, Int) -> Void) {
        let chunks = min(chunkCount, pieces)
        if !threaded || chunks <= 1 { body(0, pieces); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            body(pieces * c / chunks, pieces * (c + 1) / chunks)
        }
    }

    /// The array being transformed, seen as `n / block` rows of `block` numbers.
    private struct Work: @unchecked Sendable {
        let x: UnsafeMutablePointer<Double>
        let n: Int
        let block: Int
        let strip: Int

        /// Stages `h = 1 … block/2` on the contiguous block `b`.
        func lowStages(block b: Int) {
            let p = x + b * block
            var h = 1
            while 4 * h <= block {
                for base in stride(from: 0, to: block, by: 4 * h) { radix4(p + base, h, h) }
                h *= 4
            }
            if 2 * h <= block {
                for base in stride(from: 0, to: block, by: 2 * h) { radix2(p + base, h, h) }
            }
        }

        /// Stages `h = block … n/2` on columns `strip·s ..< strip·(s+1)` of every row: the rows
        /// are `block` numbers apart, and each stage pairs rows `a` and `a + h/block`.
        func highStages(strip s: Int) {
            let p = x + s * strip
            let rowsCount = n / block
            var h = 1
            while 4 * h <= rowsCount {
                for base in stride(from: 0, to: rowsCount, by: 4 * h) {
                    for row in base..<(base + h) { radix4(p + row * block, h * block, strip) }
                }
                h *= 4
            }
            if 2 * h <= rowsCount {
                for base in stride(from: 0, to: rowsCount, by: 2 * h) {
                    for row in base..<(base + h) { radix2(p + row * block, h * block, strip) }
                }
            }
        }
    }

    /// Stage `h` on `count` runs: `(a, b) ← (a + b, a − b)` for `a = p[i]`, `b = p[i + h]`, `i < count`.
    @inline(__always)
    private static func radix2(_ p: UnsafeMutablePointer<Double>, _ h: Int, _ count: Int) {
        let q = p + h
        for i in 0..<count {
            let a = p[i], b = q[i]
            p[i] = a + b
            q[i] = a - b
        }
    }

    /// Stages `h` then `2h` at once on the four runs `p`, `p + h`, `p + 2h`, `p + 3h` of `count`
    /// numbers: `(a, b, c, d) ← ((a+b)+(c+d), (a−b)+(c−d), (a+b)−(c+d), (a−b)−(c−d))`.
    @inline(__always)
    private static func radix4(_ p: UnsafeMutablePointer<Double>, _ h: Int, _ count: Int) {
        let q = p + h, r = p + 2 * h, t = p + 3 * h
        for i in 0..<count {
            let a = p[i], b = q[i], c = r[i], d = t[i]
            let s0 = a + b, d0 = a - b, s1 = c + d, d1 = c - d
            p[i] = s0 + s1
            q[i] = d0 + d1
            r[i] = s0 - s1
            t[i] = d0 - d1
        }
    }
}
