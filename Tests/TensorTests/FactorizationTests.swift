import Testing
@testable import Tensor

@Suite("SVD, symmetric eigen, solve, Cholesky: residual tests")
struct FactorizationTests {
    @Test(arguments: [(7, 4), (4, 7), (5, 5), (1, 3)])
    func svdReconstructsWithOrthonormalFactors(m: Int, n: Int) throws {
        var rng = Xoshiro256(seed: UInt64(10 * m + n))
        let a = try rng.normalMatrix(rows: m, cols: n)
        let f = try SVD(a)
        let k = min(m, n)
        #expect(f.u.shape == [m, k] && f.vt.shape == [k, n] && f.singularValues.count == k)
        #expect(try (a - f.reconstructed()).frobeniusNorm <= 1e-12 * a.frobeniusNorm)
        #expect(zip(f.singularValues, f.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(f.singularValues.allSatisfy { $0 >= 0 })
        let utu = try Matrix.gemm(f.u, f.u, transposeA: true)
        let vvt = try Matrix.gemm(f.vt, f.vt, transposeB: true)
        #expect(maxAbsDifference(utu, try Matrix.identity(k)) <= 1e-12)
        #expect(maxAbsDifference(vvt, try Matrix.identity(k)) <= 1e-12)
        #expect(try SVD.singularValues(of: a).elementsEqual(f.singularValues) { abs($0 - $1) <= 1e-12 })
    }

    @Test func svdOfEmptyMatrix() throws {
        let f = try SVD(Matrix.zeros(rows: 0, cols: 3))
        #expect(f.singularValues.isEmpty && f.u.shape == [0, 0] && f.vt.shape == [0, 3])
    }

    @Test func symmetricEigenReconstructs() throws {
        var rng = Xoshiro256(seed: 99)
        let g = try rng.normalMatrix(rows: 6, cols: 6)
        let a = try g + g.transposed
        let e = try SymmetricEigen(a)
        let q = e.vectors
        let qlqt = try q.matmul(Matrix.diagonal(e.values)).matmul(q.transposed)
        #expect(try (a - qlqt).frobeniusNorm <= 1e-12 * a.frobeniusNorm)
        let qtq = try Matrix.gemm(q, q, transposeA: true)
        #expect(maxAbsDifference(qtq, try Matrix.identity(6)) <= 1e-12)
    }

    @Test func solveHasSmallResidualAndInverseWorks() throws {
        var rng = Xoshiro256(seed: 5)
        let a = try rng.normalMatrix(rows: 8, cols: 8)
        let b = try rng.normalMatrix(rows: 8, cols: 3)
        let x = try Matrix.solve(a, b)
        let residual = try (a.matmul(x) - b).frobeniusNorm
        #expect(residual <= 1e-12 * a.frobeniusNorm * x.frobeniusNorm)
        let inv = try a.inverse()
        #expect(maxAbsDifference(try a.matmul(inv), try Matrix.identity(8)) <= 1e-12)
    }

    @Test func solveRefusesSingularMatrices() throws {
        let exact = try Matrix([[1, 2], [2, 4]])
        let text = tensorErrorText { _ = try Matrix.solve(exact, Matrix(column: [1, 1])) }
        #expect(text?.contains("singular") == true)
        let nearly = try Matrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(tensorErrorText { _ = try nearly.inverse() }?.contains("singular") == true)
        #expect(throws: TensorError.self) { try Matrix.solve(exact, Matrix(column: [1, 1, 1])) }
        #expect(throws: TensorError.self) { try Matrix([[1, 2, 3]]).inverse() }
    }

    @Test func choleskyReconstructsAndRefusesIndefinite() throws {
        var rng = Xoshiro256(seed: 17)
        let g = try rng.normalMatrix(rows: 5, cols: 5)
        let a = try Matrix.gemm(g, g, transposeA: true) + Matrix.identity(5)
        let l = try Cholesky(a).l
        #expect(try (a - (try l.outerGram())).frobeniusNorm <= 1e-12 * a.frobeniusNorm)
        #expect(l[0, 1] == 0 && l.diagonalElements.allSatisfy { $0 > 0 })
        let indefinite = try Matrix([[1, 2], [2, 1]])
        #expect(tensorErrorText { _ = try Cholesky(indefinite) }?.contains("not positive definite") == true)
        #expect(tensorErrorText { _ = try Cholesky(Matrix([[1, 2], [0, 1]])) }?.contains("symmetric") == true)
    }
}
