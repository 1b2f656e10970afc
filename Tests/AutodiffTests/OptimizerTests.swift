import Foundation
import Testing
import Autodiff
import Tensor

/// The update rules of docs/optimizers.md, step by step on small problems.
@Suite("Optimizer update rules")
struct OptimizerTests {
    /// f(x) = ½ Σ x², ∇f = x, for any list of parameters.
    static func halfSquaredNorm(_ x: [Matrix]) throws -> (loss: Double, gradients: [Matrix]) {
        (x.reduce(0) { $0 + $1.elements.reduce(0) { $0 + $1 * $1 } } / 2, x)
    }

    /// The scalar iterates x₁, x₂, … of `rule` from x₀ = 1 on f(x) = ½x².
    static func iterates(_ rule: UpdateRule, steps: Int) throws -> [Double] {
        var optimizer = try GradientOptimizer(rule: rule)
        var x = [Matrix(column: [1])]
        var out: [Double] = []
        for _ in 0..<steps {
            _ = try optimizer.step(&x, objective: halfSquaredNorm)
            out.append(x[0].elements[0])
        }
        return out
    }

    @Test func gradientDescentAndHeavyBall() throws {
        #expect(try Self.iterates(.gd(learningRate: 0.1), steps: 2) == [0.9, 0.81])
        // Heavy ball: x_{t+1} = x_t − η x_t + β (x_t − x_{t−1}), x₋₁ = x₀.
        let x = try Self.iterates(.momentum(learningRate: 0.1, beta: 0.9), steps: 3)
        var previous = 1.0, current = 1.0
        for computed in x {
            (previous, current) = (current, current - 0.1 * current + 0.9 * (current - previous))
            #expect(Swift.abs(computed - current) <= 1e-15)
        }
    }

    @Test func nesterov() throws {
        // B₁ = 1, x₁ = 1 − 0.1(1 + 0.9); B₂ = 0.9 + x₁, x₂ = x₁ − 0.1(x₁ + 0.9 B₂).
        let x = try Self.iterates(.nesterov(learningRate: 0.1, beta: 0.9), steps: 2)
        let x1 = 1 - 0.1 * (1 + 0.9)
        let x2 = x1 - 0.1 * (x1 + 0.9 * (0.9 + x1))
        #expect(Swift.abs(x[0] - x1) <= 1e-15 && Swift.abs(x[1] - x2) <= 1e-15)
    }

    @Test func adamWithBiasCorrection() throws {
        let (eta, b1, b2, eps) = (0.01, 0.9, 0.999, 1e-8)
        let x = try Self.iterates(.adam(learningRate: eta), steps: 3)
        var (m, v, current) = (0.0, 0.0, 1.0)
        for (t, computed) in x.enumerated() {
            let g = current
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            let mHat = m / (1 - pow(b1, Double(t + 1))), vHat = v / (1 - pow(b2, Double(t + 1)))
            current -= eta * mHat / (vHat.squareRoot() + eps)
            #expect(Swift.abs(computed - current) <= 1e-15)
        }
        // The first Adam step has length η whatever the gradient's scale.
        #expect(Swift.abs((1 - x[0]) - eta) <= 1e-9)
    }

    @Test func rmsprop() throws {
        let (eta, alpha, eps) = (0.01, 0.99, 1e-8)
        let x = try Self.iterates(.rmsprop(), steps: 3)
        var (v, current) = (0.0, 1.0)
        for computed in x {
            v = alpha * v + (1 - alpha) * current * current
            current -= eta * current / (v.squareRoot() + eps)
            #expect(Swift.abs(computed - current) <= 1e-15)
        }
    }

    /// On ½‖x‖² with f* = 0 the Polyak step is η_t = ½‖x‖² / ‖x‖² = ½: each step halves x.
    @Test func polyakStepSize() throws {
        var optimizer = try GradientOptimizer(rule: .polyak())
        var x = [try Matrix([[2, -4]]), Matrix(column: [8])]
        let report = try optimizer.step(&x, objective: Self.halfSquaredNorm)
        #expect(report.stepSize == 0.5 && report.loss == 42)
        #expect(x[0].elements == [1, -2] && x[1].elements == [4])
        var capped = try GradientOptimizer(rule: .polyak(optimalValue: 0, maxStep: 0.25))
        _ = try capped.step(&x, objective: Self.halfSquaredNorm)
        #expect(x[0].elements == [0.75, -1.5])
        // At a stationary point, or below f*, no step is taken.
        var zero = [try Matrix.zeros(rows: 1, cols: 2)]
        #expect(try optimizer.step(&zero, objective: Self.halfSquaredNorm).stepSize == 0)
        var below = try GradientOptimizer(rule: .polyak(optimalValue: 100))
        #expect(try below.step(&x, objective: Self.halfSquaredNorm).stepSize == 0)
    }

    /// Clipping rescales all gradients together to global norm c; weight decay adds λX after it.
    @Test func clippingAndWeightDecay() throws {
        var clipped = try GradientOptimizer(rule: .gd(learningRate: 1), clipNorm: 1)
        var x = [Matrix(column: [0]), Matrix(column: [0])]
        let report = try clipped.update(&x, loss: 0, gradients: [Matrix(column: [3]), Matrix(column: [4])])
        #expect(report.gradientNorm == 5)
        #expect(Swift.abs(x[0].elements[0] + 0.6) <= 1e-15 && Swift.abs(x[1].elements[0] + 0.8) <= 1e-15)
        _ = try clipped.update(&x, loss: 0, gradients: [Matrix(column: [0.3]), Matrix(column: [0.4])])
        #expect(Swift.abs(x[0].elements[0] + 0.9) <= 1e-15)  // below c: unchanged gradient

        var decayed = try GradientOptimizer(rule: .gd(learningRate: 0.5), weightDecay: 0.1)
        var w = [Matrix(column: [2])]
        _ = try decayed.update(&w, loss: 0, gradients: [Matrix(column: [1])])
        #expect(w[0].elements == [2 - 0.5 * (1 + 0.1 * 2)])
    }

    /// Every rule drives ½‖X − T‖² far below its start.
    @Test(arguments: [
        UpdateRule.gd(learningRate: 0.1), .momentum(learningRate: 0.05), .nesterov(learningRate: 0.05),
        .adam(learningRate: 0.05), .rmsprop(learningRate: 0.01), .polyak(),
    ])
    func everyRuleConverges(rule: UpdateRule) throws {
        var rng = Xoshiro256(seed: 5)
        let target = try normal(3, 2, &rng)
        var optimizer = try GradientOptimizer(rule: rule)
        var x = [try Matrix.zeros(rows: 3, cols: 2)]
        let objective = { (p: [Matrix]) throws -> (loss: Double, gradients: [Matrix]) in
            let difference = try p[0] - target
            return (try Matrix.inner(difference, difference) / 2, [difference])
        }
        let start = try objective(x).loss
        for _ in 0..<400 { _ = try optimizer.step(&x, objective: objective) }
        #expect(try objective(x).loss < 1e-3 * start)
    }

    @Test func hyperparametersOutOfDomainAreRefused() {
        #expect(autodiffErrorText { _ = try GradientOptimizer(rule: .gd(learningRate: 0)) }
            == "gd: learning_rate = 0.0 is out of range (a finite number > 0)")
        #expect(autodiffErrorText { _ = try GradientOptimizer(rule: .momentum(learningRate: 0.1, beta: 1)) }?.contains("[0, 1)") == true)
        #expect(autodiffErrorText { _ = try GradientOptimizer(rule: .adam(beta2: .nan)) } != nil)
        #expect(autodiffErrorText { _ = try GradientOptimizer(rule: .rmsprop(epsilon: 0)) } != nil)
        #expect(autodiffErrorText { _ = try GradientOptimizer(rule: .polyak(optimalValue: .infinity)) } != nil)
        #expect(autodiffErrorText { _ = try GradientOptimizer(rule: .polyak(maxStep: 0)) } != nil)
        #expect(autodiffErrorText { _ = try GradientOptimizer(rule: .gd(learningRate: 1), weightDecay: -1) } != nil)
        #expect(autodiffErrorText { _ = try GradientOptimizer(rule: .gd(learningRate: 1), clipNorm: 0) } != nil)
        #expect(autodiffErrorText { _ = try GradientOptimizer(rule: .gd(learningRate: 1), clipNorm: .nan) } != nil)
    }

    @Test func gradientsMustMatchTheParameters() throws {
        var optimizer = try GradientOptimizer(rule: .adam())
        var x = [try Matrix.zeros(rows: 2, cols: 2)]
        #expect(autodiffErrorText { _ = try optimizer.update(&x, loss: 0, gradients: []) } == "1 parameters but 0 gradients were given")
        #expect(autodiffErrorText { _ = try optimizer.update(&x, loss: 0, gradients: [Matrix(column: [1])]) }
            == "parameter 0 is 2×2 but its gradient is 1×1")
        _ = try optimizer.update(&x, loss: 0, gradients: x)
        var other = [Matrix(column: [1])]
        #expect(autodiffErrorText { _ = try optimizer.update(&other, loss: 0, gradients: other) }
            == "parameter 0 is 1×1 but the optimizer's state holds 2×2")
    }
}
