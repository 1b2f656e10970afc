import Testing
@testable import Autodiff
import Tensor

/// The Swift API refuses the learning rates scripts refuse, with the same messages: a rule's `η`
/// and every step's `η_t` are finite numbers > 0 (`descent(lr: 0)` and a schedule reaching 0
/// are errors in a script, and so are `.gd(learningRate: 0)` and `update(…, learningRate: 0)`).
@Suite("Learning rate domain")
struct LearningRateDomainTests {
    static let x = Matrix.filled(rows: 2, cols: 1, with: 1)
    static let g = Matrix.filled(rows: 2, cols: 1, with: 0.5)

    /// A NaN step size reads `nan` whatever its sign bit, and zero reads `0`, as the language prints them.
    @Test func aStepSizeReadsAsTheLanguagePrintsIt() throws {
        for (eta, text) in [(-Double.nan, "nan"), (0, "0")] {
            var optimizer = try GradientOptimizer(rule: .gd(learningRate: 0.1))
            var p = [Self.x]
            #expect(throws: AutodiffError.invalidArgument("the step size at step 0 is \(text); it must be a finite number > 0")) {
                try optimizer.update(&p, loss: 1, gradients: [Self.g], learningRate: eta)
            }
        }
    }

    @Test(arguments: [0, -0.1, Double.nan, -Double.nan, .infinity, -.infinity])
    func aStepsLearningRateMustBeFiniteAndPositive(_ eta: Double) throws {
        for rule in [UpdateRule.gd(learningRate: 0.1), .momentum(learningRate: 0.1), .nesterov(learningRate: 0.1), .adam(), .rmsprop()] {
            var optimizer = try GradientOptimizer(rule: rule)
            var p = [Self.x]
            _ = try optimizer.update(&p, loss: 1, gradients: [Self.g], learningRate: 0.1)
            let before = p
            #expect(throws: AutodiffError.invalidArgument("the step size at step 1 is \(NumberText.compact(eta)); it must be a finite number > 0")) {
                try optimizer.update(&p, loss: 1, gradients: [Self.g], learningRate: eta)
            }
            #expect(optimizer.step == 1 && p == before, "\(rule.name): nothing changes")
        }
    }

    @Test func aRuleMadeWithAnotherLearningRateGetsTheRulesMessage() throws {
        #expect(throws: AutodiffError.invalidArgument("gd: learning_rate = 0.0 is out of range (a finite number > 0)")) {
            try UpdateRule.gd(learningRate: 1).withLearningRate(0)
        }
        #expect(throws: AutodiffError.invalidArgument("gd: learning_rate = 0.0 is out of range (a finite number > 0)")) {
            try GradientOptimizer(rule: .gd(learningRate: 0))
        }
        #expect(throws: AutodiffError.invalidArgument("adam: learning_rate = -1.0 is out of range (a finite number > 0)")) {
            try UpdateRule.adam().withLearningRate(-1)
        }
        #expect(try UpdateRule.momentum(learningRate: 1, beta: 0.5).withLearningRate(0.25) == .momentum(learningRate: 0.25, beta: 0.5))
    }

    @Test func polyakStillRefusesALearningRate() throws {
        var polyak = try GradientOptimizer(rule: .polyak())
        var p = [Self.x]
        #expect(throws: AutodiffError.invalidArgument("polyak has no learning rate: its step size is (f − f*) / ‖G‖²")) {
            try polyak.update(&p, loss: 1, gradients: [Self.g], learningRate: 0)
        }
    }

    @Test(arguments: [Double.nan, .infinity])
    func polyakRefusesALossThatIsNotFinite(_ loss: Double) throws {
        var polyak = try GradientOptimizer(rule: .polyak())
        var p = [Self.x]
        #expect(throws: AutodiffError.invalidArgument("polyak: the loss at step 0 is \(loss); Polyak's step size needs a finite loss")) {
            try polyak.update(&p, loss: loss, gradients: [Self.g])
        }
        #expect(polyak.step == 0 && p == [Self.x], "nothing changes")
        // Other rules do not read the loss.
        var descent = try GradientOptimizer(rule: .gd(learningRate: 0.1))
        _ = try descent.update(&p, loss: loss, gradients: [Self.g])
        #expect(descent.step == 1)
    }
}
