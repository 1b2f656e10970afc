import Sensing
import Tensor

/// The mini-batches of one `minimize` run. The run draws one seed `s` from the interpreter's
/// stream when it starts (`s` = the stream's next 64-bit output shifted right by 11 bits, so it
/// is exact as a float64 in a checkpoint); the batch of step `t` is `b` distinct indices of
/// `0..<n` (without replacement within the step, with replacement across steps), the first `b`
/// positions of a partial Fisher–Yates shuffle (`sampleWithoutReplacement`) driven by a
/// xoshiro256** generator seeded with `s ⊕ (t · 0x9E3779B97F4A7C15)` (wrapping product).
///
/// Each step's batch depends on `s` and `t` only, so a resumed run draws the same batches as the
/// uninterrupted one, and the run's whole random state is the one number `s`.
struct MinibatchDraw {
    let seed: UInt64
    let size: Int
    let population: Int

    /// Throws unless `1 ≤ b ≤ n`.
    init(seed: UInt64, size: Int, population: Int) throws {
        guard size >= 1, size <= population else {
            throw ScriptError("the batch size must be from 1 to n = \(population) (the samples drawn from), not \(size)")
        }
        self.seed = seed
        self.size = size
        self.population = population
    }

    /// The seed a new run takes from the interpreter's stream.
    static func drawSeed(_ rng: inout Xoshiro256) -> UInt64 { rng.next() >> 11 }

    /// The batch of step `t`, in draw order.
    func batch(at t: Int) throws -> [Int] {
        var rng = Xoshiro256(seed: seed ^ (UInt64(truncatingIfNeeded: t) &* 0x9E37_79B9_7F4A_7C15))
        return try sampleWithoutReplacement(size, of: population, rng: &rng)
    }
}
