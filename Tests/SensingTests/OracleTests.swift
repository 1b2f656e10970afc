import Foundation
import Testing
@testable import Sensing
import Tensor

/// Loss, gradient and whole traces against our own NumPy oracle (`Tests/Oracle/sensing_oracle.py`),
/// which works on the dense stack of the `Sᵢ`, so every matrix-free kernel is checked against
/// the plain definition.
@Suite("Traces against the NumPy oracle")
struct OracleTests {
    /// Runs Swift and the oracle on the same problem and compares the traces to 1e-10 relative.
    func compare(
        _ op: any SensingOperator, optimizer: Optimizer = .gd, oracleMethod: String = "gd",
        extra: String = "", eta: Double, steps: Int, every: Int, r: Int = 3, alpha: Double = 1e-3,
        noise: Double = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let truth = try Support.truth(d: op.d, eigenvalues: [1, 0.5, 0.25])
        var rng = Xoshiro256(seed: 99)
        let problem = try SensingProblem(truth: truth, measurements: op, noise: noise, rng: &rng)
        let u0 = try Initialization.smallRandom(alpha: alpha).make(for: problem, rank: r, rng: &rng)
        let run = try problem.run(from: u0, optimizer: optimizer, options: RunOptions(lr: .constant(eta), steps: steps, every: every))
        let input = """
            {"Zstar": \(Support.json(truth.matrix)), "A": \(Support.json(try Support.denseStack(op))),
             "y": \(Support.json(problem.y)), "U0": \(Support.json(u0)), "eta": \(eta), "steps": \(steps),
             "every": \(every), "method": "\(oracleMethod)"\(extra)}
            """
        let out = try Support.python(Support.oraclePath("sensing_oracle.py"), input: input)
        Support.expectClose((run.trace.columns, run.trace.rows), Support.parseCSV(out), sourceLocation: sourceLocation)
        // The CSV we write parses back to the same numbers.
        let back = Support.parseCSV(run.trace.csv)
        #expect(back.rows == run.trace.rows, sourceLocation: sourceLocation)
    }

    @Test func symmetricGaussianGD() throws {
        var rng = Xoshiro256(seed: 5)
        try compare(PackedSymmetricOperator.gaussian(m: 120, d: 6, rng: &rng), eta: 0.1, steps: 300, every: 20)
    }

    @Test func nonSymmetricGaussianGDWithNoise() throws {
        var rng = Xoshiro256(seed: 6)
        try compare(PackedSymmetricOperator.nonSymmetricGaussian(m: 150, d: 5, rng: &rng), eta: 0.1, steps: 250, every: 25, noise: 0.01)
    }

    @Test func rankOneGD() throws {
        var rng = Xoshiro256(seed: 7)
        try compare(RankOneOperator(m: 200, d: 5, rng: &rng), eta: 0.02, steps: 300, every: 30)
    }

    @Test func completionGD() throws {
        var rng = Xoshiro256(seed: 8)
        try compare(CompletionOperator(m: 60, d: 6, rng: &rng), eta: 0.05, steps: 300, every: 30)
    }

    @Test func fullObservationGD() throws {
        try compare(FullObservationOperator(d: 5), eta: 0.2, steps: 200, every: 10, r: 4)
    }

    @Test func explicitStackGD() throws {
        var rng = Xoshiro256(seed: 9)
        let (m, d) = (80, 5)
        let stack = (0..<(m * d * d)).map { _ in rng.nextNormal() }
        try compare(PackedSymmetricOperator.explicit(stack: stack, m: m, d: d), eta: 0.1, steps: 200, every: 20)
    }

    @Test func momentumScaledAndPrecGD() throws {
        var rng = Xoshiro256(seed: 10)
        let op = try PackedSymmetricOperator.gaussian(m: 120, d: 5, rng: &rng)
        try compare(op, optimizer: .momentum(beta: 0.5), oracleMethod: "momentum", extra: ", \"beta\": 0.5",
                    eta: 0.05, steps: 200, every: 20)
        try compare(op, optimizer: .precGD(lambda: 0.01), oracleMethod: "prec", extra: ", \"lam\": 0.01",
                    eta: 0.1, steps: 100, every: 10)
        try compare(op, optimizer: .scaledGD, oracleMethod: "scaled", eta: 0.05, steps: 60, every: 10, r: 3, alpha: 0.1)
    }
}
