import MSenseCore
import Sensing
import Tensor

/// Measuring a matrix with an ensemble of either kind, a symmetric one of `d×d` matrices
/// (``SensingOperator``) or one of `d₁×d₂` matrices (``MatrixEnsemble``), as `measure(A, Z)`,
/// `A.measure(Z)` and the traced `measure` inside `grad` do: `(⟨Aᵢ, Z⟩)ᵢ` (a symmetric ensemble
/// measures through `Sᵢ = (Aᵢ + Aᵢᵀ)/2`), after the one shape check.
struct Measure {
    /// The ensemble's name (`"gaussian"`, `"iid_gaussian"`, …).
    let name: String
    /// The shape of the matrices the ensemble measures.
    let rows: Int
    let cols: Int
    private let measurements: @Sendable (Matrix) throws -> [Double]

    /// A symmetric ensemble of `d×d` matrices.
    init(_ ensemble: any SensingOperator) {
        (name, rows, cols) = (ensemble.name, ensemble.d, ensemble.d)
        measurements = { try ensemble.measure($0) }
    }

    /// An ensemble of `d₁×d₂` matrices.
    init(_ ensemble: any MatrixEnsemble) {
        (name, rows, cols) = (ensemble.name, ensemble.rows, ensemble.cols)
        measurements = { try ensemble.apply($0) }
    }

    /// The ensemble of either kind passed as parameter `parameter`, or an error.
    init(_ args: Arguments, _ parameter: String) throws {
        switch args[parameter] {
        case .object(let o as EnsembleObject): self.init(o.ensemble)
        case .object(let o as MatrixEnsembleObject): self.init(o.ensemble)
        case let other: throw ScriptError("argument '\(parameter)' must be an ensemble, got \(other.typeName)")
        }
    }

    /// Throws unless `z` has the shape the ensemble measures.
    func requireMeasurable(_ z: Matrix) throws {
        guard z.rows == rows, z.cols == cols else {
            throw ScriptError("cannot measure a \(z.rows)×\(z.cols) matrix with \(withArticle(name)) ensemble of \(rows)×\(cols) matrices")
        }
    }

    /// `(⟨Aᵢ, Z⟩)ᵢ` as an m×1 matrix.
    func apply(to z: Matrix) throws -> Value {
        try requireMeasurable(z)
        return .matrix(Matrix(column: try measurements(z)))
    }
}
