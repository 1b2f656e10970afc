import CKernels
import Testing
import Tensor
@testable import Sensing

/// The normal-equations step (`kernel: gram`): the same gradient as the rows pass, a loss
/// estimate inside its stated bound, recorded values and stops that do not depend on the kernel,
/// and the automatic choice as documented.
@Suite("Normal equations")
struct NormalEquationsTests {
    /// d = 40 (p = 820) with m = 300 runs every chunk on the calling thread; m = 2000 makes both
    /// the rows and the Gram product large enough for the threaded path.
    static let sizes = [(300, 40), (2000, 40), (50, 3)]

    @Test("G g − b equals the rows pass's adjoint, serial and threaded, in both storages",
          arguments: sizes, [PackedSymmetricOperator.Storage.float64, .float32])
    func gradientMatchesRows(_ size: (Int, Int), storage: PackedSymmetricOperator.Storage) throws {
        let (m, d) = size
        let (op, u, y) = try FusedKernelTests.problem(m: m, d: d, storage: storage)
        var exact = try Matrix(rows: d, cols: 3)
        var ws = SensingWorkspace()
        let loss = try op.lossAndGradient(u, y, gradient: &exact, workspace: &ws)
        let normal = try #require(try NormalEquations.make(op, y: y))
        var gradient = try Matrix(rows: d, cols: 3)
        let estimate = normal.lossAndGradient(u, gradient: &gradient, workspace: &ws)
        // Float32 storage keeps G in float32 with short float32 sums (TiledGram32).
        let float32 = storage == .float32
        let difference = try (gradient - exact).frobeniusNorm
        #expect(difference <= (float32 ? 1e-5 : 1e-11) * exact.frobeniusNorm, "gradient differs by \(difference)")
        #expect(abs(estimate.loss - loss) <= estimate.bound, "estimate \(estimate.loss) vs \(loss), bound \(estimate.bound)")
        #expect(estimate.bound <= (float32 ? 1e-2 : 1e-9) * loss, "the bound is tight enough to be useful here")
    }

    /// Sizes cover one partial block or tile, several, a ragged last one, and the threaded path
    /// (d = 64: p = 2080, 2.2 M stored numbers).
    @Test("the Gram product equals the dense product Σ wᵢ(wᵢ·x), every block, tile and chunk",
          arguments: [PackedSymmetricOperator.Storage.float64, .float32])
    func gramProduct(_ storage: PackedSymmetricOperator.Storage) throws {
        for (m, d) in [(7, 1), (30, 5), (400, 30), (40, 64)] {
            let (op, _, _) = try FusedKernelTests.problem(m: m, d: d, storage: storage)
            let p = op.p
            let gram = try #require(op.withRows { PackedGramBuild.make(rows: $0, m: m, p: p) } ?? nil)
            var rng = Xoshiro256(seed: UInt64(d))
            let x = (0..<p).map { _ in rng.nextNormal() }
            var expected = [Double](repeating: 0, count: p), magnitude = [Double](repeating: 0, count: p)
            for i in 0..<m {
                let w = (0..<p).map { storage == .float64 ? op.weights[i * p + $0] : Double(op.weights32[i * p + $0]) }
                let dot = zip(w, x).reduce(0) { $0 + $1.0 * $1.1 }
                let absDot = zip(w, x).reduce(0) { $0 + abs($1.0 * $1.1) }
                for k in 0..<p {
                    expected[k] += dot * w[k]
                    magnitude[k] += absDot * abs(w[k])
                }
            }
            var out = [Double](repeating: .nan, count: p)
            var partials = [Double](repeating: .nan, count: (PackedGramBuild.chunkCount + 1) * p)
            gram.multiply(x, into: &out, partials: &partials)
            // Within the stated rounding of a product (ε, 0 in float64) plus float64 sums over m and
            // p terms, relative to Σ|G_jk x_k| ≤ Σᵢ |wᵢ|·(|wᵢ|·|x|).
            let epsilon = gram.productRounding + Double(m + p) * 0x1p-52
            for k in 0..<p {
                #expect(abs(out[k] - expected[k]) <= epsilon * magnitude[k], "d = \(d), entry \(k)")
            }
            #expect(gram.rootDiagonal.count == p)
            for k in 0..<p {
                let column = (0..<m).reduce(0.0) { sum, i in
                    let w = storage == .float64 ? op.weights[i * p + k] : Double(op.weights32[i * p + k])
                    return sum + w * w
                }
                #expect(abs(gram.rootDiagonal[k] - column.squareRoot()) <= 1e-12 * column.squareRoot())
            }
        }
    }

    @Test("the same run under rows and gram records the same trace and stops at the same step")
    func runsAgree() throws {
        let truth = try Support.truth(d: 12, eigenvalues: [1, 0.5])
        var rng = Xoshiro256(seed: 4)
        let op = try PackedSymmetricOperator.gaussian(m: 400, d: 12, rng: &rng)
        let problem = try SensingProblem(truth: truth, measurements: op, rng: &rng)
        let u0 = try Initialization.smallRandom(alpha: 1e-3).make(d: 12, rank: 3, rng: &rng)
        func run(_ kernel: StepKernel, tolerance: Double?) throws -> Run {
            var options = RunOptions(lr: .constant(0.1), steps: 3000, every: 100)
            options.tolerance = tolerance
            options.kernel = kernel
            return try problem.run(from: u0, options: options)
        }
        for tolerance in [nil, 1e-7] as [Double?] {
            let rows = try run(.rows, tolerance: tolerance), gram = try run(.gram, tolerance: tolerance)
            #expect(rows.lastStep == gram.lastStep)
            #expect(rows.stopReason == gram.stopReason)
            #expect(rows.trace.rows.count == gram.trace.rows.count)
            for (a, b) in zip(rows.trace.rows, gram.trace.rows) {
                for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-8 * max(abs(y), 1e-12)) }
            }
            if let tolerance {
                #expect(gram.stopReason == .tolerance)
                #expect((gram.trace.rows.last?[1] ?? .infinity) <= tolerance)
            }
        }
    }

    /// float32 `G` and its input are rounded: with products taken from g = 0 rather than from the
    /// last rows step, GD would settle at rel_err 4.5e-8 instead of the rows kernel's 8.2e-9; from
    /// the reference point the two agree to 1e-9 relative.
    @Test("float32 gram converges as far as the rows kernel (products from the last rows step)")
    func float32Correction() throws {
        let truth = try Support.truth(d: 20, eigenvalues: [1, 0.5, 0.25])
        var rng = Xoshiro256(seed: 11)
        let op = try PackedSymmetricOperator.gaussian(m: 1000, d: 20, rng: &rng, storage: .float32)
        let problem = try SensingProblem(truth: truth, measurements: op, rng: &rng)
        let u0 = try Initialization.smallRandom(alpha: 1e-6).make(d: 20, rank: 5, rng: &rng)
        var finals: [Double] = []
        for kernel in [StepKernel.rows, .gram] {
            var options = RunOptions(lr: .constant(0.05), steps: 4000, every: 10)
            options.kernel = kernel
            let run = try problem.run(from: u0, options: options)
            let relErr = try #require(run.trace.columns.firstIndex(of: "rel_err"))
            finals.append(try #require(run.trace.rows.last?[relErr]))
        }
        #expect(finals[0] < 1e-7, "the run converges: \(finals)")
        #expect(abs(finals[1] - finals[0]) <= 1e-6 * finals[0], "rows \(finals[0]), gram \(finals[1])")
    }

    @Test("divergence is reported at the same step and loss under both kernels")
    func divergence() throws {
        let truth = try Support.truth(d: 8, eigenvalues: [1])
        var rng = Xoshiro256(seed: 5)
        let op = try PackedSymmetricOperator.gaussian(m: 200, d: 8, rng: &rng)
        let problem = try SensingProblem(truth: truth, measurements: op, rng: &rng)
        let u0 = try Initialization.smallRandom(alpha: 0.5).make(d: 8, rank: 2, rng: &rng)
        var steps: [Int] = []
        for kernel in [StepKernel.rows, .gram] {
            var options = RunOptions(lr: .constant(50), steps: 500, every: 1000)
            options.kernel = kernel
            do {
                _ = try problem.run(from: u0, options: options)
                Issue.record("lr = 50 should diverge")
            } catch let error {
                guard case let .diverged(step, loss, _) = error.underlying else { Issue.record("\(error)"); continue }
                #expect(!loss.isFinite)
                steps.append(step)
            }
        }
        #expect(steps.count == 2 && steps[0] == steps[1])
    }

    @Test("auto uses G for long runs with unrecorded steps on dense ensembles, whatever was built before")
    func automaticChoice() throws {
        var rng = Xoshiro256(seed: 6)
        let op = try PackedSymmetricOperator.gaussian(m: 1000, d: 20, rng: &rng)
        let y = [Double](repeating: 1, count: 1000)
        let long = NormalEquations.minimumSteps(p: op.p)  // 252 unrecorded steps
        func auto(_ op: any SensingOperator, steps: Int, every: Int) throws -> Bool {
            try NormalEquations.chooses(.automatic, for: op, steps: steps, every: every, allowance: nil)
        }
        #expect(NormalEquations.unrecordedSteps(steps: 10, every: 3) == 6)  // t = 1, 2, 4, 5, 7, 8
        // 1000 steps every 30: 34 recorded, 10 refreshes (t = 0, 100, …), 4 both (0, 300, 600, 900).
        #expect(NormalEquations.unrecordedSteps(steps: 1000, every: 30) == 1000 - (34 + 10 - 4))
        #expect(NormalEquations.unrecordedSteps(steps: 1000, every: Int.max) == 1000 - 10)
        #expect(NormalEquations.unrecordedSteps(steps: 1000, every: 30, refreshes: false) == 1000 - 34)
        #expect(NormalEquations.unrecordedSteps(steps: 10, every: 1) == 0)
        #expect(try !auto(op, steps: 2 * long, every: 1), "every step is recorded: G would never be used")
        #expect(try !auto(op, steps: long, every: 10), "only 9/10 of the steps are unrecorded")
        #expect(try auto(op, steps: 2 * long, every: 10))
        #expect(try !NormalEquations.chooses(.rows, for: op, steps: 10 * long, every: 10, allowance: nil))
        // Refused memory: auto falls back, gram is an error.
        #expect(try !NormalEquations.chooses(.automatic, for: op, steps: 2 * long, every: 10, allowance: { _ in "no" }))
        #expect(throws: SensingError.self) {
            try NormalEquations.chooses(.gram, for: op, steps: 1, every: 1, allowance: { _ in "no" })
        }
        // A built G is reused but does not change the choice: short runs still read the rows.
        _ = try #require(try NormalEquations.make(op, y: y))
        #expect(op.gramCache.built != nil)
        #expect(try !auto(op, steps: 10, every: 10))
        // Few measurements: G would hold more than 2/3 of the rows' numbers.
        let wide = try PackedSymmetricOperator.gaussian(m: 200, d: 20, rng: &rng)
        #expect(try !auto(wide, steps: 100_000, every: 10))
        let completion = try CompletionOperator(m: 100, d: 10, rng: &rng)
        #expect(try !auto(completion, steps: 100_000, every: 10))
        #expect(throws: SensingError.self) {
            try NormalEquations.chooses(.gram, for: completion, steps: 1, every: 1, allowance: nil)
        }
    }

    @Test("a cancelled build keeps no G, and the next build completes")
    func cancelledBuild() throws {
        var rng = Xoshiro256(seed: 7)
        let op = try PackedSymmetricOperator.gaussian(m: 300, d: 30, rng: &rng)  // p = 465: 2 panels
        let y = [Double](repeating: 1, count: 300)
        #expect(try NormalEquations.make(op, y: y, cancelled: { true }) == nil)
        #expect(op.gramCache.built == nil)
        #expect(try NormalEquations.make(op, y: y, cancelled: { false }) != nil)
        #expect(op.gramCache.built != nil)
    }

    @Test("a short run gives the same bits before and after another run built G (sweeps share problems)")
    func choiceDoesNotDependOnHistory() throws {
        let truth = try Support.truth(d: 10, eigenvalues: [1, 0.5])
        var rng = Xoshiro256(seed: 8)
        let op = try PackedSymmetricOperator.gaussian(m: 300, d: 10, rng: &rng)
        let problem = try SensingProblem(truth: truth, measurements: op, rng: &rng)
        let u0 = try Initialization.smallRandom(alpha: 1e-2).make(d: 10, rank: 2, rng: &rng)
        let short = RunOptions(lr: .constant(0.05), steps: 60, every: 10)
        let before = try problem.run(from: u0, options: short)
        _ = try problem.run(from: u0, options: RunOptions(lr: .constant(0.05), steps: 2000, every: 10))
        #expect(op.gramCache.built != nil, "the long run built G")
        let after = try problem.run(from: u0, options: short)
        #expect(before.trace.rows == after.trace.rows)
    }

    /// The order CKernels.h states for one block of the float64 product: each row's dot product as
    /// `msk_dot_f64`, the mirror four rows per sweep in row order, then the last rows one at a time.
    @Test("a block of the float64 Gram product has its stated order, to the bit, at every CPU level")
    func symmetricBlockOrder() throws {
        var rng = Xoshiro256(seed: 11)
        defer { KernelLevel.force(nil) }
        for (rows, width) in [(1, 1), (3, 10), (4, 4), (7, 40), (9, 37), (78, 210), (54, 54)] {
            let block = (0..<rows * width).map { _ in rng.nextNormal() }
            let x = (0..<width).map { _ in rng.nextNormal() }
            let start = (0..<width).map { _ in rng.nextNormal() }
            var expected = start
            for i in 0..<rows {
                let dot = block.withUnsafeBufferPointer { b in
                    x.withUnsafeBufferPointer { v in msk_dot_f64(b.baseAddress.map { $0 + i * width }, v.baseAddress, width) }
                }
                expected[i] = expected[i] + dot
            }
            var i = 0
            while i + 4 <= rows {
                for k in rows..<width {
                    var t = expected[k] + x[i] * block[i * width + k]
                    t = t + x[i + 1] * block[(i + 1) * width + k]
                    t = t + x[i + 2] * block[(i + 2) * width + k]
                    expected[k] = t + x[i + 3] * block[(i + 3) * width + k]
                }
                i += 4
            }
            for j in i..<rows {
                for k in rows..<width { expected[k] = expected[k] + x[j] * block[j * width + k] }
            }
            for level in KernelLevel.allCases where level.rawValue <= KernelLevel.supported.rawValue {
                KernelLevel.force(level)
                var out = start
                msk_symmetric_block_f64(block, rows, width, x, &out)
                #expect(out.map(\.bitPattern) == expected.map(\.bitPattern), "\(rows)×\(width) at \(level)")
            }
        }
    }

    @Test("the stored size is counted without overflow")
    func storedCount() {
        #expect(BlockedGram64.storedCount(p: 1) == 1 && TiledGram32.storedCount(p: 1) == 1)
        // p = 210: blocks of 78 rows, widths 210, 132 and 54; tiles of 32 rows, the last of 18.
        #expect(BlockedGram64.storedCount(p: 210) == 78 * 210 + 78 * 132 + 54 * 54)
        #expect(TiledGram32.storedCount(p: 210) == (0..<6).reduce(0) { $0 + 32 * (210 - 32 * $1) } + 18 * 18)
        #expect(BlockedGram64.storedCount(p: Int.max / 2) == nil)
        #expect(TiledGram32.storedCount(p: Int.max / 2) == nil)
        #expect(PackedGramBuild.buildBytes(p: Int.max / 2, float32: true) == nil)
    }
}
