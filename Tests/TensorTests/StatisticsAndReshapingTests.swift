import Testing
@testable import Tensor

/// Statistics follow NumPy's defaults; reshaping follows NumPy's row-major order except vec,
/// which stacks columns.
@Suite("Statistics and reshaping")
struct StatisticsAndReshapingTests {
    @Test func statisticsMatchNumPyDefaults() throws {
        let x: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(try Statistics.mean(x) == 5)
        #expect(try Statistics.variance(x) == 4)                      // np.var(x)
        #expect(try Statistics.standardDeviation(x) == 2)             // np.std(x)
        #expect(try Statistics.variance(x, ddof: 1) == 32.0 / 7)      // np.var(x, ddof=1)
        #expect(try Statistics.median([3, 1, 4, 1]) == 2)
        #expect(try Statistics.quantile([1, 2, 3, 4], 0.25) == 1.75)  // np.quantile(..., 0.25)
        #expect(try Statistics.quantile([10, 20], 1) == 20)
        #expect(try Statistics.quantile([1, .nan], 0.5).isNaN)
        #expect(Statistics.cumulativeSum([1, 2, 3]) == [1, 3, 6])
        #expect(try Statistics.argmax([1, 5, 5]) == 1 && Statistics.argmin([3, .nan, 0]) == 1)
        #expect(throws: TensorError.self) { try Statistics.mean([]) }
        #expect(throws: TensorError.self) { try Statistics.variance([1], ddof: 1) }
        #expect(throws: TensorError.self) { try Statistics.quantile([1], 1.5) }
    }

    @Test func reductionsAlongAnAxis() throws {
        let m = try Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(try m.reduced(axis: 0) { x throws(TensorError) in try Statistics.mean(x) } == Matrix([[2.5, 3.5, 4.5]]))
        #expect(try m.reduced(axis: 1) { x throws(TensorError) in try Statistics.mean(x) } == Matrix(column: [2, 5]))
        #expect(try m.transformed(axis: 1, Statistics.cumulativeSum) == Matrix([[1, 3, 6], [4, 9, 15]]))
        #expect(throws: TensorError.self) { try m.reduced(axis: 2) { x throws(TensorError) in try Statistics.mean(x) } }
    }

    @Test func reshapeVecStackKronTriangles() throws {
        let m = try Matrix([[1, 2], [3, 4]])
        #expect(try m.reshaped(rows: 1, cols: 4) == Matrix([[1, 2, 3, 4]]))
        #expect(throws: TensorError.self) { try m.reshaped(rows: 3, cols: 1) }
        #expect(m.vectorized == Matrix(column: [1, 3, 2, 4]))
        #expect(try Matrix.horizontalStack([m, Matrix(column: [5, 6])]) == Matrix([[1, 2, 5], [3, 4, 6]]))
        #expect(try Matrix.verticalStack([m, Matrix([[5, 6]])]) == Matrix([[1, 2], [3, 4], [5, 6]]))
        #expect(throws: TensorError.self) { try Matrix.verticalStack([m, Matrix(column: [1, 2])]) }
        // vec(AXB) = (Bᵀ ⊗ A) vec(X)
        let a = try Matrix([[1, 2], [0, 1]]), b = try Matrix([[2, 0], [1, 3]]), x = try Matrix([[1, -1], [2, 0.5]])
        let lhs = try a.matmul(x).matmul(b).vectorized
        let rhs = try Matrix.kronecker(b.transposed, a).matmul(x.vectorized)
        #expect(lhs == rhs)
        let upper = try Matrix([[1, 2], [0, 4]]), strictlyLower = try Matrix([[0, 0], [3, 0]])
        #expect(m.upperTriangle() == upper)
        #expect(m.lowerTriangle(-1) == strictlyLower)
    }

    @Test func arraySlicingDropsSingleDimensions() throws {
        let a = try NDArray(shape: [3, 2, 2], elements: (0..<12).map(Double.init))
        #expect(try a.sliced([.single(1)]) == NDArray(shape: [2, 2], elements: [4, 5, 6, 7]))
        #expect(try a.sliced([.range(1..<3)]).shape == [2, 2, 2])
        #expect(try a.sliced([.range(0..<3), .single(1), .single(0)]) == NDArray(shape: [3], elements: [2, 6, 10]))
        #expect(try a.sliced([.single(2), .single(1), .single(1)]) == NDArray(shape: [], elements: [11]))
        #expect(throws: TensorError.self) { try a.sliced([.single(3)]) }
        #expect(throws: TensorError.self) { try a.sliced([.single(0), .single(0), .single(0), .single(0)]) }
    }
}
