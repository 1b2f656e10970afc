/// A dense row-major matrix of `Float` (IEEE binary32), for kernels and files that want half the
/// memory of ``Matrix``. It only stores and converts: arithmetic happens on ``Matrix``.
///
/// Narrowing `Double → Float` rounds to nearest (ties to even); values beyond ±3.4·10³⁸ become ±∞,
/// exactly as NumPy's `astype(np.float32)`. Widening `Float → Double` is exact.
public struct Matrix32: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// The elements in row-major order: element (i, j) is `elements[i * cols + j]`.
    public internal(set) var elements: [Float]

    /// A `rows×cols` matrix over `elements` given in row-major order.
    public init(rows: Int, cols: Int, elements: [Float]) throws(TensorError) {
        try Matrix.checkShape(rows, cols)
        guard elements.count == rows * cols else {
            throw .invalidShape("\(counted(elements.count, "element")) cannot fill a \(rows)×\(cols) matrix")
        }
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    /// `m` rounded element by element to `Float`.
    public init(_ m: Matrix) {
        rows = m.rows
        cols = m.cols
        elements = m.floatElements
    }

    /// The same values as a ``Matrix`` of `Double` (exact).
    public var matrix: Matrix {
        Matrix(uncheckedRows: rows, cols: cols, elements: elements.map(Double.init))
    }

    /// Calls `body` with read-only access to the row-major `Float` storage.
    public func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try elements.withUnsafeBufferPointer { try body($0) }
    }
}

extension Matrix {
    /// The elements in row-major order rounded to `Float` (see ``Matrix32`` for the rounding).
    public var floatElements: [Float] { elements.map(Float.init) }

    /// A matrix from row-major `Float` values, widened exactly to `Double`.
    public init(rows: Int, cols: Int, floatElements: [Float]) throws(TensorError) {
        try self.init(rows: rows, cols: cols, elements: floatElements.map(Double.init))
    }
}
