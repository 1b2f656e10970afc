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

    /// The kernels' CPU levels change the speed, never the bits (CKernels; the orders themselves
    /// are checked in TensorTests' RowKernelTests).
    @Test("every CPU level gives the baseline's bits, both storages", arguments: [PackedSymmetricOperator.Storage.float64, .float32])
    func sameBitsAtEveryLevel(storage: PackedSymmetricOperator.Storage) throws {
        let (op, u, y) = try Self.problem(m: 2000, d: 40, storage: storage)
        defer { KernelLevel.force(nil) }
        var results: [(UInt64, [UInt64])] = []
        for level in KernelLevel.allCases where level.rawValue <= KernelLevel.supported.rawValue {
            KernelLevel.force(level)
            var gradient = try Matrix(rows: 40, cols: 3)
            var ws = SensingWorkspace()
            let loss = try op.lossAndGradient(u, y, gradient: &gradient, workspace: &ws)
            results.append((loss.bitPattern, gradient.elements.map(\.bitPattern)))
        }
        for result in results.dropFirst() {
            #expect(result.0 == results[0].0 && result.1 == results[0].1)
        }
    }

    /// The d₁×d₂ ensemble's fused pass (the same kernel on p = d₁d₂ weights per row) against its own
    /// apply and adjoint, serial and threaded, and the same bits at every level.
    @Test("dense d1×d2 ensemble: fused pass = apply then adjoint, every level the same bits", arguments: [(300, 7, 5), (4000, 12, 9)])
    func denseMatrixEnsemble(_ size: (Int, Int, Int)) throws {
        let (m, d1, d2) = size
        var rng = Xoshiro256(seed: 5)
        let ensemble = try DenseMatrixEnsemble.gaussian(m: m, rows: d1, cols: d2, rng: &rng)
        let x = try rng.normalMatrix(rows: d1, cols: d2)
        let y = (0..<m).map { _ in rng.nextNormal() }
        let applied = ensemble.applyUnchecked(x)
        let r = zip(applied, y).map { $0 - $1 }
        let expectedAdjoint = ensemble.adjointUnchecked(r)
        defer { KernelLevel.force(nil) }
        var first: (Double, [Double], Matrix)?
        for level in KernelLevel.allCases where level.rawValue <= KernelLevel.supported.rawValue {
            KernelLevel.force(level)
            var residuals: [Double] = [], adjoint = try Matrix(rows: 1, cols: 1)
            let sum = ensemble.residualsAndAdjoint(x, y, residuals: &residuals, adjoint: &adjoint)
            #expect(abs(sum - r.reduce(0) { $0 + $1 * $1 }) <= 1e-12 * sum)
            #expect(zip(residuals, r).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
            #expect(try (adjoint - expectedAdjoint).frobeniusNorm <= 1e-12 * expectedAdjoint.frobeniusNorm)
            if let first {
                #expect(sum.bitPattern == first.0.bitPattern && residuals == first.1 && adjoint.elements == first.2.elements, "\(level)")
            } else {
                first = (sum, residuals, adjoint)
            }
        }
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
