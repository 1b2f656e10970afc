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
}

extension Optimizer {
    /// `gd`'s `optimizer:` argument (the symmetric and the model runs alike), with momentum's β
    /// read from `beta:` and PrecGD's λ from `lambda:` (the other rules do not read them, so one
    /// call can pass both whatever the rule); a rule that is an optimizer value of `minimize`
    /// (`"adam"`) is pointed there.
    init(_ args: Arguments) throws {
        if case .string(let name) = args["optimizer"], OptimizerOption(rawValue: name) == nil,
           OptimizerBuiltins.builtins.contains(where: { $0.name == name }) {
            throw ScriptError("optimizer: is \(OptimizerOption.spellings), not \"\(name)\"",
                              hint: "\(name) makes an optimizer value for minimize: minimize(problem, init: model, optimizer: \(name)(…), steps: …)")
        }
        let option = try args.option("optimizer", as: OptimizerOption.self)
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
