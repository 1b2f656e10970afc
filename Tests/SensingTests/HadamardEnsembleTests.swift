import Testing
@testable import Sensing
import Tensor

/// The fast Walsh–Hadamard transform and the subsampled randomized Hadamard ensemble: the
/// transform against the matrix `(−1)^popcount(j & k)` and the textbook loop, the adjoint
/// identity, the normalisation, gradients against finite differences, recovery, refusals.
@Suite("Hadamard ensemble")
struct HadamardEnsembleTests {
    /// The textbook radix-2 loop, stages `h = 1, 2, 4, …` ascending.
    static func textbook(_ x: [Double]) -> [Double] {
        var x = x
        var h = 1
        while h < x.count {
            for base in stride(from: 0, to: x.count, by: 2 * h) {
                for j in base..<(base + h) {
                    let (a, b) = (x[j], x[j + h])
                    x[j] = a + b
                    x[j + h] = a - b
                }
            }
            h *= 2
        }
        return x
    }

    static func transformed(_ x: [Double]) -> [Double] {
        var y = x
        y.withUnsafeMutableBufferPointer { WalshHadamardTransform.apply($0) }
        return y
    }

    static func randomVector(_ n: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256(seed: seed)
        return (0..<n).map { _ in rng.nextNormal() }
    }

    @Test("the transform is H_N x with (H_N)ⱼₖ = (−1)^popcount(j & k), N = 1 … 256")
    func againstMatrix() {
        for log in 0...8 {
            let n = 1 << log
            let x = Self.randomVector(n, seed: UInt64(log))
            let y = Self.transformed(x)
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += ((j & k).nonzeroBitCount % 2 == 0 ? 1 : -1) * x[k] }
                #expect(abs(y[j] - s) <= 1e-12 * Double(n), "N = \(n), row \(j)")
            }
        }
    }

    /// Blocked, radix-4, strip-mined and threaded (N ≥ 2¹⁶) or not, every output is the same
    /// sequence of additions as the textbook loop's: equal to the last bit. N = 2¹⁷ has 32 rows
    /// of blocks (two passes); 2¹³ one row of two blocks; 2¹⁴·3 is not a power of two.
    @Test("bit for bit the textbook radix-2 loop, blocked and threaded; H_N H_N = N·I", arguments: [2, 8, 4096, 8192, 1 << 16, 1 << 17])
    func againstTextbook(n: Int) {
        let x = Self.randomVector(n, seed: 99)
        let y = Self.transformed(x)
        #expect(y == Self.textbook(x))
        let back = Self.transformed(y)
        #expect(zip(back, x).allSatisfy { abs($0 - Double(n) * $1) <= 1e-12 * Double(n) * max(1, abs($1)) * 20 })
    }

    /// One padded (15 → 16), one exact (4×4) and a subset with a repeated row.
    static func ensembles() throws -> [HadamardEnsemble] {
        var rng = Xoshiro256(seed: 21)
        let padded = try HadamardEnsemble.draw(m: 11, rows: 5, cols: 3, rng: &rng)
        let exact = try HadamardEnsemble.draw(m: 16, rows: 4, cols: 4, rng: &rng)
        guard let repeated = try padded.subset([3, 3, 0, 10]) as? HadamardEnsemble else {
            throw SensingError.invalidArgument("a subset of a Hadamard ensemble is a Hadamard ensemble")
        }
        return [padded, exact, repeated]
    }

    @Test("⟨𝒜(M), w⟩/m = ⟨M, 𝒜*(w)⟩; Aᵢ agrees with apply and has ±1 entries; the fused pass is apply then adjoint")
    func adjointIdentity() throws {
        var rng = Xoshiro256(seed: 22)
        for ensemble in try Self.ensembles() {
            let x = try rng.normalMatrix(rows: ensemble.rows, cols: ensemble.cols)
            let w = (0..<ensemble.m).map { _ in rng.nextNormal() }
            let applied = try ensemble.apply(x)
            let lhs = zip(applied, w).reduce(0) { $0 + $1.0 * $1.1 } / Double(ensemble.m)
            let rhs = try Matrix.inner(x, ensemble.adjoint(w))
            #expect(abs(lhs - rhs) <= 1e-13 * max(1, abs(lhs)))
            var dense = try Matrix(rows: ensemble.rows, cols: ensemble.cols)
            for i in 0..<ensemble.m {
                let a = try ensemble.measurementMatrix(i)
                #expect(a.elements.allSatisfy { $0 == 1 || $0 == -1 })
                #expect(abs(applied[i] - (try Matrix.inner(a, x))) <= 1e-12 * max(1, abs(applied[i])))
                dense = try dense + (w[i] / Double(ensemble.m)) * a
            }
            #expect(frobeniusDistance(dense, try ensemble.adjoint(w)) <= 1e-13 * max(1, dense.frobeniusNorm))
            var r: [Double] = []
            var s = try Matrix(rows: 1, cols: 1)
            let sum = ensemble.residualsAndAdjoint(x, w, residuals: &r, adjoint: &s)
            let direct = zip(applied, w).map { $0 - $1 }
            #expect(r == direct)
            #expect(abs(sum - direct.reduce(0) { $0 + $1 * $1 }) <= 1e-13 * sum)
            #expect(frobeniusDistance(s, try ensemble.adjoint(direct)) == 0)
        }
    }

    @Test("E⟨Aᵢ, M⟩² = ‖M‖²_F: the mean over 400 draws of the signs within 8%, and exactly (Parseval) with all N rows")
    func normalisation() throws {
        var rng = Xoshiro256(seed: 23)
        let x = try rng.normalMatrix(rows: 6, cols: 5)  // P = 30, N = 32
        let norm2 = try Matrix.inner(x, x)
        var total = 0.0
        for _ in 0..<400 {
            let ensemble = try HadamardEnsemble.draw(m: 1, rows: 6, cols: 5, rng: &rng)
            total += try ensemble.apply(x)[0] * ensemble.apply(x)[0]
        }
        #expect(abs(total / 400 / norm2 - 1) < 0.08, "\(total / 400 / norm2)")
        let all = try HadamardEnsemble.draw(m: 32, rows: 6, cols: 5, rng: &rng)
        #expect(Set(all.selectedRows) == Set(0..<32))
        #expect(abs(try all.apply(x).reduce(0) { $0 + $1 * $1 } / 32 - norm2) <= 1e-12 * norm2)
    }

    @Test("every model's gradient on a Hadamard problem matches central finite differences of the plain-sum loss")
    func gradients() throws {
        var rng = Xoshiro256(seed: 24)
        let rect = try MatrixProblem(truth: MatrixTruth(singularValues: [1, 0.5], rows: 5, cols: 4, rng: &rng),
                                     ensemble: HadamardEnsemble.draw(m: 14, rows: 5, cols: 4, rng: &rng), noise: 0.1, rng: &rng)
        let square = try MatrixProblem(truth: MatrixTruth(eigenvalues: [1, -0.5], d: 5, rng: &rng),
                                       ensemble: HadamardEnsemble.draw(m: 20, rows: 5, cols: 5, rng: &rng), rng: &rng)
        let cases: [(MatrixProblem, FactorModel)] = try FactorModelTests.models(&rng).map { (rect, $0) }
            + [(square, try FactorModel.symmetric(rng.normalMatrix(rows: 5, cols: 2)))]
        for (problem, model) in cases {
            try FactorModelTests.expectGradientsMatchFiniteDifferences(problem, model, "\(model.kind)")
        }
    }

    @Test("GD from a small start recovers a rank-2 12×10 truth (P = 120 padded to 128) from m = 100, and sym(U) a 10×10 PSD one")
    func recovery() throws {
        var rng = Xoshiro256(seed: 25)
        let truth = try MatrixTruth(singularValues: [1, 0.5], rows: 12, cols: 10, rng: &rng)
        let problem = try MatrixProblem(truth: truth, ensemble: HadamardEnsemble.draw(m: 100, rows: 12, cols: 10, rng: &rng), rng: &rng)
        let start = try FactorModel.asymmetric(f: 1e-3 * rng.normalMatrix(rows: 12, cols: 2), g: 1e-3 * rng.normalMatrix(rows: 10, cols: 2))
        let run = try problem.run(from: start, options: ModelRunOptions(lr: .constant(0.2), steps: 400, every: 100))
        #expect(try run.trace.column("rel_err").last! < 1e-6)
        let psd = try MatrixTruth(eigenvalues: [1, 0.5], d: 10, rng: &rng)
        let square = try MatrixProblem(truth: psd, ensemble: HadamardEnsemble.draw(m: 80, rows: 10, cols: 10, rng: &rng), rng: &rng)
        let sym = try square.run(from: FactorModel.symmetric(1e-3 * rng.normalMatrix(rows: 10, cols: 2)),
                                 options: ModelRunOptions(lr: .constant(0.2), steps: 1000, every: 1000))
        #expect(try sym.trace.column("rel_err").last! < 1e-6)
    }

    @Test("refusals: m > N, m < 1, bad signs and rows, sizes beyond 2³¹ − 1 entries")
    func refusals() throws {
        var rng = Xoshiro256(seed: 26)
        #expect(throws: SensingError.self) { try HadamardEnsemble.draw(m: 17, rows: 4, cols: 4, rng: &rng) }
        #expect(throws: SensingError.self) { try HadamardEnsemble.draw(m: 0, rows: 4, cols: 4, rng: &rng) }
        #expect(throws: SensingError.self) { try HadamardEnsemble.draw(m: 5, rows: -1, cols: 4, rng: &rng) }
        #expect(throws: SensingError.self) { try HadamardEnsemble.draw(m: 5, rows: 1 << 20, cols: 1 << 20, rng: &rng) }
        #expect(throws: SensingError.self) { try HadamardEnsemble.given(signs: [1, 1, 1], selectedRows: [0], rows: 2, cols: 2) }
        #expect(throws: SensingError.self) { try HadamardEnsemble.given(signs: [1, 0, 1, 1], selectedRows: [0], rows: 2, cols: 2) }
        #expect(throws: SensingError.self) { try HadamardEnsemble.given(signs: [1, .nan, 1, 1], selectedRows: [0], rows: 2, cols: 2) }
        #expect(throws: SensingError.self) { try HadamardEnsemble.given(signs: [1, 1, 1, 1], selectedRows: [4], rows: 2, cols: 2) }
        #expect(throws: SensingError.self) { try HadamardEnsemble.given(signs: [1, 1, 1, 1], selectedRows: [], rows: 2, cols: 2) }
        #expect(HadamardEnsemble.transformLength(1) == 1 && HadamardEnsemble.transformLength(120) == 128
            && HadamardEnsemble.transformLength(Int(Int32.max)) == 1 << 31)
    }
}
