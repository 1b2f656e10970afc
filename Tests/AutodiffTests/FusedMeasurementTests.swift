import Testing
@testable import Autodiff
import Tensor

/// The fused measurement pass (FusedSum.swift) against the plain route of the same tape
/// operations, against finite differences, and with every way a pending measurement falls back to
/// the plain route.
@Suite("Fused measurement pass")
struct FusedMeasurementTests {
    /// How often each map of a stack was used.
    final class Uses: @unchecked Sendable {
        var measurements = 0, weightedSums = 0, fusedPasses = 0
    }

    /// A dense stack that counts its passes and fuses (the route under test).
    struct CountingStack: FusedLinearMeasurement {
        let stack: DenseMeasurementStack
        let uses = Uses()
        var inputRows: Int { stack.inputRows }
        var inputCols: Int { stack.inputCols }
        var measurementCount: Int { stack.measurementCount }
        func measurements(of matrix: Matrix) throws -> [Double] {
            uses.measurements += 1
            return try stack.measurements(of: matrix)
        }
        func weightedSum(_ weights: [Double]) throws -> Matrix {
            uses.weightedSums += 1
            return try stack.weightedSum(weights)
        }
        func measurementsAndWeightedSum(of matrix: Matrix, weigh: DenseRowProducts.Weighing) throws
            -> (measurements: [Double], weightedSum: Matrix) {
            uses.fusedPasses += 1
            return try stack.measurementsAndWeightedSum(of: matrix, weigh: weigh)
        }
    }

    /// The same stack without the fused pass: every operation computed at once (the reference).
    struct PlainStack: LinearMeasurement {
        let stack: DenseMeasurementStack
        var inputRows: Int { stack.inputRows }
        var inputCols: Int { stack.inputCols }
        var measurementCount: Int { stack.measurementCount }
        func measurements(of matrix: Matrix) throws -> [Double] { try stack.measurements(of: matrix) }
        func weightedSum(_ weights: [Double]) throws -> Matrix { try stack.weightedSum(weights) }
    }

    /// A loss of `F Gᵀ` measured through `measure` (given the tape, the measured matrix's variable
    /// and the targets' variable).
    typealias Loss = @Sendable (Tape, _ measure: (Variable) throws(AutodiffError) -> Variable, _ model: Variable, _ y: Variable) throws(AutodiffError) -> Variable

    struct Problem {
        let stack: DenseMeasurementStack
        let y: Matrix
        let f: Matrix
        let g: Matrix

        init(m: Int, d1: Int, d2: Int, seed: UInt64) throws {
            var rng = Xoshiro256(seed: seed)
            stack = try DenseMeasurementStack(try NDArray(shape: [m, d1, d2], elements: try normal(m, d1 * d2, &rng).elements))
            var targets = try stack.measurements(of: try normal(d1, 2, &rng).matmul(try normal(d2, 2, &rng).transposed))
            for i in stride(from: 0, to: m, by: 5) { targets[i] += 4 }  // outliers, so clipped losses meet both branches
            y = Matrix(column: targets)
            f = try normal(d1, 2, &rng)
            g = try normal(d2, 2, &rng)
        }

        /// The loss and its gradients with respect to F, G and y, through `ensemble`.
        func evaluate(_ ensemble: some LinearMeasurement, _ loss: Loss) throws -> (value: Double, gradients: [Matrix]) {
            let t = Tape()
            let (fv, gv, yv) = (t.variable(f), t.variable(g), t.variable(y))
            let model = try t.matmul(fv, try t.transpose(gv))
            let output = try loss(t, { (x) throws(AutodiffError) in try t.measure(ensemble, x) }, model, yv)
            return (try t.scalar(output), try t.gradients(of: output, withRespectTo: [fv, gv, yv]))
        }

        /// The fused route against the plain one: the largest relative difference of the value
        /// and the gradients, and the stack's uses on the fused route.
        func compare(_ loss: Loss) throws -> (difference: Double, uses: Uses) {
            let counting = CountingStack(stack: stack)
            let fused = try evaluate(counting, loss)
            let plain = try evaluate(PlainStack(stack: stack), loss)
            var worst = Swift.abs(fused.value - plain.value) / max(Swift.abs(plain.value), .leastNormalMagnitude)
            for (a, b) in zip(fused.gradients, plain.gradients) { worst = max(worst, try relativeDifference(a, b)) }
            return (worst, counting.uses)
        }
    }

    static let square: Loss = { t, measure, model, y throws(AutodiffError) in
        try t.scale(try t.sum(try t.square(try t.subtract(try measure(model), y))), by: 0.5)
    }
    static let huber: Loss = { t, measure, model, y throws(AutodiffError) in
        let r = try t.subtract(try measure(model), y)
        let c = try t.clip(r, lower: -1, upper: 1)
        return try t.mean(try t.subtract(try t.hadamard(c, r), try t.scale(try t.hadamard(c, c), by: 0.5)))
    }
    /// Σᵢ rᵢ² / (|rᵢ| + 1) + max(zᵢ, yᵢ) − exp(−zᵢ²): quotients, shifts, abs, extrema with an
    /// external operand, negation, exp.
    static let mixed: Loss = { t, measure, model, y throws(AutodiffError) in
        let z = try measure(model)
        let r = try t.subtract(z, y)
        let ratio = try t.divide(try t.square(r), try t.shift(try t.abs(r), by: 1))
        let bump = try t.exp(try t.negate(try t.square(z)))
        return try t.sum(try t.subtract(try t.add(ratio, try t.maximum(z, y)), bump))
    }
    static let squaredNorm: Loss = { t, measure, model, y throws(AutodiffError) in
        try t.squaredNorm(try t.subtract(try measure(model), y))
    }

    /// Each loss, a sum of an elementwise function of one measured vector, takes one fused pass
    /// and no other pass, and gives the plain route's value and gradients (F, G and the targets).
    @Test(arguments: [("square", square), ("huber", huber), ("mixed", mixed), ("squaredNorm", squaredNorm)])
    func fusedMatchesPlain(_ name: String, _ loss: Loss) throws {
        let (difference, uses) = try Problem(m: 60, d1: 5, d2: 4, seed: 31).compare(loss)
        #expect(difference <= 1e-12, "\(name)")
        #expect(uses.fusedPasses == 1 && uses.measurements == 0 && uses.weightedSums == 0, "\(name)")
    }

    /// A stack large enough for the pass to run its chunks on several threads.
    @Test func fusedMatchesPlainOnAllCores() throws {
        let problem = try Problem(m: 3000, d1: 10, d2: 10, seed: 32)
        #expect(3000 * 100 >= DenseRowProducts.parallelThreshold)
        for loss in [Self.square, Self.huber] {
            let (difference, uses) = try problem.compare(loss)
            #expect(difference <= 1e-12)
            #expect(uses.fusedPasses == 1 && uses.measurements == 0 && uses.weightedSums == 0)
        }
    }

    /// The fused Huber objective's gradient against central differences.
    @Test func fusedAgainstFiniteDifferences() throws {
        let problem = try Problem(m: 40, d1: 4, d2: 3, seed: 33)
        let stack = problem.stack, y = problem.y
        let deviation = try finiteDifferenceDeviation(at: [problem.f, problem.g]) { t, v in
            try Self.huber(t, { (x) throws(AutodiffError) in try t.measure(stack, x) }, try t.matmul(v[0], try t.transpose(v[1])), t.variable(y))
        }
        #expect(deviation <= 1e-6)
    }

    /// A pending value whose elements are read: computed by one plain pass, then the ordinary tape.
    @Test func valueReadFallsBack() throws {
        let (difference, uses) = try Problem(m: 50, d1: 4, d2: 4, seed: 34).compare { t, measure, model, y throws(AutodiffError) in
            let r = try t.subtract(try measure(model), y)
            guard try t.value(r).rows == 50 else { throw .shapeMismatch("the residuals are not 50×1") }
            return try t.sum(try t.square(r))
        }
        #expect(difference <= 1e-12)
        #expect(uses.fusedPasses == 0 && uses.measurements == 1 && uses.weightedSums == 1)
    }

    /// Two sums of one pending value: each is its own fused pass.
    @Test func twoSumsFuseTwice() throws {
        let (difference, uses) = try Problem(m: 50, d1: 4, d2: 4, seed: 35).compare { t, measure, model, y throws(AutodiffError) in
            let r = try t.subtract(try measure(model), y)
            return try t.add(try t.sum(try t.square(r)), try t.sum(try t.abs(r)))
        }
        #expect(difference <= 1e-12)
        #expect(uses.fusedPasses == 2 && uses.measurements == 0 && uses.weightedSums == 0)
    }

    /// A pending value summed and also used by an operation that is not elementwise: the sum is
    /// fused, the other use reads the measurements the fused pass kept (no second measuring pass)
    /// and is differentiated by the plain adjoint.
    @Test func nonElementwiseSecondUseFallsBack() throws {
        let (difference, uses) = try Problem(m: 50, d1: 4, d2: 4, seed: 36).compare { t, measure, model, y throws(AutodiffError) in
            let r = try t.subtract(try measure(model), y)
            let fused = try t.sum(try t.square(r))
            return try t.add(fused, try t.dot(r, y))
        }
        #expect(difference <= 1e-12)
        #expect(uses.fusedPasses == 1 && uses.measurements == 0 && uses.weightedSums == 1)
    }

    /// Two measurements combined elementwise: the second is computed by a plain pass and enters
    /// the first one's fused pass as an external operand.
    @Test func secondMeasurementFallsBack() throws {
        let problem = try Problem(m: 50, d1: 4, d2: 4, seed: 37)
        let other = try Problem(m: 50, d1: 4, d2: 4, seed: 38).stack
        let loss: Loss = { t, measure, model, y throws(AutodiffError) in
            let b = try t.measure(other, try t.scale(model, by: 2))
            return try t.sum(try t.square(try t.subtract(try t.subtract(try measure(model), b), y)))
        }
        let (difference, uses) = try problem.compare(loss)
        #expect(difference <= 1e-12)
        #expect(uses.fusedPasses == 1 && uses.measurements == 0 && uses.weightedSums == 0)
    }

    /// A mini-batch `r[idx]` (gather) of a pending value: computed by a plain pass.
    @Test func gatherFallsBack() throws {
        let (difference, uses) = try Problem(m: 50, d1: 4, d2: 4, seed: 39).compare { t, measure, model, y throws(AutodiffError) in
            let r = try t.subtract(try measure(model), y)
            return try t.sum(try t.square(try t.gather(r, rows: [3, 7, 7, 20, 49])))
        }
        #expect(difference <= 1e-12)
        #expect(uses.fusedPasses == 0 && uses.measurements == 1 && uses.weightedSums == 1)
    }

    /// A pending value as the output of a vector–Jacobian product: computed, then pulled back.
    @Test func pendingOutputFallsBack() throws {
        let problem = try Problem(m: 30, d1: 3, d2: 3, seed: 40)
        var rng = Xoshiro256(seed: 41)
        let seed = try normal(30, 1, &rng)
        func pulled(_ ensemble: some LinearMeasurement) throws -> Matrix {
            let t = Tape()
            let f = t.variable(problem.f)
            let r = try t.shift(try t.measure(ensemble, try t.matmul(f, try t.transpose(t.variable(problem.g)))), by: 1)
            return try t.pullback(of: r, seed: seed, to: [f])[0]
        }
        #expect(try relativeDifference(try pulled(CountingStack(stack: problem.stack)), try pulled(PlainStack(stack: problem.stack))) <= 1e-14)
    }
}
