import Testing
@testable import Sensing
import Tensor

/// Every ensemble: its stated normalisation, agreement of the fast kernels with the dense
/// definition, and the gradient against central finite differences.
@Suite("Measurement ensembles")
struct EnsembleTests {
    static func operators(m: Int, d: Int, seed: UInt64) throws -> [any SensingOperator] {
        var rng = Xoshiro256(seed: seed)
        let stack = (0..<(m * d * d)).map { _ in rng.nextNormal() }
        return [
            try PackedSymmetricOperator.gaussian(m: m, d: d, rng: &rng),
            try PackedSymmetricOperator.nonSymmetricGaussian(m: m, d: d, rng: &rng),
            try PackedSymmetricOperator.explicit(stack: stack, m: m, d: d),
            try RankOneOperator(m: m, d: d, rng: &rng),
            try CompletionOperator(m: m, d: d, rng: &rng),
            try FullObservationOperator(d: d),
        ]
    }

    static func symmetricMatrix(d: Int, seed: UInt64) throws -> Matrix {
        var rng = Xoshiro256(seed: seed)
        return symmetrized(try rng.normalMatrix(rows: d, cols: d))
    }

    /// The sample mean of ⟨Aᵢ, Z⟩² over m draws is within 6 standard errors of E⟨Aᵢ, Z⟩²
    /// (CLT; the standard error is the sample standard deviation of ⟨Aᵢ, Z⟩² over √m). For the
    /// Gaussian ensembles ⟨Aᵢ, Z⟩ ~ N(0, ‖Z‖²) exactly, so the standard error is also checked
    /// against √(2/m)·‖Z‖². Full observation is exact.
    @Test(arguments: ["gaussian", "gaussian_nonsym", "rank1", "completion", "full"])
    func normalisation(name: String) throws {
        let d = 5, m = 40_000
        let z = try Self.symmetricMatrix(d: d, seed: 3)
        var rng = Xoshiro256(seed: 77)
        let op: any SensingOperator = switch name {
        case "gaussian": try PackedSymmetricOperator.gaussian(m: m, d: d, rng: &rng)
        case "gaussian_nonsym": try PackedSymmetricOperator.nonSymmetricGaussian(m: m, d: d, rng: &rng)
        case "rank1": try RankOneOperator(m: m, d: d, rng: &rng)
        case "completion": try CompletionOperator(m: m, d: d, rng: &rng)
        default: try FullObservationOperator(d: d)
        }
        let expected = try #require(op.expectedSquaredMeasurement(z))
        let squares = try op.measure(z).map { $0 * $0 }
        let n = Double(squares.count)
        let mean = squares.reduce(0, +) / n
        let variance = squares.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let standardError = (variance / n).squareRoot()
        if name == "full" {
            #expect(abs(mean - expected) <= 1e-12 * expected)
        } else {
            #expect(abs(mean - expected) <= 6 * standardError, "mean \(mean) vs \(expected) ± \(standardError)")
        }
        if name.hasPrefix("gaussian") {
            #expect(abs(standardError / expected - (2 / n).squareRoot()) < 0.2 * (2 / n).squareRoot())
        }
    }

    @Test func kernelsMatchDenseDefinition() throws {
        let d = 4, m = 25
        for op in try Self.operators(m: m, d: d, seed: 11) {
            let z = try Self.symmetricMatrix(d: d, seed: 12)
            let y = try op.measure(z)
            var rng = Xoshiro256(seed: 13)
            let r = (0..<op.m).map { _ in rng.nextNormal() }
            var adjoint = [Double](repeating: 0, count: d * d)
            for i in 0..<op.m {
                let s = try op.measurementMatrix(i)
                var inner = 0.0
                for t in 0..<(d * d) {
                    inner += s.elements[t] * z.elements[t]
                    adjoint[t] += r[i] * s.elements[t] / Double(op.m)
                }
                #expect(abs(inner - y[i]) <= 1e-12 * max(1, abs(inner)), "\(op.name) measurement \(i)")
                #expect(s == s.transposed, "\(op.name): Sᵢ must be symmetric")
            }
            let fast = try op.adjoint(r)
            for t in 0..<(d * d) {
                #expect(abs(fast.elements[t] - adjoint[t]) <= 1e-12 * max(1, abs(adjoint[t])), "\(op.name) adjoint")
            }
        }
    }

    /// ∂f/∂Uⱼₖ ≈ (f(U + hEⱼₖ) − f(U − hEⱼₖ))/(2h), h = 1e-5: the error is O(h²) (f is a quartic
    /// polynomial with O(1) coefficients here), far below the 1e-6 tolerance.
    @Test func gradientMatchesFiniteDifferences() throws {
        let d = 4, m = 30, r = 2
        for op in try Self.operators(m: m, d: d, seed: 21) {
            let truth = try Support.truth(d: d, eigenvalues: [1, 0.5])
            var rng = Xoshiro256(seed: 22)
            let problem = try SensingProblem(truth: truth, measurements: op, noise: 0.1, rng: &rng)
            let u = try rng.normalMatrix(rows: d, cols: r)
            let g = try problem.gradient(u)
            let h = 1e-5
            for j in 0..<d {
                for k in 0..<r {
                    var plus = u, minus = u
                    plus[j, k] += h
                    minus[j, k] -= h
                    let fd = (try problem.loss(plus) - problem.loss(minus)) / (2 * h)
                    #expect(abs(fd - g[j, k]) <= 1e-6 * max(1, abs(fd)), "\(op.name) ∂f/∂U[\(j),\(k)]: \(fd) vs \(g[j, k])")
                }
            }
        }
    }

    @Test func fullObservationLossIsQuarterFrobenius() throws {
        let d = 6
        let truth = try Support.truth(d: d, eigenvalues: [2, 1])
        var rng = Xoshiro256(seed: 1)
        let problem = try SensingProblem(truth: truth, measurements: FullObservationOperator(d: d), rng: &rng)
        let u = try rng.normalMatrix(rows: d, cols: 3)
        let diff = frobeniusDistance(try u.outerGram(), truth.matrix)
        #expect(abs(try problem.loss(u) - diff * diff / 4) <= 1e-12 * diff * diff)
    }

    @Test func rankOneSpectralEstimateIsDebiased() throws {
        let d = 4, m = 50_000
        let truth = try Support.truth(d: d, eigenvalues: [1, 0.5])
        var rng = Xoshiro256(seed: 31)
        let problem = try SensingProblem(truth: truth, measurements: RankOneOperator(m: m, d: d, rng: &rng), rng: &rng)
        let est = try problem.measurements.spectralEstimate(problem.y)
        // The entries of the estimate have standard deviation ≈ 2/√m ≈ 0.01.
        #expect(frobeniusDistance(est, truth.matrix) < 0.1)
    }
}
