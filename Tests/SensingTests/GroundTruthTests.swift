import Testing
@testable import Sensing
import Tensor

@Suite("Ground truth")
struct GroundTruthTests {
    @Test func fromEigenvaluesHasThoseEigenvaluesAndRank() throws {
        let truth = try Support.truth(d: 7, eigenvalues: [3, 1, 0.5, 0])
        #expect(truth.rank == 3)
        for (a, b) in zip(truth.eigenvalues, [3, 1, 0.5, 0, 0, 0, 0]) { #expect(abs(a - b) < 1e-12) }
        #expect(truth.matrix == truth.matrix.transposed)
        let z1 = try truth.bestRankK(1)
        let e = try SymmetricEigen(z1)
        #expect(abs(e.values[0] - 3) < 1e-12 && abs(e.values[1]) < 1e-12)
        // Eckart–Young: ‖Z* − Z*ₖ‖_F² = Σ_{i>k} λᵢ².
        #expect(abs(frobeniusDistance(truth.matrix, try truth.bestRankK(1)) - (1.0 + 0.25).squareRoot()) < 1e-12)
        #expect(frobeniusDistance(truth.matrix, try truth.bestRankK(3)) < 1e-12)
    }

    @Test func theApproximationsInOneSweepAreEachBestRankK() throws {
        let truth = try Support.truth(d: 9, eigenvalues: [3, 1, 0.5, 0.25])
        let all = try truth.bestRankApproximations(upTo: 6)
        #expect(all.count == 6)
        for (k, approximation) in all.enumerated() { #expect(approximation == (try truth.bestRankK(k + 1))) }
        #expect(try truth.bestRankApproximations(upTo: 0).isEmpty)
        var rng = Xoshiro256(seed: 5)
        let rect = try MatrixTruth(singularValues: [2, 1, 0.25], rows: 7, cols: 5, rng: &rng)
        let rectangular = rect.bestRankApproximations(upTo: 9)
        #expect(rectangular.count == 5)  // min(d₁, d₂) terms at most
        for (k, approximation) in rectangular.enumerated() { #expect(approximation == (try rect.bestRankK(k + 1))) }
    }

    @Test func fromFactorAndFromMatrix() throws {
        let x = try Matrix([[1, 0], [0, 2], [0, 0]])
        let t = try GroundTruth(factor: x)
        let expected = try Matrix([[1, 0, 0], [0, 4, 0], [0, 0, 0]])
        #expect(t.rank == 2 && t.matrix == expected)
        let t2 = try GroundTruth(matrix: t.matrix)
        #expect(t2.eigenvalues == t.eigenvalues)
    }

    @Test func refusesNonSymmetricAndIndefiniteMatrices() throws {
        #expect { try GroundTruth(matrix: Matrix([[1, 2], [0, 1]])) } throws: {
            "\($0)" == "Z* is not symmetric: entries (0, 1) and (1, 0) differ by 2.0"
        }
        #expect { try GroundTruth(matrix: Matrix([[1, 0], [0, -0.5]])) } throws: {
            "\($0)" == "Z* is not positive semidefinite: its smallest eigenvalue is -0.5"
        }
        #expect { try GroundTruth(matrix: Matrix([[1, 0, 0], [0, 1, 0]])) } throws: {
            "\($0)".contains("square") && "\($0)".contains("2×3")
        }
        var rng = Xoshiro256(seed: 1)
        #expect { try GroundTruth(eigenvalues: [1, -1], d: 3, rng: &rng) } throws: {
            "\($0)" == "eigenvalue 2 is -1.0; a ground truth needs eigenvalues ≥ 0"
        }
        #expect { try GroundTruth(eigenvalues: [1, 1, 1], d: 2, rng: &rng) } throws: {
            "\($0)" == "3 eigenvalues were given but d = 2 allows at most 2"
        }
        #expect { try GroundTruth(eigenvalues: [1], d: -3, rng: &rng) } throws: {
            "\($0)" == "the dimension d must be at least 1, not -3"
        }
        #expect { try GroundTruth(matrix: Matrix([[1, .nan], [.nan, 1]])) } throws: {
            "\($0)" == "Z*[0, 1] is nan; the data must be finite numbers"
        }
    }
}
