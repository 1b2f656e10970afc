/// Products of float32 weights with float64 vectors, computed in float64.
///
/// The float32 storage mode of ``FusedPackedKernel`` reads each weight as a `Float` and widens it
/// in a register: every product and sum is a `Double` operation, so float32 storage changes only
/// the weights themselves (each rounded once, relative error at most 2⁻²⁴), never the arithmetic.
/// (OpenBLAS 0.3.21's `dsdot`, which promises this, sums in float32 for n ≥ 32 on this machine
/// kind, so it is not used.) Orders of summation are fixed: the same bits on every run.
enum WidenedProducts {
    /// `Σₖ Double(w[k])·g[k]` over `count` terms: eight interleaved partial sums (`k mod 8`, in
    /// two 4-lane vectors, added lane-wise and then as `(l₀ + l₁) + (l₂ + l₃)`), then the tail
    /// in order.
    @inline(__always)
    static func dot(_ w: UnsafePointer<Float>, _ g: UnsafePointer<Double>, count: Int) -> Double {
        let wBytes = UnsafeRawPointer(w), gBytes = UnsafeRawPointer(g)
        var low = SIMD4<Double>(), high = SIMD4<Double>()
        var k = 0
        while k + 8 <= count {
            let w0 = wBytes.loadUnaligned(fromByteOffset: k * 4, as: SIMD4<Float>.self)
            let w1 = wBytes.loadUnaligned(fromByteOffset: k * 4 + 16, as: SIMD4<Float>.self)
            low += SIMD4<Double>(w0) * gBytes.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
            high += SIMD4<Double>(w1) * gBytes.loadUnaligned(fromByteOffset: k * 8 + 32, as: SIMD4<Double>.self)
            k += 8
        }
        let lanes = low + high
        var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
        while k < count {
            sum += Double(w[k]) * g[k]
            k += 1
        }
        return sum
    }

    /// `s[k] += Σⱼ c[j]·Double(rows[j·count + k])` for the `rowCount` rows, `j` in order.
    @inline(__always)
    static func accumulate(
        rows: UnsafePointer<Float>, rowCount: Int, count: Int,
        coefficients c: UnsafePointer<Double>, into s: UnsafeMutablePointer<Double>
    ) {
        var j = 0
        // Four rows per sweep over `s`: a quarter of the loads and stores of `s`.
        while j + 4 <= rowCount {
            let (w0, w1, w2, w3) = (rows + j * count, rows + (j + 1) * count, rows + (j + 2) * count, rows + (j + 3) * count)
            let (c0, c1, c2, c3) = (c[j], c[j + 1], c[j + 2], c[j + 3])
            for k in 0..<count {
                s[k] = s[k] + c0 * Double(w0[k]) + c1 * Double(w1[k]) + c2 * Double(w2[k]) + c3 * Double(w3[k])
            }
            j += 4
        }
        while j < rowCount {
            let w = rows + j * count, cj = c[j]
            for k in 0..<count { s[k] += cj * Double(w[k]) }
            j += 1
        }
    }
}
