/// The seed of one grid point, derived from the sweep's seed and the point's index.
///
/// `seed(s, i) = mix(s &+ i · γ)` with `γ = 0x9E3779B97F4A7C15` (⌊2⁶⁴/φ⌋, odd) and `mix` the
/// SplitMix64 finaliser:
///
///     z = (z ^ (z >> 30)) · 0xBF58476D1CE4E5B9
///     z = (z ^ (z >> 27)) · 0x94D049BB133111EB
///     z =  z ^ (z >> 31)
///
/// (all arithmetic modulo 2⁶⁴). Why: every point gets its own well-mixed 64-bit seed that depends
/// only on `(s, i)`, so a point computes the same numbers whether it runs first or last, on one
/// core or on a SLURM node. Within one sweep the seeds are all distinct: `i ↦ i·γ` is a bijection
/// of 64-bit integers because `γ` is odd, adding `s` is a bijection, and each step of `mix` is
/// invertible.
public func pointSeed(sweepSeed: UInt64, index: Int) -> UInt64 {
    var z = sweepSeed &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
