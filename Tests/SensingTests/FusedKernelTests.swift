import Testing
import Tensor
@testable import Sensing

/// The fused packed kernel: same numbers as the two-product definition, same bits every time.
@Suite("Fused packed kernel")
struct FusedKernelTests {
    static func problem(m: Int, d: Int) throws -> (PackedSymmetricOperator, Matrix, [Double]) {
        var rng = Xoshiro256(seed: 9)
        let op = try PackedSymmetricOperator.gaussian(m: m, d: d, rng: &rng)
        let u = try rng.normalMatrix(rows: d, cols: 3)
        let y = (0..<m).map { _ in rng.nextNormal() }
        return (op, u, y)
    }

    @Test("serial (small) and threaded (large) paths match the measure/adjoint definition", arguments: [(300, 40), (2000, 40)])
    func matchesDefinition(_ size: (Int, Int)) throws {
        let (op, u, y) = try Self.problem(m: size.0, d: size.1)
        var gradient = try Matrix(rows: size.1, cols: 3)
        var ws = SensingWorkspace()
        let loss = try op.lossAndGradient(u, y, gradient: &gradient, workspace: &ws)
        var r = try op.measure(u.matmul(u.transposed))
        for i in r.indices { r[i] -= y[i] }
        let expectedLoss = r.reduce(0) { $0 + $1 * $1 } / (4 * Double(size.0))
        let expectedGradient = try op.adjoint(r).matmul(u)
        #expect(abs(loss - expectedLoss) <= 1e-12 * expectedLoss)
        let difference = try (gradient - expectedGradient).frobeniusNorm
        #expect(difference <= 1e-12 * expectedGradient.frobeniusNorm)
    }

    @Test("repeated evaluations give identical bits")
    func deterministic() throws {
        let (op, u, y) = try Self.problem(m: 4000, d: 30)
        var g1 = try Matrix(rows: 30, cols: 3), g2 = try Matrix(rows: 30, cols: 3)
        var w1 = SensingWorkspace(), w2 = SensingWorkspace()
        let l1 = try op.lossAndGradient(u, y, gradient: &g1, workspace: &w1)
        for _ in 0..<5 {
            let l2 = try op.lossAndGradient(u, y, gradient: &g2, workspace: &w2)
            #expect(l1.bitPattern == l2.bitPattern)
            #expect(g1.elements.map(\.bitPattern) == g2.elements.map(\.bitPattern))
        }
    }
}
