import Testing
import Tensor
@testable import Sensing

/// A recorded step on float64 normal equations: the residual pass gives the rows pass's loss and
/// residuals to the last bit, and the gradient is the one every unrecorded step takes through `G`.
@Suite("Recorded steps through the normal equations")
struct RecordedStepTests {
    /// m = 300, d = 40 runs on the calling thread; m = 2000 crosses the parallel threshold; d = 3
    /// leaves ragged cache blocks.
    @Test("the residual pass has the fused pass's bits, serial and threaded, in both storages",
          arguments: NormalEquationsTests.sizes, [PackedSymmetricOperator.Storage.float64, .float32])
    func residualPassMatchesFused(_ size: (Int, Int), storage: PackedSymmetricOperator.Storage) throws {
        let (m, d) = size
        let (op, u, y) = try FusedKernelTests.problem(m: m, d: d, storage: storage)
        var gradient = try Matrix(rows: d, cols: 3)
        var ws = SensingWorkspace()
        let loss = try op.lossAndGradient(u, y, gradient: &gradient, workspace: &ws)
        let fusedResiduals = ws.residuals
        let g = Array(ws.scratch.prefix(op.p))  // pack(UUᵀ), as the fused pass read it
        var residuals = [Double](repeating: .nan, count: m)
        let sumSquares = op.withRows { rows in
            g.withUnsafeBufferPointer { pg in
                y.withUnsafeBufferPointer { py in
                    residuals.withUnsafeMutableBufferPointer { pr in
                        ResidualPass.run(rows: rows, m: m, p: op.p, gram: pg.baseAddress!, targets: py.baseAddress!,
                                         residuals: pr.baseAddress!)
                    }
                }
            }
        }
        #expect(residuals == fusedResiduals)
        #expect(sumSquares.map { $0 / (4 * Double(m)) } == loss)
    }

    @Test("the exact loss is the rows pass's, the gradient G's", arguments: NormalEquationsTests.sizes)
    func exactLossAndGradient(_ size: (Int, Int)) throws {
        let (m, d) = size
        let (op, u, y) = try FusedKernelTests.problem(m: m, d: d, storage: .float64)
        var rowsGradient = try Matrix(rows: d, cols: 3)
        var ws = SensingWorkspace()
        let loss = try op.lossAndGradient(u, y, gradient: &rowsGradient, workspace: &ws)
        let rowsResiduals = ws.residuals
        let normal = try #require(try NormalEquations.make(op, y: y))
        var gramGradient = try Matrix(rows: d, cols: 3)
        _ = normal.lossAndGradient(u, gradient: &gramGradient, workspace: &ws)
        var gradient = try Matrix(rows: d, cols: 3)
        var recorded = SensingWorkspace()
        let exact = try normal.exactLossAndGradient(u, y, gradient: &gradient, workspace: &recorded)
        #expect(exact == loss)
        #expect(recorded.residuals == rowsResiduals)
        #expect(gradient == gramGradient)
        let difference = try (gradient - rowsGradient).frobeniusNorm
        #expect(difference <= 1e-11 * rowsGradient.frobeniusNorm, "gradient differs by \(difference)")
    }

    @Test("a gram run records at each recorded step the rows pass's loss at that step's iterate")
    func recordedLossesAreExact() throws {
        let truth = try Support.truth(d: 12, eigenvalues: [1, 0.5])
        var rng = Xoshiro256(seed: 11)
        let op = try PackedSymmetricOperator.gaussian(m: 400, d: 12, rng: &rng)
        let problem = try SensingProblem(truth: truth, measurements: op, rng: &rng)
        let u0 = try Initialization.smallRandom(alpha: 1e-3).make(d: 12, rank: 3, rng: &rng)
        func run(steps: Int) throws -> Run {
            var options = RunOptions(lr: .constant(0.05), steps: steps, every: 50)
            options.kernel = .gram
            return try problem.run(from: u0, options: options)
        }
        let full = try run(steps: 400)
        #expect(full.trace.count == 9)
        for row in full.trace.rows {
            // The same run stopped at this row's step ends at this row's iterate.
            let step = Int(row[0])
            let u = try run(steps: step).u
            var gradient = try Matrix(rows: 12, cols: 3)
            var ws = SensingWorkspace()
            let loss = try op.lossAndGradient(u, problem.y, gradient: &gradient, workspace: &ws)
            #expect(row[1] == loss, "step \(step)")
        }
    }
}
