import Foundation
import Tensor

/// The random stream of one interpreter: every random draw of a script (truth bases,
/// ensembles, initialisations, noise) comes from it, in program order.
///
/// `seed(n)` restarts it; a script that never calls `seed` gets a seed drawn from the system
/// generator, which `seed()` returns so it can be recorded with the results.
package final class RandomState: @unchecked Sendable {
    // Safety: all access goes through `lock`.
    private let lock = NSLock()
    private var generator: Xoshiro256
    package private(set) var seed: UInt64

    package init() {
        let drawn = UInt64.random(in: 0...(1 << 53))
        seed = drawn
        generator = Xoshiro256(seed: drawn)
    }

    /// Restarts the stream from `seed`.
    package func reseed(_ seed: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        self.seed = seed
        generator = Xoshiro256(seed: seed)
    }

    /// The current seed.
    package var currentSeed: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return seed
    }

    /// The generator and seed as they are now, to put back with `restore` (a sweep point runs
    /// on its own stream and then gives the script's stream back untouched).
    package func snapshot() -> (generator: Xoshiro256, seed: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        return (generator, seed)
    }

    /// Puts back a `snapshot`.
    package func restore(_ saved: (generator: Xoshiro256, seed: UInt64)) {
        lock.lock()
        defer { lock.unlock() }
        generator = saved.generator
        seed = saved.seed
    }

    /// Runs `body` with exclusive use of the generator.
    package func draw<T>(_ body: (inout Xoshiro256) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&generator)
    }
}
