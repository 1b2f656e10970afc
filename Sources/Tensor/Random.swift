import Foundation

/// A seeded pseudo-random generator that gives the same numbers for the same seed on every machine.
///
/// Algorithm: **xoshiro256\*\*** (Blackman & Vigna, 2018) with its 256-bit state filled from the
/// 64-bit seed by **SplitMix64**, as its authors recommend.
/// - `nextDouble()` is uniform on [0, 1): the top 53 bits of the next output times 2⁻⁵³.
/// - `nextNormal()` is standard normal N(0, 1) by the **Marsaglia polar method**: draw u, v
///   uniform on (−1, 1) until s = u² + v² ∈ (0, 1), then return u·√(−2 ln s / s) and keep
///   v·√(−2 ln s / s) for the next call.
///
/// The streams are not NumPy's (which uses PCG64): experiments that must match NumPy exactly
/// load their inputs from `.npy` files instead.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareNormal: Double?

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// A uniform double in [0, 1).
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal N(0, 1) draw (Marsaglia polar method; see the type's documentation).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * nextDouble() - 1
            let v = 2 * nextDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * Foundation.log(s) / s).squareRoot()
                spareNormal = v * factor
                return u * factor
            }
        }
    }

    /// A uniform integer in `0..<bound` without modulo bias (the standard library's
    /// `next(upperBound:)`, Lemire's method).
    ///
    /// - Throws: ``TensorError/invalidArgument(_:)`` when `bound` ≤ 0 (there is no such integer).
    public mutating func nextInt(below bound: Int) throws(TensorError) -> Int {
        guard bound > 0 else {
            throw .invalidArgument("a random integer below \(bound) does not exist: the bound must be positive")
        }
        return Int(next(upperBound: UInt64(bound)))
    }

    /// A `rows×cols` matrix of independent N(0, 1) draws, filled in row-major order.
    public mutating func normalMatrix(rows: Int, cols: Int) throws(TensorError) -> Matrix {
        var m = try Matrix(rows: rows, cols: cols)
        for k in 0..<m.elements.count { m.elements[k] = nextNormal() }
        return m
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
