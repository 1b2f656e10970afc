import Autodiff
import MSenseCore
import Sensing
import Tensor

/// The sensing ensembles as the linear maps `measure` differentiates through (``LinearMeasurement``:
/// the measurements and the unnormalised adjoint `w ↦ Σᵢ wᵢAᵢ`).
enum EnsembleMeasurements {
    /// The ensemble `args[0]` of a traced `measure(A, Z)`, after checking that it measures
    /// matrices of `z`'s shape.
    static func measurement(_ args: Arguments, measuring z: Matrix) throws -> any LinearMeasurement {
        switch args[0] {
        case .object(let o as MatrixEnsembleObject):
            let ensemble = o.ensemble
            guard z.rows == ensemble.rows, z.cols == ensemble.cols else {
                throw ScriptError("cannot measure a \(z.rows)×\(z.cols) matrix with \(withArticle(ensemble.name)) ensemble of \(ensemble.rows)×\(ensemble.cols) matrices")
            }
            return MatrixEnsembleMeasurement(ensemble: ensemble)
        default:
            let ensemble = try args.object(0, as: EnsembleObject.self, typeName: "ensemble").ensemble
            guard z.rows == ensemble.d, z.cols == ensemble.d else {
                throw ScriptError("cannot measure a \(z.rows)×\(z.cols) matrix with an ensemble of \(ensemble.d)×\(ensemble.d) matrices")
            }
            return SymmetricEnsembleMeasurement(ensemble: ensemble)
        }
    }
}

/// A symmetric sensing ensemble as the linear map `Z ↦ (⟨Sᵢ, Z⟩)ᵢ` on `d×d` matrices, with
/// adjoint `w ↦ Σᵢ wᵢSᵢ` (`m` times the ensemble's normalised adjoint `(1/m) Σᵢ wᵢSᵢ`).
struct SymmetricEnsembleMeasurement: LinearMeasurement {
    let ensemble: any SensingOperator

    var inputRows: Int { ensemble.d }
    var inputCols: Int { ensemble.d }
    var measurementCount: Int { ensemble.m }

    func measurements(of matrix: Matrix) throws -> [Double] {
        try ensemble.measure(matrix)
    }

    func weightedSum(_ weights: [Double]) throws -> Matrix {
        Double(ensemble.m) * (try ensemble.adjoint(weights))
    }
}

/// An ensemble of `d₁×d₂` matrices (`iid_gaussian`, `given_stack`, `rank_one_pairs`,
/// `sample_entries`, …) as the map `M ↦ (⟨Aᵢ, M⟩)ᵢ`, with adjoint `w ↦ Σᵢ wᵢAᵢ` (`m` times the
/// ensemble's normalised adjoint `(1/m) Σᵢ wᵢAᵢ`).
struct MatrixEnsembleMeasurement: LinearMeasurement {
    let ensemble: any MatrixEnsemble

    var inputRows: Int { ensemble.rows }
    var inputCols: Int { ensemble.cols }
    var measurementCount: Int { ensemble.m }

    func measurements(of matrix: Matrix) throws -> [Double] {
        try ensemble.apply(matrix)
    }

    func weightedSum(_ weights: [Double]) throws -> Matrix {
        Double(ensemble.m) * (try ensemble.adjoint(weights))
    }
}
