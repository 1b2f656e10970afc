import Testing
import Autodiff
import Tensor

/// A run resumed from saved optimizer state continues bit for bit.
@Suite("Optimizer state: save and resume")
struct OptimizerResumeTests {
    /// The Huber asymmetric sensing objective of f(F, G) = (1/m) Σᵢ h_δ(⟨Aᵢ, FGᵀ⟩ − yᵢ) on a tape.
    struct HuberProblem {
        let stack: DenseMeasurementStack
        let y: Matrix
        let start: [Matrix]

        init() throws {
            var rng = Xoshiro256(seed: 31)
            stack = try DenseMeasurementStack((0..<30).map { _ in try normal(5, 4, &rng) })
            let truth = try normal(5, 2, &rng).matmul(try normal(4, 2, &rng).transposed)
            y = Matrix(column: try stack.measurements(of: truth))
            start = [0.5 * (try normal(5, 2, &rng)), 0.5 * (try normal(4, 2, &rng))]
        }

        func objective(_ p: [Matrix]) throws -> (loss: Double, gradients: [Matrix]) {
            let (value, gradients) = try Tape.valueAndGradients(at: p) { (t, v) throws(AutodiffError) in
                let model = try t.matmul(v[0], try t.transpose(v[1]))
                let r = try t.subtract(try t.measure(stack, model), t.variable(y))
                let c = try t.clip(r, lower: -1, upper: 1)
                return try t.mean(try t.subtract(try t.hadamard(c, r), try t.scale(try t.hadamard(c, c), by: 0.5)))
            }
            return (value, gradients)
        }
    }

    static let rules: [UpdateRule] = [
        .gd(learningRate: 0.05), .momentum(learningRate: 0.05), .nesterov(learningRate: 0.05),
        .adam(learningRate: 0.02), .rmsprop(learningRate: 0.01), .polyak(maxStep: 0.5),
    ]

    /// 12 uninterrupted steps equal 5 steps, a save through .npz bytes, a restore into a fresh
    /// optimizer and 7 more: every parameter bit and every step report.
    @Test(arguments: rules)
    func resumedRunIsBitIdentical(rule: UpdateRule) throws {
        let problem = try HuberProblem()
        func makeOptimizer() throws -> GradientOptimizer {
            try GradientOptimizer(rule: rule, weightDecay: 1e-3, clipNorm: 0.8)
        }
        var straight = try makeOptimizer()
        var x = problem.start
        var reports: [OptimizerStep] = [], iterates: [[Matrix]] = []
        for _ in 0..<12 {
            reports.append(try straight.step(&x, objective: problem.objective))
            iterates.append(x)
        }
        #expect(reports.contains { $0.gradientNorm > 0.8 })  // clipping is exercised

        var first = try makeOptimizer()
        var resumed = problem.start
        for _ in 0..<5 { _ = try first.step(&resumed, objective: problem.objective) }
        let bytes = try NPZ.encode(first.state.arrays)
        let saved = try OptimizerState(arrays: try NPZ.decode(bytes, path: "state.npz"))
        #expect(saved == first.state)
        var second = try makeOptimizer()
        try second.restore(saved)
        #expect(second.step == 5)
        for k in 5..<12 {
            let report = try second.step(&resumed, objective: problem.objective)
            #expect(report == reports[k])
            for (a, b) in zip(resumed, iterates[k]) {
                #expect(a.elements.map(\.bitPattern) == b.elements.map(\.bitPattern))
            }
        }
        #expect(second.state == straight.state)
    }

    @Test func stateNamesItsEntries() throws {
        var optimizer = try GradientOptimizer(rule: .adam(), clipNorm: 2)
        var x = [Matrix(column: [1]), try Matrix([[1, 2]])]
        #expect(optimizer.state.matrices.isEmpty)
        _ = try optimizer.update(&x, loss: 0, gradients: x)
        let state = optimizer.state
        #expect(Set(state.scalars.keys) == [
            "step", "weight_decay", "clip_norm", "adam.learning_rate", "adam.beta1", "adam.beta2", "adam.epsilon",
        ])
        #expect(Set(state.matrices.keys) == ["adam.m.0", "adam.m.1", "adam.v.0", "adam.v.1"])
        #expect(state.scalars["step"] == 1 && state.scalars["clip_norm"] == 2)
    }

    @Test func incompatibleStateIsRefusedAndChangesNothing() throws {
        var adam = try GradientOptimizer(rule: .adam())
        var x = [Matrix(column: [1])]
        _ = try adam.update(&x, loss: 0, gradients: x)
        var momentum = try GradientOptimizer(rule: .momentum(learningRate: 0.1))
        _ = try momentum.update(&x, loss: 0, gradients: x)
        let before = momentum.state
        #expect(autodiffErrorText { try momentum.restore(adam.state) }?
            .contains("it is the state of the adam rule, not of momentum") == true)
        #expect(momentum.state == before)
        var descent = try GradientOptimizer(rule: .gd(learningRate: 0.1))
        #expect(autodiffErrorText { try descent.restore(adam.state) }?
            .hasSuffix("it is the state of the adam rule, not of descent") == true)

        var otherBeta = try GradientOptimizer(rule: .momentum(learningRate: 0.1, beta: 0.5))
        #expect(autodiffErrorText { try otherBeta.restore(before) }
            == "the saved optimizer state has momentum.beta = 0.9 but this optimizer has 0.5")

        var state = before
        state.matrices["momentum.velocity.7"] = Matrix(column: [0])
        #expect(autodiffErrorText { try momentum.restore(state) }?.contains("'momentum.velocity.7'") == true)
        state = before
        state.matrices = [:]
        #expect(autodiffErrorText { try momentum.restore(state) }?.contains("holds none of its momentum buffers") == true)
        state = before
        state.scalars["step"] = 1.5
        #expect(autodiffErrorText { try momentum.restore(state) }?.contains("step count") == true)
        state = before
        state.scalars["momentum.dampening"] = 0
        #expect(autodiffErrorText { try momentum.restore(state) }?.contains("'momentum.dampening'") == true)
        #expect(momentum.state == before)

        var arrays = before.arrays
        arrays["momentum.velocity.0"] = try NDArray(shape: [1, 1, 1], elements: [0])
        #expect(autodiffErrorText { _ = try OptimizerState(arrays: arrays) }?.contains("1×1×1") == true)
    }
}
