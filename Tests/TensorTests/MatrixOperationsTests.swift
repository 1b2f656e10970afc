import Testing
@testable import Tensor

@Suite("Matrix construction, elementwise arithmetic, norms, slicing and predicates")
struct MatrixOperationsTests {
    let a: Matrix
    let b: Matrix

    init() throws {
        a = try Matrix([[1, 2, 3], [4, 5, 6]])
        b = try Matrix([[6, 5, 4], [3, 2, 1]])
    }

    @Test func identityZerosDiagonal() throws {
        #expect(try Matrix.identity(2) == (try Matrix([[1, 0], [0, 1]])))
        #expect(try Matrix.zeros(rows: 2, cols: 3).elements == [0, 0, 0, 0, 0, 0])
        let d = try Matrix.diagonal([2, -1, 5])
        #expect(d.diagonalElements == [2, -1, 5])
        #expect(d[0, 1] == 0 && d[2, 2] == 5)
        #expect(a.diagonalElements == [1, 5])
        #expect(throws: TensorError.self) { try Matrix.identity(-1) }
    }

    @Test func elementwiseArithmetic() throws {
        #expect(try (a + b).elements == [7, 7, 7, 7, 7, 7])
        #expect(try (a - b).elements == [-5, -3, -1, 1, 3, 5])
        #expect(try (a ∘ b).elements == [6, 10, 12, 12, 10, 6])
        let quotient: [Double] = [1.0 / 6, 2.0 / 5, 3.0 / 4, 4.0 / 3, 5.0 / 2, 6]
        #expect(try (a / b).elements == quotient)
        #expect((2 * a).elements == [2, 4, 6, 8, 10, 12])
        #expect((a * 0.5).elements == [0.5, 1, 1.5, 2, 2.5, 3])
        #expect((a / 2).elements == [0.5, 1, 1.5, 2, 2.5, 3])
        #expect((-a).elements == [-1, -2, -3, -4, -5, -6])
    }

    @Test func elementwiseShapeErrorNamesBothShapes() {
        let text = tensorErrorText { _ = try a + a.transposed }
        #expect(text == "elementwise sum: shapes 2×3 and 3×2 do not match")
        #expect(tensorErrorText { _ = try a ∘ a.transposed }?.contains("2×3 and 3×2") == true)
        #expect(tensorErrorText { _ = try a / a.transposed }?.contains("2×3 and 3×2") == true)
        #expect(tensorErrorText { _ = try a - a.transposed }?.contains("2×3 and 3×2") == true)
    }

    @Test func scaledUpdate() throws {
        var x = a
        try x.add(b, scaledBy: -2)
        #expect(x.elements == [-11, -8, -5, -2, 1, 4])
        #expect(throws: TensorError.self) { try x.add(a.transposed, scaledBy: 1) }
        #expect(x.elements == [-11, -8, -5, -2, 1, 4])
    }

    @Test func traceInnerNorms() throws {
        #expect(try Matrix([[1, 2], [3, 4]]).trace() == 5)
        #expect(throws: TensorError.self) { try a.trace() }
        #expect(try Matrix.inner(a, b) == 6 + 10 + 12 + 12 + 10 + 6)
        #expect(throws: TensorError.self) { try Matrix.inner(a, a.transposed) }
        #expect(abs(a.frobeniusNorm - (91.0).squareRoot()) < 1e-14)
        #expect(try Matrix.zeros(rows: 0, cols: 3).frobeniusNorm == 0)
        // ‖diag(3, −7, 2)‖₂ = 7; for a rank-one u vᵀ it is ‖u‖‖v‖.
        #expect(abs(try Matrix.diagonal([3, -7, 2]).spectralNorm() - 7) < 1e-13)
        let uvt = try Matrix([[1], [2], [2]]).matmul(try Matrix([[3, 4]]))
        #expect(abs(try uvt.spectralNorm() - 15) < 1e-13)
        #expect(throws: TensorError.self) { try Matrix([[1, .nan]]).spectralNorm() }
    }

    @Test func matrixVectorProduct() throws {
        let x = Matrix(column: [1, 0, -1])
        #expect(try Matrix.gemv(a, x).elements == [-2, -2])
        #expect(try Matrix.gemv(a, Matrix(column: [1, 2]), transpose: true, alpha: 2).elements == [18, 24, 30])
        #expect(tensorErrorText { _ = try Matrix.gemv(a, Matrix(column: [1, 2])) }
            == "matrix–vector product: shapes 2×3 and 2×1 do not match")
    }

    @Test func slicing() throws {
        #expect(try a.row(1).elements == [4, 5, 6])
        #expect(try a.row(1).shape == [1, 3])
        #expect(try a.column(2) == Matrix(column: [3, 6]))
        #expect(try a.submatrix(rows: 0..<2, cols: 1..<3) == (try Matrix([[2, 3], [5, 6]])))
        #expect(try a.submatrix(rows: 1..<1, cols: 0..<3).shape == [0, 3])
        #expect(throws: TensorError.self) { try a.row(2) }
        #expect(throws: TensorError.self) { try a.row(-1) }
        #expect(throws: TensorError.self) { try a.column(3) }
        #expect(throws: TensorError.self) { try a.submatrix(rows: 0..<3, cols: 0..<1) }
        #expect(throws: TensorError.self) { try a.submatrix(rows: -1..<1, cols: 0..<1) }
    }

    @Test func predicates() throws {
        let s = try Matrix([[1, 2], [2 + 1e-13, 1]])
        #expect(!s.isSymmetric())
        #expect(s.isSymmetric(tolerance: 1e-12))
        #expect(!a.isSymmetric(tolerance: 100))
        #expect(a.allFinite && a.firstNonFiniteIndex == nil)
        let bad = try Matrix([[1, 2], [.infinity, .nan]])
        #expect(!bad.allFinite)
        #expect(bad.firstNonFiniteIndex?.row == 1 && bad.firstNonFiniteIndex?.col == 0)
    }
}
