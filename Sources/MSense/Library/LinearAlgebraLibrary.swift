import MSenseCore
import Tensor

/// Linear algebra on matrices: norms, spectra and solves (over LAPACK, see docs/tensor.md).
enum LinearAlgebraLibrary {
    static let builtins: [Builtin] = [
        Builtin(name: "norm", doc: "The Frobenius norm ‖M‖_F = √(Σᵢⱼ Mᵢⱼ²).", parameters: [Parameter("M")]) { args in
            .number(try args.matrix(0).frobeniusNorm)
        },
        Builtin(name: "spectral_norm", doc: "The spectral norm ‖M‖₂, the largest singular value.", parameters: [Parameter("M")]) { args in
            let m = try args.matrix(0)
            return .number(try tensor { () throws(TensorError) in try m.spectralNorm() })
        },
        Builtin(name: "trace", doc: "The trace Σᵢ Mᵢᵢ of a square matrix.", parameters: [Parameter("M")]) { args in
            let m = try args.matrix(0)
            return .number(try tensor { () throws(TensorError) in try m.trace() })
        },
        Builtin(name: "inner", doc: "The inner product ⟨A, B⟩ = Σᵢⱼ AᵢⱼBᵢⱼ.", parameters: [Parameter("A"), Parameter("B")]) { args in
            let (a, b) = (try args.matrix(0), try args.matrix(1))
            return .number(try tensor { () throws(TensorError) in try Matrix.inner(a, b) })
        },
        Builtin(name: "eigs", doc: "The eigenvalues of a symmetric matrix, largest first (LAPACK dsyevd on (M + Mᵀ)/2).",
                parameters: [Parameter("M")]) { args in
            let m = try args.matrix(0)
            let eigen = try tensor { () throws(TensorError) in try SymmetricEigen(symmetrised(m)) }
            return .list(eigen.values.map(Value.number))
        },
        Builtin(name: "eigh", doc: "The eigendecomposition of a symmetric matrix: {values (largest first), vectors (as columns)}.",
                parameters: [Parameter("M")]) { args in
            let m = try args.matrix(0)
            let eigen = try tensor { () throws(TensorError) in try SymmetricEigen(symmetrised(m)) }
            return .record(["values": .list(eigen.values.map(Value.number)), "vectors": .matrix(eigen.vectors)])
        },
        Builtin(name: "svd", doc: "The thin SVD M = U diag(s) Vᵀ: {u, s (descending), vt}.", parameters: [Parameter("M")]) { args in
            let m = try args.matrix(0)
            let svd = try tensor { () throws(TensorError) in try SVD(m) }
            return .record(["u": .matrix(svd.u), "s": .list(svd.singularValues.map(Value.number)), "vt": .matrix(svd.vt)])
        },
        Builtin(name: "solve", doc: "X with A X = B (LU with partial pivoting; refuses singular or ill-conditioned A).",
                parameters: [Parameter("A"), Parameter("B")]) { args in
            let (a, b) = (try args.matrix(0), try args.matrix(1))
            return .matrix(try tensor { () throws(TensorError) in try Matrix.solve(a, b) })
        },
        Builtin(name: "inv", doc: "The inverse A⁻¹ of a square, well-conditioned matrix.", parameters: [Parameter("A")]) { args in
            let a = try args.matrix(0)
            return .matrix(try tensor { () throws(TensorError) in try a.inverse() })
        },
        Builtin(name: "diag", doc: "A diagonal matrix from a list or a vector (n×1 or 1×n, n > 1), or the diagonal of a matrix as a list.", parameters: [Parameter("x")]) { args in
            switch args[0] {
            case .matrix(let v) where (v.rows == 1 || v.cols == 1) && v.count > 1:
                return .matrix(try tensor { () throws(TensorError) in try Matrix.diagonal(v.elements) })
            case .list(let list):
                let values = try list.items.map { item -> Double in
                    guard case .number(let x) = item else { throw ScriptError("diag takes a list of numbers") }
                    return x
                }
                return .matrix(try tensor { () throws(TensorError) in try Matrix.diagonal(values) })
            default:
                return .list(try args.matrix(0).diagonalElements.map(Value.number))
            }
        },
    ]

    private static func symmetrised(_ m: Matrix) throws(TensorError) -> Matrix {
        guard m.rows == m.cols else {
            throw .invalidArgument("eigenvalues need a square matrix, not \(m.rows)×\(m.cols)")
        }
        return try (m + m.transposed) * 0.5
    }
}
