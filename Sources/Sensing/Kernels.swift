import CBLAS
import Tensor

// Small BLAS wrappers over raw row-major buffers, used by the per-step kernels so that a
// gradient step allocates nothing. Callers guarantee the sizes; none of these checks shapes.

/// `c (m×n) = alpha · op(a) · op(b) + beta · c`, row-major, leading dimensions = column counts.
@inline(__always)
func gemmRaw(
    _ a: UnsafePointer<Double>?, _ b: UnsafePointer<Double>?, _ c: UnsafeMutablePointer<Double>?,
    m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Double = 1, beta: Double = 0
) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        // op(a)·op(b) is zero: c = beta·c.
        if let c { for i in 0..<(m * n) { c[i] = beta == 0 ? 0 : beta * c[i] } }
        return
    }
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n
    cblas_dgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
}

/// `y = alpha · op(A) · x + beta · y` for a row-major `rows×cols` matrix `A`.
@inline(__always)
func gemvRaw(
    _ a: UnsafePointer<Double>?, rows: Int, cols: Int, _ x: UnsafePointer<Double>?,
    _ y: UnsafeMutablePointer<Double>?, transpose: Bool = false, alpha: Double = 1, beta: Double = 0
) {
    let outCount = transpose ? cols : rows
    guard outCount > 0 else { return }
    guard rows > 0, cols > 0 else {
        if let y { for i in 0..<outCount { y[i] = beta == 0 ? 0 : beta * y[i] } }
        return
    }
    cblas_dgemv(
        CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(cols), alpha,
        a, Int32(cols), x, 1, beta, y, 1)
}

/// `M = U Uᵀ` for a row-major `d×r` buffer `u`, written as a full symmetric `d×d` buffer.
@inline(__always)
func gramRaw(_ u: UnsafePointer<Double>?, d: Int, r: Int, into m: UnsafeMutablePointer<Double>?) {
    gemmRaw(u, u, m, m: d, n: d, k: r, transposeB: true)
}

/// The Frobenius norm `‖x‖_F = sqrt(Σ xᵢ²)` of a buffer, by BLAS `dnrm2` (scaled, no overflow).
@inline(__always)
func norm2(_ x: UnsafeBufferPointer<Double>) -> Double {
    guard x.count > 0 else { return 0 }
    return cblas_dnrm2(Int32(x.count), x.baseAddress, 1)
}

/// `‖a − b‖_F` of two equally shaped matrices.
func frobeniusDistance(_ a: Matrix, _ b: Matrix) -> Double {
    var s = 0.0
    a.withUnsafeElements { pa in
        b.withUnsafeElements { pb in
            for i in 0..<min(pa.count, pb.count) {
                let t = pa[i] - pb[i]
                s += t * t
            }
        }
    }
    return s.squareRoot()
}

