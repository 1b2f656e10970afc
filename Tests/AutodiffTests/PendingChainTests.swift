import Dispatch
import Foundation
import Testing
@testable import Autodiff
import Tensor

/// Long and branching expressions on one pending measurement: forcing a long chain of pending
/// operations needs no stack, and each sum of a pending value evaluates only its own expression.
@Suite("Pending chains")
struct PendingChainTests {
    typealias Problem = FusedMeasurementTests.Problem

    /// The result of `body` run on a thread with a 256 KB stack.
    final class SmallStackRun: @unchecked Sendable {
        var result: Result<Double, any Error> = .success(.nan)

        init(_ body: @escaping @Sendable () throws -> Double) {
            let done = DispatchSemaphore(value: 0)
            let thread = Thread { [self] in
                result = Result { try body() }
                done.signal()
            }
            thread.stackSize = 1 << 18
            thread.start()
            done.wait()
        }
    }

    /// `z + c + c + …` (30 000 shifts) of a pending `z`, read: the whole chain is computed in tape
    /// order on a small stack, and equals the same chain recorded on the plain route.
    @Test func longChainForcesOnASmallStack() throws {
        let run = SmallStackRun {
            let problem = try Problem(m: 20, d1: 3, d2: 3, seed: 51)
            func chain(_ ensemble: some LinearMeasurement) throws -> (value: Matrix, gradient: Matrix) {
                let t = Tape()
                let f = t.variable(problem.f)
                var r = try t.measure(ensemble, try t.matmul(f, try t.transpose(t.variable(problem.g))))
                for _ in 0..<30_000 { r = try t.shift(r, by: 1e-5) }
                let value = try t.value(r)
                return (value, try t.gradients(of: try t.sum(try t.square(r)), withRespectTo: [f])[0])
            }
            let fused = try chain(FusedMeasurementTests.CountingStack(stack: problem.stack))
            let plain = try chain(FusedMeasurementTests.PlainStack(stack: problem.stack))
            return max(try relativeDifference(fused.value, plain.value), try relativeDifference(fused.gradient, plain.gradient))
        }
        #expect(try run.result.get() <= 1e-12)
    }

    /// Twenty sums `Σᵢ (zᵢ − y⁽ᵏ⁾ᵢ)²` of one pending `z`, each against its own targets: each sum's
    /// pass evaluates its own three steps (`z`, `z − y⁽ᵏ⁾`, the square) and one external operand, not the other sums' steps, and
    /// the total and its gradients (F, G and every target) equal the plain route's.
    @Test func eachSumEvaluatesItsOwnSteps() throws {
        let problem = try Problem(m: 40, d1: 4, d2: 3, seed: 52)
        var rng = Xoshiro256(seed: 53)
        let targets = try (0..<20).map { _ in try normal(40, 1, &rng) }
        func total(_ ensemble: some LinearMeasurement) throws -> (value: Double, gradients: [Matrix], ownSteps: [[Int]]) {
            let t = Tape()
            let (f, g) = (t.variable(problem.f), t.variable(problem.g))
            let ys = targets.map { t.variable($0) }
            let z = try t.measure(ensemble, try t.matmul(f, try t.transpose(g)))
            var sum = t.variable(0)
            var ownSteps: [[Int]] = []
            for y in ys {
                let square = try t.square(try t.subtract(z, y))
                if let pending = t.pendingValue(of: square) {
                    let own = pending.elements.evaluation(of: pending.step)
                    ownSteps.append([own.evaluation.steps.count, own.evaluation.externals.count, own.externals.count])
                }
                sum = try t.add(sum, try t.sum(square))
            }
            return (try t.scalar(sum), try t.gradients(of: sum, withRespectTo: [f, g] + ys), ownSteps)
        }
        let counting = FusedMeasurementTests.CountingStack(stack: problem.stack)
        let fused = try total(counting)
        let plain = try total(FusedMeasurementTests.PlainStack(stack: problem.stack))
        #expect(fused.ownSteps == [[Int]](repeating: [3, 1, 1], count: 20))
        #expect(counting.uses.fusedPasses == 20 && counting.uses.measurements == 0)
        #expect(Swift.abs(fused.value - plain.value) <= 1e-12 * Swift.abs(plain.value))
        for (a, b) in zip(fused.gradients, plain.gradients) { #expect(try relativeDifference(a, b) <= 1e-12) }
    }

    /// A gradient with respect to a measured value that a sum was fused over: the fused node does
    /// not read that value, so the tape refuses instead of returning a partial adjoint; on the
    /// plain route it is the sum's derivative `2r`.
    @Test func gradientWithRespectToAFusedOverValueIsAnError() throws {
        let problem = try Problem(m: 30, d1: 3, d2: 3, seed: 54)
        func residualGradient(_ ensemble: some LinearMeasurement) throws -> (gradient: Matrix, residuals: Matrix) {
            let t = Tape()
            let model = try t.matmul(t.variable(problem.f), try t.transpose(t.variable(problem.g)))
            let r = try t.subtract(try t.measure(ensemble, model), t.variable(problem.y))
            let s = try t.sum(try t.square(r))
            return (try t.gradients(of: s, withRespectTo: [r])[0], try t.value(r))
        }
        let plain = try residualGradient(FusedMeasurementTests.PlainStack(stack: problem.stack))
        #expect(try relativeDifference(plain.gradient, 2 * plain.residuals) <= 1e-15)
        #expect(throws: AutodiffError.self) { try residualGradient(FusedMeasurementTests.CountingStack(stack: problem.stack)) }
    }
}
