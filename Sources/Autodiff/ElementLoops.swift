import Tensor

/// The array loops behind the elementwise operations and their pullbacks: one pass over the
/// row-major storage, no per-element dispatch beyond the inlined closure.
extension Matrix {
    /// The matrix `(f(Aᵢⱼ))`, same shape.
    func mapped(_ f: (Double) -> Double) -> Matrix {
        var out = [Double](repeating: 0, count: count)
        elements.withUnsafeBufferPointer { a in
            for k in 0..<a.count { out[k] = f(a[k]) }
        }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    /// The matrix `(f(Aᵢⱼ, Bᵢⱼ))` for `B` of the same shape (checked by the caller).
    func zipped(_ other: Matrix, _ f: (Double, Double) -> Double) -> Matrix {
        var out = [Double](repeating: 0, count: count)
        elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                for k in 0..<min(a.count, b.count) { out[k] = f(a[k], b[k]) }
            }
        }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    /// The matrix `(f(Aᵢⱼ, Bᵢⱼ, Cᵢⱼ))` for `B`, `C` of the same shape (checked by the caller).
    func zipped(_ b: Matrix, _ c: Matrix, _ f: (Double, Double, Double) -> Double) -> Matrix {
        var out = [Double](repeating: 0, count: count)
        elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeBufferPointer { pc in
                    for k in 0..<min(pa.count, pb.count, pc.count) { out[k] = f(pa[k], pb[k], pc[k]) }
                }
            }
        }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    /// The `rows×cols` matrix with every element `value`, for shapes already allocated once.
    static func filled(rows: Int, cols: Int, with value: Double) -> Matrix {
        Matrix(uncheckedRows: rows, cols: cols, elements: [Double](repeating: value, count: rows * cols))
    }

    /// Σᵢⱼ Aᵢⱼ, summed in row-major order.
    var elementSum: Double {
        elements.withUnsafeBufferPointer { a in
            var s = 0.0
            for x in a { s += x }
            return s
        }
    }
}
