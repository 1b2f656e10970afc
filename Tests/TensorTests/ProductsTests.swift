import Testing
@testable import Tensor

@Suite("Matrix products and symmetric eigendecomposition")
struct ProductsTests {
    @Test func gemmMatchesHandComputedProduct() throws {
        let a = try Matrix([[1, 2, 3], [4, 5, 6]])
        let b = try Matrix([[7, 8], [9, 10], [11, 12]])
        let c = try a.matmul(b)
        #expect(c == (try Matrix([[58, 64], [139, 154]])))
        let ct = try Matrix.gemm(a, a, transposeB: true)
        #expect(ct == (try Matrix([[14, 32], [32, 77]])))
    }

    @Test func gemmRejectsMismatchedShapes() throws {
        let a = try Matrix(rows: 2, cols: 3)
        #expect(throws: TensorError.shapeMismatch(operation: "matrix product", lhs: [2, 3], rhs: [2, 3])) {
            try a.matmul(a)
        }
    }

    @Test func eigenOfDiagonalIsSortedDescending() throws {
        let a = try Matrix([[1, 0, 0], [0, 3, 0], [0, 0, 2]])
        let e = try SymmetricEigen(a)
        #expect(e.values == [3, 2, 1])
        #expect(abs(abs(try e.vectors.element(1, 0)) - 1) < 1e-14)
    }
}

@Suite("QR and random numbers")
struct QRAndRandomTests {
    @Test func qrReconstructsAndIsOrthonormal() throws {
        var rng = Xoshiro256(seed: 7)
        let a = try rng.normalMatrix(rows: 6, cols: 4)
        let f = try QR(a)
        let back = try f.q.matmul(f.r)
        for (x, y) in zip(back.elements, a.elements) { #expect(abs(x - y) < 1e-12) }
        let qtq = try Matrix.gemm(f.q, f.q, transposeA: true)
        for i in 0..<4 { for j in 0..<4 { #expect(abs(qtq[i, j] - (i == j ? 1 : 0)) < 1e-12) } }
    }

    @Test func upperTriangularAloneIsTheFactorsR() throws {
        var rng = Xoshiro256(seed: 8)
        for (rows, cols) in [(6, 3), (3, 6), (5, 5)] {
            let a = try rng.normalMatrix(rows: rows, cols: cols)
            #expect(try QR.upperTriangular(a) == QR(a).r)
        }
        #expect(throws: TensorError.self) { try QR.upperTriangular(Matrix([[1, .nan]])) }
    }

    @Test func sameSeedSameStream() {
        var a = Xoshiro256(seed: 2023), b = Xoshiro256(seed: 2023)
        for _ in 0..<100 { #expect(a.nextNormal() == b.nextNormal()) }
    }
}
