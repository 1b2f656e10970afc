/// An n-dimensional array of `Double` in row-major (C) order: what a `.npy` file holds.
///
/// The last index varies fastest: for shape (d₀, …, dₙ₋₁) the element at (i₀, …, iₙ₋₁) is
/// `elements[((i₀·d₁ + i₁)·d₂ + …)·dₙ₋₁ + iₙ₋₁]`. A 0-d array (shape `[]`) holds one value.
/// `dtype` records the element type the values were read from, so callers can tell a `<f4`
/// file (values are then exact widenings of `Float`s) from a `<f8` one.
public struct NDArray: Sendable, Equatable {
    /// Most dimensions an array may have.
    public static let maxDimensions = 8

    /// The size of each dimension; `[]` for a scalar.
    public let shape: [Int]
    /// The values in row-major order; `count` is the product of `shape`.
    public internal(set) var elements: [Double]
    /// The element type the values were read from; ``NPYDType/float64`` for arrays made in memory.
    public let dtype: NPYDType

    /// An array of the given shape over row-major `elements`.
    ///
    /// - Throws: ``TensorError/invalidShape(_:)`` for a negative dimension, more than
    ///   ``maxDimensions`` dimensions, more than ``Matrix/maxElements`` elements, or an element
    ///   count that differs from the product of `shape`.
    public init(shape: [Int], elements: [Double], dtype: NPYDType = .float64) throws(TensorError) {
        let n = try Self.elementCount(of: shape)
        guard n == elements.count else {
            throw .invalidShape("\(counted(elements.count, "element")) cannot fill an array of shape \(TensorError.format(shape))")
        }
        self.shape = shape
        self.elements = elements
        self.dtype = dtype
    }

    /// The 0-d array holding `value`.
    public init(scalar value: Double) {
        shape = []
        elements = [value]
        dtype = .float64
    }

    /// The 2-d array with the shape and values of `m`.
    public init(_ m: Matrix) {
        shape = [m.rows, m.cols]
        elements = m.elements
        dtype = .float64
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements, the product of `shape` (1 for a scalar).
    public var count: Int { elements.count }

    /// The array as a matrix: a 2-d array as is, a 1-d array of length n as an `n×1` column
    /// vector, a 0-d array as `1×1`.
    ///
    /// - Throws: ``TensorError/invalidShape(_:)`` for 3 or more dimensions.
    public func asMatrix() throws(TensorError) -> Matrix {
        switch shape.count {
        case 0: return Matrix(uncheckedRows: 1, cols: 1, elements: elements)
        case 1: return Matrix(column: elements)
        case 2:
            try Matrix.checkShape(shape[0], shape[1])
            return Matrix(uncheckedRows: shape[0], cols: shape[1], elements: elements)
        default:
            throw .invalidShape("an array of shape \(TensorError.format(shape)) has \(shape.count) dimensions and cannot be a matrix")
        }
    }

    /// The element at the multi-index `index` (one 0-based entry per dimension).
    public func element(at index: [Int]) throws(TensorError) -> Double {
        guard index.count == shape.count else {
            throw .indexOutOfRange("an index with \(counted(index.count, "entry", plural: "entries")) cannot address an array of shape \(TensorError.format(shape))")
        }
        var offset = 0
        for (i, d) in zip(index, shape) {
            guard i >= 0, i < d else {
                throw .indexOutOfRange("\(index) is outside an array of shape \(TensorError.format(shape))")
            }
            offset = offset * d + i
        }
        return elements[offset]
    }

    /// ∏ shape, checked: no negative dimension, at most ``maxDimensions`` of them, and the
    /// product of the dimensions with each 0 counted as 1 at most ``Matrix/maxElements`` (as
    /// ``Matrix/checkShape(_:_:)`` does), so that an empty array's strides and offsets, products
    /// of its other dimensions, cannot overflow either.
    static func elementCount(of shape: [Int]) throws(TensorError) -> Int {
        guard shape.count <= maxDimensions else {
            throw .invalidShape("\(shape.count) dimensions are more than the \(maxDimensions) an array may have")
        }
        var bound = 1
        for d in shape {
            guard d >= 0 else {
                throw .invalidShape("shape \(TensorError.format(shape)) has a negative dimension")
            }
            let (p, overflow) = bound.multipliedReportingOverflow(by: max(d, 1))
            guard !overflow, p <= Matrix.maxElements else {
                throw .invalidShape("shape \(TensorError.format(shape)) holds more than the \(Matrix.maxElements) elements an array may have")
            }
            bound = p
        }
        return shape.contains(0) ? 0 : bound
    }
}
