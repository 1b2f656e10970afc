import MSenseCore
import Tensor

/// What a checkpoint records of a problem objective's data, so that a resume against another
/// problem of the same shapes (another seed, another ensemble) is refused instead of continuing
/// on a different loss: the measurement count `m` and `h = FNV-1a₆₄(bits of y₁ … y_m) mod 2⁵³`
/// (the 64-bit FNV-1a hash of the observations' IEEE-754 bit patterns, little-endian bytes in
/// order, reduced to 53 bits so that a float64 holds it exactly). `y = 𝒜(M*) + σε` depends on
/// the truth, the ensemble and the noise, so a change of any of them changes `h`. A function
/// objective has no fingerprint: its data is whatever its closure reaches.
struct ObjectiveFingerprint: Equatable {
    var m: Int
    var hash: UInt64

    /// The fingerprint of a problem objective; nil for a function.
    init?(_ objective: MinimizeObjective) {
        guard case .problem(let problem, _) = objective else { return nil }
        m = problem.y.count
        hash = Self.hash(problem.y)
    }

    init(m: Int, hash: UInt64) {
        self.m = m
        self.hash = hash
    }

    /// `FNV-1a₆₄` over the bytes of every value's bit pattern (least significant first), mod 2⁵³.
    static func hash(_ values: [Double]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in values {
            var bits = value.bitPattern
            for _ in 0..<8 {
                h ^= bits & 0xff
                h = h &* 0x0000_0100_0000_01b3
                bits >>= 8
            }
        }
        return h & ((1 << 53) - 1)
    }

    /// The checkpoint's arrays: `objective.m` and `objective.y_hash`.
    var arrays: [String: NDArray] {
        ["objective.m": NDArray(scalar: Double(m)), "objective.y_hash": NDArray(scalar: Double(hash))]
    }

    /// The fingerprint in a checkpoint's arrays; nil when the file has none (a function
    /// objective's, or one written before checkpoints held it).
    static func saved(in arrays: [String: NDArray]) -> ObjectiveFingerprint? {
        guard let m = arrays["objective.m"]?.elements.first, let h = arrays["objective.y_hash"]?.elements.first,
              let count = Int(exactly: m), let hash = UInt64(exactly: h) else { return nil }
        return ObjectiveFingerprint(m: count, hash: hash)
    }

    /// Refuses a checkpoint whose fingerprint differs from this run's objective's.
    static func check(saved: ObjectiveFingerprint?, own: ObjectiveFingerprint?, path: String) throws {
        guard let saved, let own, saved != own else { return }
        let what = saved.m != own.m
            ? "a problem with m = \(saved.m) measurements, this run's has m = \(own.m)"
            : "a problem with other observations y (fingerprint \(saved.hash), this run's \(own.hash))"
        throw ScriptError("the checkpoint '\(path)' was written for \(what)",
                          hint: "resume on the problem the run was started on (the same seed, truth, ensemble and noise), or start without resume:")
    }
}
