import Testing
import Autodiff
import Tensor

/// `gather` (a mini-batch's rows) against finite differences, and a learning rate given per step
/// (a schedule) against the rule built with that rate.
@Suite("Gather and per-step learning rates")
struct GatherAndScheduleTests {
    @Test("gather's pullback adds every picked row's adjoint back, repeats included")
    func gatherGradient() throws {
        var rng = Xoshiro256(seed: 5)
        let a = try normal(5, 3, &rng)
        let deviation = try finiteDifferenceDeviation(at: [a]) { t, v in try t.gather(v[0], rows: [4, 0, 4, 2]) }
        #expect(deviation < 1e-6)
        let t = Tape()
        let x = t.variable(a)
        let g = try t.gradients(of: try t.sum(try t.gather(x, rows: [1, 1, 3])), withRespectTo: [x])[0]
        #expect(g.rowElements(1).allSatisfy { $0 == 2 } && g.rowElements(3).allSatisfy { $0 == 1 } && g.rowElements(0).allSatisfy { $0 == 0 })
    }

    @Test("gather refuses a row outside the matrix and an empty selection")
    func gatherErrors() throws {
        let t = Tape()
        let x = t.variable(try Matrix(rows: 2, cols: 2, repeating: 1))
        #expect(throws: AutodiffError.invalidArgument("gather: row 2 is outside a matrix of 2 rows")) { try t.gather(x, rows: [0, 2]) }
        #expect(throws: AutodiffError.invalidArgument("gather: no rows were selected")) { try t.gather(x, rows: []) }
    }

    @Test("an update with learningRate: η equals the rule made with η, and the state keeps the rule's own η")
    func learningRateOverride() throws {
        var rng = Xoshiro256(seed: 8)
        let x = try normal(3, 2, &rng), g = try normal(3, 2, &rng)
        for (base, scheduled) in [(UpdateRule.adam(learningRate: 0.1), UpdateRule.adam(learningRate: 0.03)),
                                  (.momentum(learningRate: 0.1, beta: 0.5), .momentum(learningRate: 0.03, beta: 0.5)),
                                  (.rmsprop(learningRate: 0.1), .rmsprop(learningRate: 0.03))] {
            var overridden = try GradientOptimizer(rule: base)
            var direct = try GradientOptimizer(rule: scheduled)
            var p = [x], q = [x]
            for _ in 0..<3 {
                let s = try overridden.update(&p, loss: 1, gradients: [g], learningRate: 0.03)
                _ = try direct.update(&q, loss: 1, gradients: [g])
                #expect(s.stepSize == 0.03)
            }
            #expect(p == q)
            #expect(overridden.state.scalars["\(base.name).learning_rate"] == 0.1)
        }
        var polyak = try GradientOptimizer(rule: .polyak())
        var p = [x]
        #expect(throws: AutodiffError.self) { try polyak.update(&p, loss: 1, gradients: [g], learningRate: 0.1) }
        var adam = try GradientOptimizer(rule: .adam())
        #expect(throws: AutodiffError.self) { try adam.update(&p, loss: 1, gradients: [g], learningRate: .nan) }
        #expect(adam.step == 0 && p == [x])
    }
}
