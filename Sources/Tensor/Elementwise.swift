import CBLAS

/// Elementwise arithmetic: sums, differences, Hadamard products and quotients of equal-shaped
/// matrices, scaling by a scalar, and the in-place update `self += α·other` used by optimizers.
///
/// Binary operations require identical shapes and throw ``TensorError/shapeMismatch(operation:lhs:rhs:)``
/// otherwise (whose text reads e.g. "elementwise sum: shapes 2×3 and 3×2 do not match").
infix operator ∘ : MultiplicationPrecedence

extension Matrix {
    /// (A + B)ᵢⱼ = Aᵢⱼ + Bᵢⱼ.
    public static func + (a: Matrix, b: Matrix) throws(TensorError) -> Matrix {
        try zipElements(a, b, operation: "elementwise sum", +)
    }

    /// (A − B)ᵢⱼ = Aᵢⱼ − Bᵢⱼ.
    public static func - (a: Matrix, b: Matrix) throws(TensorError) -> Matrix {
        try zipElements(a, b, operation: "elementwise difference", -)
    }

    /// The Hadamard product (A ∘ B)ᵢⱼ = Aᵢⱼ · Bᵢⱼ.
    public static func ∘ (a: Matrix, b: Matrix) throws(TensorError) -> Matrix {
        try zipElements(a, b, operation: "elementwise product", *)
    }

    /// The elementwise quotient (A / B)ᵢⱼ = Aᵢⱼ / Bᵢⱼ, with IEEE semantics (x / 0 is ±∞ or NaN).
    public static func / (a: Matrix, b: Matrix) throws(TensorError) -> Matrix {
        try zipElements(a, b, operation: "elementwise quotient", /)
    }

    /// (s·A)ᵢⱼ = s · Aᵢⱼ.
    public static func * (s: Double, a: Matrix) -> Matrix {
        a.mapElements { s * $0 }
    }

    /// (A·s)ᵢⱼ = Aᵢⱼ · s.
    public static func * (a: Matrix, s: Double) -> Matrix {
        a.mapElements { $0 * s }
    }

    /// (A / s)ᵢⱼ = Aᵢⱼ / s, with IEEE semantics for s = 0.
    public static func / (a: Matrix, s: Double) -> Matrix {
        a.mapElements { $0 / s }
    }

    /// (−A)ᵢⱼ = −Aᵢⱼ.
    public static prefix func - (a: Matrix) -> Matrix {
        a.mapElements { -$0 }
    }

    /// The matrix with `transform` applied to every element, same shape.
    /// One pass over the elements through unsafe buffers, so the loop carries no per-element
    /// bounds, capacity or uniqueness checks.
    public func mapElements(_ transform: (Double) -> Double) -> Matrix {
        let out = elements.withUnsafeBufferPointer { x in
            [Double](unsafeUninitializedCapacity: x.count) { y, initialized in
                for k in 0..<x.count { y[k] = transform(x[k]) }
                initialized = x.count
            }
        }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    /// In-place `self ← self + α·other` (BLAS `daxpy`), the update step of gradient methods.
    ///
    /// - Throws: ``TensorError/shapeMismatch(operation:lhs:rhs:)`` when the shapes differ;
    ///   `self` is then unchanged.
    public mutating func add(_ other: Matrix, scaledBy alpha: Double) throws(TensorError) {
        guard rows == other.rows, cols == other.cols else {
            throw .shapeMismatch(operation: "scaled update", lhs: shape, rhs: other.shape)
        }
        let n = count
        guard n > 0 else { return }
        other.elements.withUnsafeBufferPointer { px in
            elements.withUnsafeMutableBufferPointer { py in
                cblas_daxpy(Int32(n), alpha, px.baseAddress, 1, py.baseAddress, 1)
            }
        }
    }

    private static func zipElements(
        _ a: Matrix, _ b: Matrix, operation: String, _ f: (Double, Double) -> Double
    ) throws(TensorError) -> Matrix {
        guard a.rows == b.rows, a.cols == b.cols else {
            throw .shapeMismatch(operation: operation, lhs: a.shape, rhs: b.shape)
        }
        // Equal shapes: both element arrays hold rows·cols values.
        let out = a.elements.withUnsafeBufferPointer { x in
            b.elements.withUnsafeBufferPointer { u in
                [Double](unsafeUninitializedCapacity: x.count) { y, initialized in
                    for k in 0..<x.count { y[k] = f(x[k], u[k]) }
                    initialized = x.count
                }
            }
        }
        return Matrix(uncheckedRows: a.rows, cols: a.cols, elements: out)
    }
}
