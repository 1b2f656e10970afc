import MSenseCore
import Tensor

/// Linear algebra on matrices: norms, spectra and solves (over LAPACK, see docs/tensor.md).
enum LinearAlgebraLibrary {
    static let builtins: [Builtin] = [
        Builtin(name: "norm", doc: "The Frobenius norm ‖M‖_F = √(Σᵢⱼ Mᵢⱼ²).", parameters: [Parameter("M")],
            example: """
                print(norm([3, 0; 0, 4]))  # expect: 5
                """) { args in
            .number(try args.matrix("M").frobeniusNorm)
        },
        Builtin(name: "spectral_norm", doc: "The spectral norm ‖M‖₂, the largest singular value.", parameters: [Parameter("M")],
            example: """
                print(spectral_norm([3, 0; 0, 4]))  # expect: 4
                """) { args in
            let m = try args.matrix("M")
            return .number(try m.spectralNorm())
        },
        Builtin(name: "trace", doc: "The trace Σᵢ Mᵢᵢ of a square matrix.", parameters: [Parameter("M")],
            example: """
                print(trace([1, 2; 3, 4]))  # expect: 5
                """) { args in
            let m = try args.matrix("M")
            return .number(try m.trace())
        },
        Builtin(name: "inner", doc: "The inner product ⟨A, B⟩ = Σᵢⱼ AᵢⱼBᵢⱼ.", parameters: [Parameter("A"), Parameter("B")],
            example: """
                print(inner([1, 2; 3, 4], eye(2)))  # expect: 5
                """) { args in
            let (a, b) = (try args.matrix("A"), try args.matrix("B"))
            return .number(try Matrix.inner(a, b))
        },
        Builtin(name: "eigs", doc: "The eigenvalues of a symmetric matrix, largest first (LAPACK dsyevd on (M + Mᵀ)/2); NumPy's eigvalsh gives them smallest first.",
                parameters: [Parameter("M")],
            example: """
                print(eigs([2, 1; 1, 2]))  # expect: [3, 1]
                """) { args in
            let m = try args.matrix("M")
            let eigen = try SymmetricEigen(symmetricPart(ofSquare: m))
            return .list(eigen.values.map(Value.number))
        },
        Builtin(name: "eigh", doc: "The eigendecomposition of a symmetric matrix: {values (largest first), vectors (as columns, vectors[:, k] for values[k])}. NumPy's eigh orders them smallest first: its w[-1] and V[:, -1] are values[0] and vectors[:, 0] here.",
                parameters: [Parameter("M")],
            example: """
                let e = eigh([2, 0; 0, 1])
                print(keys(e), e.values)  # expect: ["values", "vectors"] [2, 1]
                print(abs(e.vectors[:, 0]))  # expect: [1; 0]
                """) { args in
            let m = try args.matrix("M")
            let eigen = try SymmetricEigen(symmetricPart(ofSquare: m))
            return .record(["values": .list(eigen.values.map(Value.number)), "vectors": .matrix(eigen.vectors)])
        },
        Builtin(name: "svd", doc: "The thin SVD M = U diag(s) Vᵀ: {u, s (descending), vt}.", parameters: [Parameter("M")],
            example: """
                let s = svd([3, 0; 0, 4])
                print(s.s)  # expect: [4, 3]
                """) { args in
            let m = try args.matrix("M")
            let svd = try SVD(m)
            return .record(["u": .matrix(svd.u), "s": .list(svd.singularValues.map(Value.number)), "vt": .matrix(svd.vt)])
        },
        Builtin(name: "solve", doc: "X with A X = B (LU with partial pivoting; refuses singular or ill-conditioned A).",
                parameters: [Parameter("A"), Parameter("B")],
            example: """
                print(solve([2, 0; 0, 4], [2; 8]))  # expect: [1; 2]
                """) { args in
            let (a, b) = (try args.matrix("A"), try args.matrix("B"))
            return .matrix(try Matrix.solve(a, b))
        },
        Builtin(name: "inv", doc: "The inverse A⁻¹ of a square, well-conditioned matrix.", parameters: [Parameter("A")],
            example: """
                print(inv([2, 0; 0, 4]))  # expect: [0.5, 0; 0, 0.25]
                """) { args in
            let a = try args.matrix("A")
            return .matrix(try a.inverse())
        },
        Builtin(name: "diag", doc: "A diagonal matrix from a list or a vector (n×1 or 1×n, n > 1), or the diagonal of a matrix as a list.", parameters: [Parameter("x")],
            example: """
                print(diag([1, 2]))  # expect: [1, 0; 0, 2]
                print(diag([1, 0; 0, 5]))  # expect: [1, 5]
                """) { args in
            switch args["x"] {
            case .matrix(let v) where (v.rows == 1 || v.cols == 1) && v.count > 1:
                return .matrix(try Matrix.diagonal(v.elements))
            case .list(let list):
                let values = try list.items.map { item -> Double in
                    guard case .number(let x) = item else { throw ScriptError("diag takes a list of numbers") }
                    return x
                }
                return .matrix(try Matrix.diagonal(values))
            default:
                return .list(try args.matrix("x").diagonalElements.map(Value.number))
            }
        },
    ]

    /// `(M + Mᵀ)/2`, refusing a matrix that is not square (eigenvalues are of square matrices).
    private static func symmetricPart(ofSquare m: Matrix) throws(TensorError) -> Matrix {
        guard m.rows == m.cols else {
            throw .invalidArgument("eigenvalues need a square matrix, not \(m.rows)×\(m.cols)")
        }
        return m.symmetrized
    }
}
