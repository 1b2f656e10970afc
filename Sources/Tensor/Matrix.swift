/// A dense matrix of `Double`, stored row-major, with value semantics.
///
/// Copy-on-write comes from the underlying `Array`: copies are cheap until one side mutates.
/// A vector is a matrix with one column (`n×1`); a scalar result is a plain `Double`.
/// Operations that can fail on shapes throw ``TensorError`` instead of trapping, so nothing a
/// script does can crash the runtime.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// The elements in row-major order: element (i, j) is `elements[i * cols + j]`.
    public internal(set) var elements: [Double]

    /// Largest number of elements a matrix may hold (2³¹ − 1, about 17 GB of `Double`s): larger
    /// requests are refused with an error rather than attempted. Being `Int32.max`, it also
    /// guarantees that every dimension and element count fits the 32-bit integers of BLAS/LAPACK.
    /// An empty dimension counts as 1 (`max(rows, 1)·max(cols, 1)` is bounded), so loops over the
    /// rows of a matrix without columns are bounded like loops over its elements.
    public static let maxElements = Int(Int32.max)

    /// A `rows×cols` matrix with every element set to `value`.
    /// The shape and the `8·rows·cols` bytes are checked first (`checkAllocation(_:_:available:)`),
    /// so a request the process or the run cannot get is refused with an error instead of
    /// aborting in the allocator.
    public init(rows: Int, cols: Int, repeating value: Double = 0) throws(TensorError) {
        try Self.checkShape(rows, cols)
        try Self.checkAllocation(rows, cols)
        self.rows = rows
        self.cols = cols
        self.elements = Array(repeating: value, count: rows * cols)
    }

    /// A `rows×cols` matrix over `elements` given in row-major order.
    public init(rows: Int, cols: Int, elements: [Double]) throws(TensorError) {
        try Self.checkShape(rows, cols)
        guard elements.count == rows * cols else {
            throw .invalidShape("\(counted(elements.count, "element")) cannot fill a \(rows)×\(cols) matrix")
        }
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    /// A matrix from rows of equal length; `[[1, 2], [3, 4]]` is the 2×2 matrix with first row 1, 2.
    public init(_ rowList: [[Double]]) throws(TensorError) {
        let cols = rowList.first?.count ?? 0
        for (i, row) in rowList.enumerated() where row.count != cols {
            throw .invalidShape("row \(i + 1) has \(counted(row.count, "element")) but row 1 has \(cols)")
        }
        try self.init(rows: rowList.count, cols: cols, elements: rowList.flatMap { $0 })
    }

    /// A column vector (`n×1`) holding `values`.
    public init(column values: [Double]) {
        self.rows = values.count
        self.cols = 1
        self.elements = values
    }

    /// Initialiser for shapes already known to be valid (`elements.count == rows * cols`).
    package init(uncheckedRows rows: Int, cols: Int, elements: [Double]) {
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    /// The shape as `[rows, cols]`.
    public var shape: [Int] { [rows, cols] }

    /// Number of elements, `rows * cols`.
    public var count: Int { elements.count }

    /// True when the matrix has as many rows as columns.
    public var isSquare: Bool { rows == cols }

    /// The element at row `i`, column `j` (0-based), or an error outside the matrix.
    public func element(_ i: Int, _ j: Int) throws(TensorError) -> Double {
        guard i >= 0, i < rows, j >= 0, j < cols else {
            throw .indexOutOfRange("(\(i), \(j)) is outside a \(rows)×\(cols) matrix")
        }
        return elements[i * cols + j]
    }

    /// Sets the element at row `i`, column `j` (0-based), or throws outside the matrix.
    public mutating func setElement(_ i: Int, _ j: Int, to value: Double) throws(TensorError) {
        guard i >= 0, i < rows, j >= 0, j < cols else {
            throw .indexOutOfRange("(\(i), \(j)) is outside a \(rows)×\(cols) matrix")
        }
        elements[i * cols + j] = value
    }

    /// Unchecked element access for loops whose bounds are established by the caller.
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i * cols + j] }
        set { elements[i * cols + j] = newValue }
    }

    /// Calls `body` with the row-major storage, for kernels that must not copy.
    ///
    /// The buffer has exactly `rows * cols` elements; the shape cannot change.
    public mutating func withUnsafeMutableElements<R>(
        _ body: (UnsafeMutableBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try elements.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Calls `body` with read-only access to the row-major storage.
    public func withUnsafeElements<R>(
        _ body: (UnsafeBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try elements.withUnsafeBufferPointer { try body($0) }
    }

    /// The check before storage for a `rows×cols` matrix is allocated (shape already checked):
    /// throws ``TensorError/insufficientMemory(_:)`` unless its bytes fit in `AvailableMemory`
    /// and the thread's `RunBudget` (`available` overrides the former, for tests), and charges
    /// filling it, `max(rows, 1)·max(cols, 1)` operations, to the budget.
    package static func checkAllocation(_ rows: Int, _ cols: Int, available: UInt64? = nil) throws(TensorError) {
        let (bytes, overflow) = (rows * cols).multipliedReportingOverflow(by: MemoryLayout<Double>.stride)
        if let problem = AvailableMemory.refusal(bytes: overflow ? nil : bytes, for: "a \(rows)×\(cols) matrix", available: available) {
            throw .insufficientMemory(problem)
        }
        try RunBudget.charge(RunBudget.operations(rows, cols), for: "a \(rows)×\(cols) matrix")
    }

    /// Zeroed storage for a `rows×cols` matrix or work array, after the shape and allocation
    /// checks (overflow, `maxElements`, memory, the run's budget): the one way code that
    /// sizes buffers from its inputs gets them.
    package static func zeroedStorage(_ rows: Int, _ cols: Int) throws(TensorError) -> [Double] {
        try checkShape(rows, cols)
        try checkAllocation(rows, cols)
        return [Double](repeating: 0, count: rows * cols)
    }

    package static func checkShape(_ rows: Int, _ cols: Int) throws(TensorError) {
        guard rows >= 0, cols >= 0 else {
            throw .invalidShape("\(rows)×\(cols) has a negative dimension")
        }
        let (n, overflow) = max(rows, 1).multipliedReportingOverflow(by: max(cols, 1))
        guard !overflow, n <= maxElements else {
            throw .invalidShape("\(rows)×\(cols) is larger than the \(maxElements) elements a matrix may hold")
        }
    }
}
