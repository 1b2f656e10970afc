import MSenseCore
import Sensing

/// `kernel: "auto" | "rows" | "gram"` of `gd` and `gradient`.
extension StepKernel: ScriptOption {}

/// `storage: "float64" | "float32"` of the dense packed ensembles.
extension PackedSymmetricOperator.Storage: ScriptOption {}

/// `optimizer: "gd" | "momentum" | "scaled" | "prec" | "alternating" | "agn"` of `gd`: the
/// spelling of an ``Optimizer``, whose doc table states each update rule.
enum OptimizerOption: String, ScriptOption {
    case gd, momentum, scaled, prec, alternating, agn

    /// The defaults of `gd`'s `beta:` (momentum's β) and `lambda:` (PrecGD's λ).
    static let defaultBeta = 0.9, defaultLambda = 1e-3
}

extension Optimizer {
    /// `gd`'s `optimizer:` argument (the symmetric and the model runs alike), with momentum's β
    /// read from `beta:` and PrecGD's λ from `lambda:`. A `beta:` or `lambda:` other than its
    /// default is refused for a rule that does not read it, rather than ignored; a rule that is
    /// an optimizer value of `minimize` (`"adam"`) is pointed there.
    init(_ args: Arguments) throws {
        if case .string(let name) = args["optimizer"], OptimizerOption(rawValue: name) == nil,
           ["adam", "rmsprop", "nesterov", "polyak", "descent"].contains(name) {
            throw ScriptError("optimizer: is \(OptimizerOption.spellings), not \"\(name)\"",
                              hint: "\(name) is an optimizer value of minimize: minimize(problem, init: model, optimizer: \(name)(lr: …), steps: …)")
        }
        let option = try args.option("optimizer", as: OptimizerOption.self)
        for (name, reader, fallback) in [("beta", OptimizerOption.momentum, OptimizerOption.defaultBeta), ("lambda", .prec, OptimizerOption.defaultLambda)] where option != reader {
            if case .number(let x) = args[name], x != fallback {
                throw ScriptError("\(name): is read by optimizer \"\(reader.rawValue)\" only; optimizer \"\(option.rawValue)\" has no \(name)",
                                  hint: reader == .prec ? "optimizer: \"prec\" is ScaledGD damped by λ: ∇(UᵀU + λI)⁻¹" : "optimizer: \"momentum\" is the heavy ball with β")
            }
        }
        switch option {
        case .gd: self = .gd
        case .momentum: self = .momentum(beta: try args.number("beta"))
        case .scaled: self = .scaledGD
        case .prec: self = .precGD(lambda: try args.number("lambda"))
        case .alternating: self = .alternating
        case .agn: self = .alternatingGaussNewton
        }
    }
}
