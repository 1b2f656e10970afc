import CKernels
import Testing
import Tensor

/// CKernels' row kernels: every instruction-set level computes exactly the documented order of
/// float64 operations (CKernels.h), so each level's bits equal a plain Swift transcription of it
/// and the baseline's; ``DenseRowProducts`` adds the fixed chunks on top. Float32 rows add each
/// product by a fused multiply-add (`addingProduct` here), float64 rows round product and sum.
@Suite("Row kernels and their CPU dispatch", .serialized)
struct RowKernelTests {
    /// The levels this machine can run, baseline first.
    static var levels: [KernelLevel] { KernelLevel.allCases.filter { $0.rawValue <= KernelLevel.supported.rawValue } }

    /// a·b + c as the kernels compute it: one rounding when `fused` (float32 rows), else two.
    static func mulAdd(_ a: Double, _ b: Double, _ c: Double, fused: Bool) -> Double {
        fused ? c.addingProduct(a, b) : c + a * b
    }

    /// CKernels.h's order for Σ w[k]·x[k]: 16 partial sums, 8 more lanes, the fixed tree, the tail.
    static func referenceDot(_ w: [Double], _ x: [Double], fused: Bool = false) -> Double {
        let n = w.count
        var a = [Double](repeating: 0, count: 16)
        var k = 0
        while k + 16 <= n {
            for j in 0..<16 { a[j] = mulAdd(w[k + j], x[k + j], a[j], fused: fused) }
            k += 16
        }
        while k + 8 <= n {
            for j in 0..<8 { a[j] = mulAdd(w[k + j], x[k + j], a[j], fused: fused) }
            k += 8
        }
        let lanes = (0..<8).map { a[$0] + a[$0 + 8] }
        let half = (0..<4).map { lanes[$0] + lanes[$0 + 4] }
        var sum = (half[0] + half[1]) + (half[2] + half[3])
        while k < n {
            sum = mulAdd(w[k], x[k], sum, fused: fused)
            k += 1
        }
        return sum
    }

    /// CKernels.h's order for s[k] += Σⱼ c[j]·rows[j][k]: four rows per sweep, then one at a time.
    static func referenceAccumulate(_ rows: [[Double]], _ c: [Double], into s: inout [Double], fused: Bool = false) {
        var j = 0
        while j + 4 <= rows.count {
            for k in s.indices {
                var t = mulAdd(c[j], rows[j][k], s[k], fused: fused)
                t = mulAdd(c[j + 1], rows[j + 1][k], t, fused: fused)
                t = mulAdd(c[j + 2], rows[j + 2][k], t, fused: fused)
                s[k] = mulAdd(c[j + 3], rows[j + 3][k], t, fused: fused)
            }
            j += 4
        }
        while j < rows.count {
            for k in s.indices { s[k] = mulAdd(c[j], rows[j][k], s[k], fused: fused) }
            j += 1
        }
    }

    static func normals(_ count: Int, _ rng: inout Xoshiro256) -> [Double] { (0..<count).map { _ in rng.nextNormal() } }

    /// Runs `body` with each level in force, then restores the default.
    static func atEveryLevel(_ body: (KernelLevel) throws -> Void) rethrows {
        defer { KernelLevel.force(nil) }
        for level in levels {
            #expect(KernelLevel.force(level) == level)
            try body(level)
        }
    }

    @Test("dot products: the documented order to the last bit, at every level, float64 and widened float32")
    func dots() {
        var rng = Xoshiro256(seed: 11)
        Self.atEveryLevel { level in
            for n in Array(0...40) + [100, 210, 1000, 10_001] {
                let w = Self.normals(n, &rng), x = Self.normals(n, &rng)
                let narrow = w.map { Float($0) }
                let got = msk_dot_f64(w, x, n)
                #expect(got.bitPattern == Self.referenceDot(w, x).bitPattern, "\(level), n = \(n)")
                let widened = msk_dot_f32(narrow, x, n)
                #expect(widened.bitPattern == Self.referenceDot(narrow.map { Double($0) }, x, fused: true).bitPattern, "\(level), n = \(n)")
            }
            // Sums float32 arithmetic would lose are kept: 1 + 2²⁴ − 2²⁴ = 1.
            var x = [Double](repeating: 0, count: 64)
            (x[0], x[1], x[2]) = (16_777_216, 1, -16_777_216)
            #expect(msk_dot_f32([Float](repeating: 1, count: 64), x, 64) == 1, "\(level)")
        }
    }

    @Test("accumulation and the fused block: the documented order to the last bit, at every level")
    func accumulateAndFusedBlock() {
        var rng = Xoshiro256(seed: 12)
        Self.atEveryLevel { level in
            // n ≤ 1024: float64 groups in two sweeps; above, the overlapped sweep (CKernels.h).
            for n in [0, 1, 7, 8, 9, 17, 210, 1_024, 1_033] {
                for rowCount in Array(0...9) + [12, 13] {
                    let rows = (0..<rowCount).map { _ in Self.normals(n, &rng) }
                    let flat = rows.flatMap { $0 }, narrow = flat.map { Float($0) }
                    let c = Self.normals(rowCount, &rng), start = Self.normals(n, &rng)
                    var expected = start
                    Self.referenceAccumulate(rows, c, into: &expected)
                    var s = start
                    msk_accumulate_f64(flat, rowCount, n, c, &s)
                    #expect(s.map(\.bitPattern) == expected.map(\.bitPattern), "\(level), n = \(n), rows = \(rowCount)")
                    var expected32 = start
                    Self.referenceAccumulate(rows.map { $0.map { Double(Float($0)) } }, c, into: &expected32, fused: true)
                    var s32 = start
                    msk_accumulate_f32(narrow, rowCount, n, c, &s32)
                    #expect(s32.map(\.bitPattern) == expected32.map(\.bitPattern), "\(level), n = \(n), rows = \(rowCount)")

                    // The fused block: residuals, then the same accumulation with them.
                    let x = Self.normals(n, &rng), y = Self.normals(rowCount, &rng)
                    let r = (0..<rowCount).map { Self.referenceDot(rows[$0], x) - y[$0] }
                    var fusedExpected = start
                    Self.referenceAccumulate(rows, r, into: &fusedExpected)
                    var fusedR = [Double](repeating: 0, count: rowCount), fusedS = start
                    msk_fused_block_f64(flat, rowCount, n, x, y, &fusedR, &fusedS)
                    #expect(fusedR.map(\.bitPattern) == r.map(\.bitPattern))
                    #expect(fusedS.map(\.bitPattern) == fusedExpected.map(\.bitPattern))
                    let r32 = (0..<rowCount).map { Self.referenceDot(rows[$0].map { Double(Float($0)) }, x, fused: true) - y[$0] }
                    var fused32R = [Double](repeating: 0, count: rowCount), fused32S = start
                    msk_fused_block_f32(narrow, rowCount, n, x, y, &fused32R, &fused32S)
                    #expect(fused32R.map(\.bitPattern) == r32.map(\.bitPattern))
                    var fused32Expected = start
                    Self.referenceAccumulate(rows.map { $0.map { Double(Float($0)) } }, r32, into: &fused32Expected, fused: true)
                    #expect(fused32S.map(\.bitPattern) == fused32Expected.map(\.bitPattern))
                }
            }
        }
    }

    @Test("a block's dots with the accumulation of the block before: the bits of the two calls, at every level")
    func dotsWhileAccumulating() {
        var rng = Xoshiro256(seed: 14)
        Self.atEveryLevel { level in
            for n in [0, 1, 8, 15, 16, 17, 33, 210, 1_024, 1_025, 1_040] {
                for (nextCount, previousCount) in [(4, 4), (4, 0), (0, 4), (3, 4), (4, 3), (5, 2), (1, 1)] {
                    let next = (0..<nextCount).map { _ in Self.normals(n, &rng) }
                    let previous = (0..<previousCount).map { _ in Self.normals(n, &rng) }
                    let x = Self.normals(n, &rng), c = Self.normals(previousCount, &rng), start = Self.normals(n, &rng)
                    var expected = start
                    Self.referenceAccumulate(previous, c, into: &expected)
                    let expectedDots = next.map { Self.referenceDot($0, x) }
                    // The rows after the block (room for the prefetches) belong to the caller.
                    let flatNext = next.flatMap { $0 } + Self.normals(3 * n, &rng), flatPrevious = previous.flatMap { $0 }
                    for room in [nextCount * n, flatNext.count] {
                        var dots = [Double](repeating: .nan, count: nextCount), s = start
                        msk_dots_accumulate_f64(flatNext, nextCount, n, x, &dots, room, flatPrevious, previousCount, c, &s)
                        let context = "\(level), n = \(n), blocks \(nextCount) and \(previousCount), room \(room)"
                        #expect(dots.map(\.bitPattern) == expectedDots.map(\.bitPattern), "\(context)")
                        #expect(s.map(\.bitPattern) == expected.map(\.bitPattern), "\(context)")
                    }
                }
            }
        }
    }

    @Test("weightedPass: each block's coefficients from its own products, the fixed chunks' bits at every level",
          arguments: [(61, 4_100), (500, 37)])
    func weightedPass(_ size: (Int, Int)) {
        let (m, p) = size
        var rng = Xoshiro256(seed: 15)
        let w = Self.normals(m * p, &rng), x = Self.normals(p, &rng)
        let rows = (0..<m).map { Array(w[($0 * p)..<(($0 + 1) * p)]) }
        // A Huber-like choice: the coefficient is a function of the product alone.
        let choose: @Sendable (Double) -> Double = { z in abs(z) <= 1 ? z : (z > 0 ? 1 : -1) }
        let z = rows.map { Self.referenceDot($0, x) }, c = z.map(choose)
        let chunks = min(DenseRowProducts.chunkCount, m)
        var expected = [Double](repeating: 0, count: p)
        for chunk in 0..<chunks {
            let lo = m * chunk / chunks, hi = m * (chunk + 1) / chunks
            var partial = [Double](repeating: 0, count: p)
            let block = DenseRowProducts.rowsPerBlock(p: p)
            for start in stride(from: lo, to: hi, by: block) {
                let end = min(start + block, hi)
                Self.referenceAccumulate(Array(rows[start..<end]), Array(c[start..<end]), into: &partial)
            }
            for k in 0..<p { expected[k] += partial[k] }
        }
        expected = expected.map { $0 * 0.5 }
        Self.atEveryLevel { level in
            let got = DenseRowProducts.weightedPass(w, m: m, p: p, x, weigh: { range, products, coefficients in
                for i in range { coefficients[i] = choose(products[i]) }
            }, scale: 0.5)
            #expect(got.products.map(\.bitPattern) == z.map(\.bitPattern), "\(level)")
            #expect(got.sum.map(\.bitPattern) == expected.map(\.bitPattern), "\(level)")
        }
    }

    @Test("DenseRowProducts: fixed chunks, the same bits serial or threaded and at every level",
          arguments: [(50, 30), (3000, 120)])
    func denseRowProducts(_ size: (Int, Int)) {
        let (m, p) = size
        var rng = Xoshiro256(seed: 13)
        let w = Self.normals(m * p, &rng), x = Self.normals(p, &rng), c = Self.normals(m, &rng)
        let rows = (0..<m).map { Array(w[($0 * p)..<(($0 + 1) * p)]) }
        let chunks = min(DenseRowProducts.chunkCount, m)
        var adjointExpected = [Double](repeating: 0, count: p)
        for chunk in 0..<chunks {
            let lo = m * chunk / chunks, hi = m * (chunk + 1) / chunks
            var partial = [Double](repeating: 0, count: p)
            Self.referenceAccumulate(Array(rows[lo..<hi]), Array(c[lo..<hi]), into: &partial)
            for k in 0..<p { adjointExpected[k] += partial[k] }
        }
        adjointExpected = adjointExpected.map { $0 * 0.25 }
        let applyExpected = rows.map { Self.referenceDot($0, x) }
        Self.atEveryLevel { level in
            var applied = [Double](repeating: .nan, count: m), adjoint = [Double](repeating: .nan, count: p)
            DenseRowProducts.apply(w, m: m, p: p, x, into: &applied)
            DenseRowProducts.adjoint(w, m: m, p: p, coefficients: c, scale: 0.25, into: &adjoint)
            #expect(applied.map(\.bitPattern) == applyExpected.map(\.bitPattern), "\(level)")
            #expect(adjoint.map(\.bitPattern) == adjointExpected.map(\.bitPattern), "\(level)")
        }
    }

    @Test("the level in force: forced and lowered to what the CPU has; MSENSE_KERNELS's names")
    func levelInForce() {
        defer { KernelLevel.force(nil) }
        let supported = KernelLevel.supported
        #expect(KernelLevel.force(.baseline) == .baseline)
        #expect(KernelLevel.force(.avx512).rawValue == min(KernelLevel.avx512.rawValue, supported.rawValue))
        #expect(KernelLevel.named("baseline") == .baseline)
        #expect(KernelLevel.named("avx2").rawValue == min(KernelLevel.avx2.rawValue, supported.rawValue))
        #expect(KernelLevel.named("no-such-level") == supported && KernelLevel.named(nil) == supported)
        #expect(KernelLevel.allCases.map(\.description) == ["baseline", "avx2", "avx512"])
    }
}
