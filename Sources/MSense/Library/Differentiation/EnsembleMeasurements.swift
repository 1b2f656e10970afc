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
/// ensemble measures through `Sᵢ = (Aᵢ + Aᵢᵀ)/2`.) The fused pass (measurements, coefficients
/// from them, weighted sum) reads a dense ensemble's stack once
/// (`MatrixEnsemble.measurementsAndWeightedAdjoint`); other ensembles measure, then take the sum.
struct EnsembleMeasurement: FusedLinearMeasurement {
    let inputRows: Int
    let inputCols: Int
    let measurementCount: Int
    /// `(⟨Aᵢ, M⟩)ᵢ`.
    let apply: @Sendable (Matrix) throws -> [Double]
    /// `(1/m) Σᵢ wᵢAᵢ`, the ensemble's own (normalised) adjoint.
    let normalisedAdjoint: @Sendable ([Double]) throws -> Matrix
    /// `z = (⟨Aᵢ, M⟩)ᵢ` and `(1/m) Σᵢ cᵢAᵢ`, `c` chosen from `z` block by block.
    let weighedPass: @Sendable (Matrix, DenseRowProducts.Weighing) throws -> (measurements: [Double], adjoint: Matrix)

    /// A symmetric ensemble of `d×d` matrices (`gaussian`, `explicit`, …).
    init(_ ensemble: any SensingOperator) {
        (inputRows, inputCols, measurementCount) = (ensemble.d, ensemble.d, ensemble.m)
        apply = { try ensemble.measure($0) }
        normalisedAdjoint = { try ensemble.adjoint($0) }
        weighedPass = { x, weigh in
            let z = try ensemble.measure(x)
            return (z, try ensemble.adjoint(DenseRowProducts.coefficients(of: z, weigh: weigh)))
        }
    }

    /// An ensemble of `d₁×d₂` matrices (`iid_gaussian`, `given_stack`, `rank_one_pairs`,
    /// `sample_entries`, …).
    init(_ ensemble: any MatrixEnsemble) {
        (inputRows, inputCols, measurementCount) = (ensemble.rows, ensemble.cols, ensemble.m)
        apply = { try ensemble.apply($0) }
        normalisedAdjoint = { try ensemble.adjoint($0) }
        weighedPass = { x, weigh in
            try Measure(ensemble).requireMeasurable(x)
            try ensemble.charge(passes: 2, "measuring a matrix and weighing the adjoint")
            return ensemble.measurementsAndWeightedAdjoint(x, weigh: weigh)
        }
    }

    func measurements(of matrix: Matrix) throws -> [Double] {
        try apply(matrix)
    }

    func weightedSum(_ weights: [Double]) throws -> Matrix {
        Double(measurementCount) * (try normalisedAdjoint(weights))
    }

    func measurementsAndWeightedSum(of matrix: Matrix, weigh: DenseRowProducts.Weighing) throws
        -> (measurements: [Double], weightedSum: Matrix)
    {
        let (z, adjoint) = try weighedPass(matrix, weigh)
        return (z, Double(measurementCount) * adjoint)
    }
}
