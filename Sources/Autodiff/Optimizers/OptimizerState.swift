import Tensor

/// A ``GradientOptimizer``'s state as named matrices and scalars, what a checkpoint stores:
///
/// - scalars: `step` (t), `weight_decay`, `clip_norm`, and `<rule>.<hyperparameter>` for each of
///   the rule's hyperparameters (e.g. `adam.beta1`);
/// - matrices: `<rule>.<buffer>.<p>` for each buffer of the rule and parameter `p = 0, 1, …`
///   (e.g. `adam.m.0`, `momentum.velocity.1`), present once a step has been made.
///
/// Every value is stored exactly (the step count as a float64, exact below 2⁵³), so restoring it
/// into an optimizer of the same configuration continues the run bit for bit.
public struct OptimizerState: Sendable, Equatable {
    public var scalars: [String: Double]
    public var matrices: [String: Matrix]

    public init(scalars: [String: Double] = [:], matrices: [String: Matrix] = [:]) {
        self.scalars = scalars
        self.matrices = matrices
    }

    /// The state as arrays for an `.npz` file (`NPZ.write`): scalars as 0-d arrays, matrices as 2-d ones.
    public var arrays: [String: NDArray] {
        var out: [String: NDArray] = [:]
        for (key, value) in scalars { out[key] = NDArray(scalar: value) }
        for (key, value) in matrices { out[key] = NDArray(value) }
        return out
    }

    /// The state held by `arrays` (as ``arrays`` writes them).
    ///
    /// - Throws: ``AutodiffError/incompatibleState(_:)`` for an array that is neither 0-d nor 2-d.
    public init(arrays: [String: NDArray]) throws(AutodiffError) {
        self.init()
        for (key, array) in arrays {
            switch array.rank {
            case 0: scalars[key] = array.elements.first
            case 2: matrices[key] = try tensor { () throws(TensorError) in try array.asMatrix() }
            default:
                throw .incompatibleState(
                    "optimizer state '\(key)' has shape \(TensorError.format(array.shape)); only scalars and matrices belong to it")
            }
        }
    }
}

extension GradientOptimizer {
    /// The optimizer's state (see ``OptimizerState``).
    public var state: OptimizerState {
        var state = OptimizerState(scalars: configuration)
        state.scalars["step"] = Double(step)
        for (name, list) in zip(rule.bufferNames, buffers) {
            for (p, matrix) in list.enumerated() { state.matrices["\(rule.name).\(name).\(p)"] = matrix }
        }
        return state
    }

    /// Continues from `state`, which must come from an optimizer with the same rule,
    /// hyperparameters, weight decay and clipping norm (compared exactly).
    ///
    /// - Throws: ``AutodiffError/incompatibleState(_:)`` naming the first difference, a missing or
    ///   unknown entry, or buffers of unequal count or shape; the optimizer is then unchanged.
    public mutating func restore(_ state: OptimizerState) throws(AutodiffError) {
        for (key, expected) in configuration {
            guard let saved = state.scalars[key] else {
                let other = state.scalars.keys.first { $0.contains(".") }?.split(separator: ".").first
                throw .incompatibleState(
                    "the saved optimizer state has no '\(key)'"
                        + (other.map { ": it is the state of the \($0) rule, not of \(rule.builtinName)" } ?? ""))
            }
            guard saved.bitPattern == expected.bitPattern else {
                throw .incompatibleState("the saved optimizer state has \(key) = \(saved) but this optimizer has \(expected)")
            }
        }
        guard let savedStep = state.scalars["step"], savedStep >= 0, savedStep < 0x1p53,
              savedStep == savedStep.rounded(), let t = Int(exactly: savedStep)
        else {
            throw .incompatibleState("the saved optimizer state has no valid step count (a whole number ≥ 0)")
        }
        if let unknown = state.scalars.keys.sorted().first(where: { $0 != "step" && configuration[$0] == nil }) {
            throw .incompatibleState("the saved optimizer state has '\(unknown)', which the \(rule.builtinName) rule does not keep")
        }
        let restored = try restoredBuffers(state.matrices, step: t)
        step = t
        buffers = restored
    }

    /// The scalars that fix the optimizer's behaviour: its rule's hyperparameters (prefixed by the
    /// rule's name), `weight_decay` and `clip_norm`.
    private var configuration: [String: Double] {
        var out = ["weight_decay": weightDecay, "clip_norm": clipNorm]
        for (name, value) in rule.hyperparameters { out["\(rule.name).\(name)"] = value }
        return out
    }

    /// The buffers held by `matrices`: none at step 0, else `<rule>.<buffer>.<p>` for p = 0..<P,
    /// with P and the shapes the same for every buffer.
    private func restoredBuffers(_ matrices: [String: Matrix], step t: Int) throws(AutodiffError) -> [[Matrix]] {
        var restored: [[Matrix]] = []
        var used = Set<String>()
        for name in rule.bufferNames {
            var list: [Matrix] = []
            while let matrix = matrices["\(rule.name).\(name).\(list.count)"] {
                used.insert("\(rule.name).\(name).\(list.count)")
                list.append(matrix)
            }
            if let first = restored.first {
                guard list.count == first.count,
                      zip(list, first).allSatisfy({ $0.rows == $1.rows && $0.cols == $1.cols })
                else {
                    throw .incompatibleState("the saved optimizer state's '\(name)' buffers do not match its '\(rule.bufferNames[0])' buffers")
                }
            }
            restored.append(list)
        }
        if let unknown = matrices.keys.sorted().first(where: { !used.contains($0) }) {
            throw .incompatibleState(
                "the saved optimizer state has the matrix '\(unknown)', which the \(rule.builtinName) rule does not keep")
        }
        if t > 0 && !rule.bufferNames.isEmpty && (restored.first?.isEmpty ?? true) {
            throw .incompatibleState("the saved optimizer state is at step \(t) but holds none of its \(rule.builtinName) buffers")
        }
        if t == 0 && !used.isEmpty {
            throw .incompatibleState("the saved optimizer state is at step 0 but holds buffers")
        }
        return restored
    }
}
