import Foundation
import Tensor

/// A first-order optimizer over a list of parameter matrices: one ``UpdateRule`` plus gradient
/// clipping by global norm and weight decay, with its state (step count and buffers) kept between
/// steps and exportable as ``OptimizerState`` so a resumed run continues bit for bit.
///
/// Each step, from the raw gradients `G_p` of the parameters `X_p` (p = 1…P):
/// 1. clipping: with `n = √(Σ_p ‖G_p‖²_F)`, if `n > c` then `G_p ← (c/n) G_p` (`c = clipNorm`,
///    ∞ = no clipping);
/// 2. weight decay: `G_p ← G_p + λ X_p` (`λ = weightDecay`; the gradient of `(λ/2) Σ_p ‖X_p‖²_F`);
/// 3. the rule's update with `t ← t + 1` (``UpdateRule``).
public struct GradientOptimizer: Sendable {
    /// The update rule and its hyperparameters.
    public let rule: UpdateRule
    /// `λ ≥ 0` in `G ← G + λX`.
    public let weightDecay: Double
    /// `c > 0` in the global-norm clipping (∞: never clip).
    public let clipNorm: Double
    /// The number of updates made so far (`t` of the last update).
    public internal(set) var step: Int = 0
    /// `buffers[k][p]`: the rule's buffer `k` (``UpdateRule/bufferNames``) for parameter `p`;
    /// empty until the first update sizes them.
    var buffers: [[Matrix]]

    /// An optimizer at step 0.
    ///
    /// - Throws: ``AutodiffError/invalidArgument(_:)`` for a hyperparameter out of its domain,
    ///   a negative or non-finite `weightDecay`, or `clipNorm ≤ 0`.
    public init(rule: UpdateRule, weightDecay: Double = 0, clipNorm: Double = .infinity) throws(AutodiffError) {
        try rule.validate()
        guard weightDecay.isFinite, weightDecay >= 0 else {
            throw .invalidArgument("weight decay must be a finite number ≥ 0, not \(weightDecay)")
        }
        guard clipNorm > 0 else {
            throw .invalidArgument("the clipping norm must be a number > 0 (∞ for no clipping), not \(clipNorm)")
        }
        self.rule = rule
        self.weightDecay = weightDecay
        self.clipNorm = clipNorm
        self.buffers = rule.bufferNames.map { _ in [] }
    }

    /// One step: evaluates `objective` at the current parameters for the loss `f` and the raw
    /// gradients, then updates `parameters` in place (see the type's documentation).
    public mutating func step(
        _ parameters: inout [Matrix], objective: ([Matrix]) throws -> (loss: Double, gradients: [Matrix])
    ) throws -> OptimizerStep {
        let (loss, gradients) = try objective(parameters)
        return try update(&parameters, loss: loss, gradients: gradients)
    }

    /// Updates `parameters` in place from their `loss` and raw `gradients` (one per parameter, of
    /// its shape); `loss` is read by the Polyak rule only. `learningRate`, when given, is this
    /// step's `η_t` in place of the rule's own `η` (a schedule; the state keeps the rule's `η`):
    /// a finite number > 0, as every `η_t` of a script's schedule must be.
    ///
    /// - Throws: ``AutodiffError/shapeMismatch(_:)`` when the gradients do not match the
    ///   parameters, or the parameters do not match the buffers of earlier steps;
    ///   ``AutodiffError/invalidArgument(_:)`` for a `learningRate` that is not a finite number
    ///   > 0 (the message a script's schedule gives: "the step size at step t is η; it must be a
    ///   finite number > 0", `t` = ``step``) or given to a rule without one (Polyak), and for the
    ///   Polyak rule a `loss` that is not finite (its step size would be 0 or NaN); nothing changes.
    public mutating func update(
        _ parameters: inout [Matrix], loss: Double, gradients rawGradients: [Matrix], learningRate: Double? = nil
    ) throws(AutodiffError) -> OptimizerStep {
        try checkShapes(parameters, rawGradients)
        if let eta = learningRate, !(eta.isFinite && eta > 0), rule.learningRate != nil {
            throw .invalidArgument("the step size at step \(step) is \(NumberText.compact(eta)); it must be a finite number > 0")
        }
        if case .polyak = rule, !loss.isFinite {
            throw .invalidArgument("polyak: the loss at step \(step) is \(loss); Polyak's step size needs a finite loss")
        }
        let stepRule = try learningRate.map { eta throws(AutodiffError) in try rule.withLearningRate(eta) } ?? rule
        var gradients = rawGradients
        let rawNorm = Self.globalNorm(gradients)
        if rawNorm > clipNorm {
            let factor = clipNorm / rawNorm
            for p in gradients.indices { gradients[p] = gradients[p].mapped { factor * $0 } }
        }
        if weightDecay > 0 {
            for p in gradients.indices { gradients[p] = gradients[p].zipped(parameters[p]) { $0 + weightDecay * $1 } }
        }
        if step == 0 && !rule.bufferNames.isEmpty {
            buffers = rule.bufferNames.map { _ in
                parameters.map { Matrix.filled(rows: $0.rows, cols: $0.cols, with: 0) }
            }
        }
        step += 1
        let stepSize = apply(stepRule, &parameters, loss: loss, gradients: gradients)
        return OptimizerStep(step: step, loss: loss, gradientNorm: rawNorm, stepSize: stepSize)
    }

    /// Applies `rule` (the optimizer's, or it with this step's learning rate) at step `t` =
    /// ``step`` to every parameter; returns the step size used (`η`, or `η_t` for Polyak).
    private mutating func apply(_ rule: UpdateRule, _ parameters: inout [Matrix], loss: Double, gradients: [Matrix]) -> Double {
        switch rule {
        case let .gd(eta):
            for p in parameters.indices { parameters[p] = parameters[p].zipped(gradients[p]) { $0 - eta * $1 } }
            return eta
        case let .momentum(eta, beta):
            for p in parameters.indices {
                buffers[0][p] = buffers[0][p].zipped(gradients[p]) { beta * $0 - eta * $1 }
                parameters[p] = parameters[p].zipped(buffers[0][p], +)
            }
            return eta
        case let .nesterov(eta, beta):
            for p in parameters.indices {
                buffers[0][p] = buffers[0][p].zipped(gradients[p]) { beta * $0 + $1 }
                parameters[p] = parameters[p].zipped(gradients[p], buffers[0][p]) { $0 - eta * ($1 + beta * $2) }
            }
            return eta
        case let .adam(eta, beta1, beta2, epsilon):
            let c1 = 1 - Foundation.pow(beta1, Double(step))
            let c2 = 1 - Foundation.pow(beta2, Double(step))
            for p in parameters.indices {
                buffers[0][p] = buffers[0][p].zipped(gradients[p]) { beta1 * $0 + (1 - beta1) * $1 }
                buffers[1][p] = buffers[1][p].zipped(gradients[p]) { beta2 * $0 + (1 - beta2) * ($1 * $1) }
                parameters[p] = parameters[p].zipped(buffers[0][p], buffers[1][p]) {
                    $0 - eta * ($1 / c1) / (($2 / c2).squareRoot() + epsilon)
                }
            }
            return eta
        case let .rmsprop(eta, alpha, epsilon):
            for p in parameters.indices {
                buffers[0][p] = buffers[0][p].zipped(gradients[p]) { alpha * $0 + (1 - alpha) * ($1 * $1) }
                parameters[p] = parameters[p].zipped(gradients[p], buffers[0][p]) {
                    $0 - eta * $1 / ($2.squareRoot() + epsilon)
                }
            }
            return eta
        case let .polyak(fStar, maxStep):
            let squaredNorm = gradients.reduce(0) { $0 + Self.squaredNorm($1) }
            let eta = squaredNorm > 0 ? Swift.min(maxStep, Swift.max(0, loss - fStar) / squaredNorm) : 0
            for p in parameters.indices { parameters[p] = parameters[p].zipped(gradients[p]) { $0 - eta * $1 } }
            return eta
        }
    }

    /// `√(Σ_p ‖G_p‖²_F)` (`Matrix.globalNorm`).
    public static func globalNorm(_ gradients: [Matrix]) -> Double {
        Matrix.globalNorm(gradients)
    }

    /// `‖G‖²_F`, summed in row-major order.
    static func squaredNorm(_ g: Matrix) -> Double {
        g.elements.reduce(0) { $0 + $1 * $1 }
    }

    /// Throws unless there is one gradient per parameter of its shape, and the parameters have the
    /// shapes of the buffers (after the first step).
    private func checkShapes(_ parameters: [Matrix], _ gradients: [Matrix]) throws(AutodiffError) {
        guard gradients.count == parameters.count else {
            throw .shapeMismatch("\(parameters.count) parameters but \(gradients.count) gradients were given")
        }
        for (p, (x, g)) in zip(parameters, gradients).enumerated() where x.rows != g.rows || x.cols != g.cols {
            throw .shapeMismatch(
                "parameter \(p) is \(shapeText(x.rows, x.cols)) but its gradient is \(shapeText(g.rows, g.cols))")
        }
        guard step > 0, let first = buffers.first else { return }
        guard first.count == parameters.count else {
            throw .shapeMismatch("the optimizer's state is for \(first.count) parameters, not \(parameters.count)")
        }
        for (p, (x, b)) in zip(parameters, first).enumerated() where x.rows != b.rows || x.cols != b.cols {
            throw .shapeMismatch(
                "parameter \(p) is \(shapeText(x.rows, x.cols)) but the optimizer's state holds \(shapeText(b.rows, b.cols))")
        }
    }
}

/// What one optimizer step did.
public struct OptimizerStep: Sendable, Equatable {
    /// `t`, the number of the update just made (1 for the first).
    public let step: Int
    /// The loss at the parameters before the update.
    public let loss: Double
    /// `√(Σ_p ‖G_p‖²_F)` of the raw gradients, before clipping and weight decay.
    public let gradientNorm: Double
    /// The step size used: `η`, or `η_t` for Polyak.
    public let stepSize: Double
}
