import MSenseCore
import Sensing

/// `kernel: "auto" | "rows" | "gram"` of `gd` and `gradient`.
extension StepKernel: ScriptOption {}

/// `storage: "float64" | "float32"` of the dense packed ensembles.
extension PackedSymmetricOperator.Storage: ScriptOption {}
