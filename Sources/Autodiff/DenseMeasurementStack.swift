import Tensor

/// Measurement matrices `A₁, …, A_m` (each `d₁×d₂`) held densely as the `m×(d₁d₂)` matrix whose
/// row `i` is `Aᵢ` in row-major order — the layout of an `(m, d₁, d₂)` NumPy stack.
///
/// `𝒜(M) = 𝐀 vec_r(M)` and `𝒜*(w) = reshape(𝐀ᵀ w)`, where `vec_r` lists the elements row by row:
/// one pass over `𝐀` each, on all cores (`DenseRowProducts`: fixed chunks, the CPU's widest
/// vectors, the same bits on every machine and thread count).
public struct DenseMeasurementStack: LinearMeasurement {
    public let inputRows: Int
    public let inputCols: Int
    /// Row `i` is `Aᵢ`, row-major.
    public let rowsOfMeasurements: Matrix

    public var measurementCount: Int { rowsOfMeasurements.rows }

    /// The stack of the `(m, d₁, d₂)` array `stack`.
    public init(_ stack: NDArray) throws(AutodiffError) {
        guard stack.rank == 3 else {
            throw .invalidArgument(
                "a measurement stack needs an (m, d₁, d₂) array, not one of shape \(TensorError.format(stack.shape))")
        }
        let (m, d1, d2) = (stack.shape[0], stack.shape[1], stack.shape[2])
        // With m ≥ 1 the array's own count check bounds d₁·d₂; m = 0 would leave it unchecked.
        guard m >= 1 else {
            throw .invalidArgument("a measurement stack needs at least one measurement matrix, not m = 0")
        }
        inputRows = d1
        inputCols = d2
        rowsOfMeasurements = try tensor { () throws(TensorError) in
            try Matrix(rows: m, cols: d1 * d2, elements: stack.elements)
        }
    }

    /// The stack of the given measurement matrices, all of one shape (at least one matrix).
    public init(_ matrices: [Matrix]) throws(AutodiffError) {
        guard let first = matrices.first else {
            throw .invalidArgument("a measurement stack needs at least one measurement matrix")
        }
        for (i, a) in matrices.enumerated() where a.rows != first.rows || a.cols != first.cols {
            throw .shapeMismatch(
                "measurement matrix \(i) is \(shapeText(a.rows, a.cols)) but the first is \(shapeText(first.rows, first.cols))")
        }
        try self.init(NDArray(
            shapeChecked: [matrices.count, first.rows, first.cols], elements: matrices.flatMap(\.elements)))
    }

    public func measurements(of matrix: Matrix) throws -> [Double] {
        try checkInput(matrix)
        let (m, p) = (rowsOfMeasurements.rows, rowsOfMeasurements.cols)
        var out = [Double](repeating: 0, count: m)
        rowsOfMeasurements.withUnsafeElements { pa in
            matrix.withUnsafeElements { px in
                out.withUnsafeMutableBufferPointer { po in
                    guard let a = pa.baseAddress, let x = px.baseAddress, let o = po.baseAddress else { return }
                    DenseRowProducts.apply(a, m: m, p: p, x, into: o)
                }
            }
        }
        return out
    }

    public func weightedSum(_ weights: [Double]) throws -> Matrix {
        let (m, p) = (rowsOfMeasurements.rows, rowsOfMeasurements.cols)
        guard weights.count == m else {
            throw AutodiffError.shapeMismatch("the stack holds \(m) measurement matrices but \(weights.count) weights were given")
        }
        var out = [Double](repeating: 0, count: p)
        rowsOfMeasurements.withUnsafeElements { pa in
            weights.withUnsafeBufferPointer { pw in
                out.withUnsafeMutableBufferPointer { po in
                    guard let a = pa.baseAddress, let c = pw.baseAddress, let o = po.baseAddress else { return }
                    DenseRowProducts.adjoint(a, m: m, p: p, coefficients: c, scale: 1, into: o)
                }
            }
        }
        return try Matrix(rows: inputRows, cols: inputCols, elements: out)
    }
}

extension DenseMeasurementStack {
    /// Throws unless `matrix` is `d₁×d₂`.
    func checkInput(_ matrix: Matrix) throws(AutodiffError) {
        guard matrix.rows == inputRows, matrix.cols == inputCols else {
            throw .shapeMismatch(
                "the stack measures \(shapeText(inputRows, inputCols)) matrices, not \(shapeText(matrix.rows, matrix.cols))")
        }
    }
}

extension NDArray {
    /// `NDArray(shape:elements:)` with its error reported as an ``AutodiffError``.
    init(shapeChecked shape: [Int], elements: [Double]) throws(AutodiffError) {
        self = try tensor { () throws(TensorError) in try NDArray(shape: shape, elements: elements) }
    }
}
