import Testing
import Tensor
@testable import Sensing

/// The fused packed kernel: same numbers as the two-product definition, same bits every time.
@Suite("Fused packed kernel")
struct FusedKernelTests {
    static func problem(m: Int, d: Int, storage: PackedSymmetricOperator.Storage = .float64) throws -> (PackedSymmetricOperator, Matrix, [Double]) {
        var rng = Xoshiro256(seed: 9)
        let op = try PackedSymmetricOperator.gaussian(m: m, d: d, rng: &rng, storage: storage)
        let u = try rng.normalMatrix(rows: d, cols: 3)
        let y = (0..<m).map { _ in rng.nextNormal() }
        return (op, u, y)
    }

    @Test("serial (small) and threaded (large) paths match the measure/adjoint definition, in both storages",
          arguments: [(300, 40), (2000, 40)], [PackedSymmetricOperator.Storage.float64, .float32])
    func matchesDefinition(_ size: (Int, Int), storage: PackedSymmetricOperator.Storage) throws {
        let (op, u, y) = try Self.problem(m: size.0, d: size.1, storage: storage)
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

    /// The widened products equal plain float64 sums (to rounding) for every tail length, and a
    /// sum that float32 arithmetic would lose (1 + 2²⁴ − 2²⁴) is kept.
    @Test("widened float32 × float64 products are float64 sums, every length and row count")
    func widenedProducts() {
        var rng = Xoshiro256(seed: 3)
        for count in 0...19 {
            let rows = (0..<(6 * count)).map { _ in Float(rng.nextNormal()) }
            let g = (0..<count).map { _ in rng.nextNormal() }
            let plain = zip(rows.prefix(count), g).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            let dot = rows.withUnsafeBufferPointer { w in g.withUnsafeBufferPointer { gg in
                WidenedProducts.dot(w.baseAddress!, gg.baseAddress!, count: count) } }
            #expect(abs(dot - plain) <= 1e-13 * max(1, abs(plain)), "count \(count)")
            for rowCount in [1, 4, 6] {
                let c = (0..<rowCount).map { Double($0) - 1.5 }
                var s = [Double](repeating: 0.25, count: count)
                rows.withUnsafeBufferPointer { w in c.withUnsafeBufferPointer { cc in s.withUnsafeMutableBufferPointer { ss in
                    WidenedProducts.accumulate(rows: w.baseAddress!, rowCount: rowCount, count: count,
                                               coefficients: cc.baseAddress!, into: ss.baseAddress!) } } }
                for k in 0..<count {
                    let expected = (0..<rowCount).reduce(0.25) { $0 + c[$1] * Double(rows[$1 * count + k]) }
                    #expect(abs(s[k] - expected) <= 1e-13 * max(1, abs(expected)), "count \(count), rows \(rowCount), k \(k)")
                }
            }
        }
        var w = [Float](repeating: 1, count: 64), g = [Double](repeating: 0, count: 64)
        (g[0], g[1], g[2]) = (16_777_216, 1, -16_777_216)
        #expect(WidenedProducts.dot(&w, &g, count: 64) == 1)
    }

    @Test("float32 storage: the same draws rounded, within float rounding of float64 storage")
    func float32CloseToFloat64() throws {
        let (wide, u, y) = try Self.problem(m: 3000, d: 30, storage: .float64)
        let (narrow, _, _) = try Self.problem(m: 3000, d: 30, storage: .float32)
        #expect(narrow.storage == .float32 && narrow.weights.isEmpty && narrow.weights32.count == wide.weights.count)
        #expect(zip(wide.weights, narrow.weights32).allSatisfy { Float($0) == $1 }, "each weight is the nearest float")
        var g64 = try Matrix(rows: 30, cols: 3), g32 = try Matrix(rows: 30, cols: 3)
        var w64 = SensingWorkspace(), w32 = SensingWorkspace()
        let l64 = try wide.lossAndGradient(u, y, gradient: &g64, workspace: &w64)
        let l32 = try narrow.lossAndGradient(u, y, gradient: &g32, workspace: &w32)
        #expect(abs(l32 - l64) <= 1e-6 * l64)
        #expect(try (g32 - g64).frobeniusNorm <= 1e-6 * g64.frobeniusNorm)
        let again = try narrow.lossAndGradient(u, y, gradient: &g32, workspace: &w32)
        #expect(again.bitPattern == l32.bitPattern, "float32 storage is deterministic too")
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
