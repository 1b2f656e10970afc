import Autodiff
import MSenseCore
import Sensing
import Tensor

/// The sensing ensembles as the linear maps `measure` differentiates through (``LinearMeasurement``:
/// the measurements and the unnormalised adjoint `w ↦ Σᵢ wᵢAᵢ`).
enum EnsembleMeasurements {
    /// The ensemble `A` of a traced `measure(A, Z)`, after checking that it measures
    /// matrices of `z`'s shape.
    static func measurement(_ args: Arguments, measuring z: Matrix) throws -> any LinearMeasurement {
        switch args["A"] {
        case .object(let o as MatrixEnsembleObject):
            try Measure(o.ensemble).requireMeasurable(z)
            return EnsembleMeasurement(o.ensemble)
        default:
            let ensemble = try args.object("A", as: EnsembleObject.self, typeName: "ensemble").ensemble
            try Measure(ensemble).requireMeasurable(z)
            return EnsembleMeasurement(ensemble)
        }
    }
}

/// A sensing ensemble as the linear map `M ↦ (⟨Aᵢ, M⟩)ᵢ` on `d₁×d₂` matrices, with adjoint
/// `w ↦ Σᵢ wᵢAᵢ`: `m` times the ensemble's normalised adjoint `(1/m) Σᵢ wᵢAᵢ`. (A symmetric
/// ensemble measures through `Sᵢ = (Aᵢ + Aᵢᵀ)/2`.)
struct EnsembleMeasurement: LinearMeasurement {
    let inputRows: Int
    let inputCols: Int
    let measurementCount: Int
    /// `(⟨Aᵢ, M⟩)ᵢ`.
    let apply: @Sendable (Matrix) throws -> [Double]
    /// `(1/m) Σᵢ wᵢAᵢ`, the ensemble's own (normalised) adjoint.
    let normalisedAdjoint: @Sendable ([Double]) throws -> Matrix

    /// A symmetric ensemble of `d×d` matrices (`gaussian`, `explicit`, …).
    init(_ ensemble: any SensingOperator) {
        (inputRows, inputCols, measurementCount) = (ensemble.d, ensemble.d, ensemble.m)
        apply = { try ensemble.measure($0) }
        normalisedAdjoint = { try ensemble.adjoint($0) }
    }

    /// An ensemble of `d₁×d₂` matrices (`iid_gaussian`, `given_stack`, `rank_one_pairs`,
    /// `sample_entries`, …).
    init(_ ensemble: any MatrixEnsemble) {
        (inputRows, inputCols, measurementCount) = (ensemble.rows, ensemble.cols, ensemble.m)
        apply = { try ensemble.apply($0) }
        normalisedAdjoint = { try ensemble.adjoint($0) }
    }

    func measurements(of matrix: Matrix) throws -> [Double] {
        try apply(matrix)
    }

    func weightedSum(_ weights: [Double]) throws -> Matrix {
        Double(measurementCount) * (try normalisedAdjoint(weights))
    }
}
