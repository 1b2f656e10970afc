import Foundation
import MSense
import Testing

/// msense reads what it writes: a checkpoint `minimize` saved (with `clip_norm = inf` when the
/// rule does not clip, and a NaN guard reference when the guard is off) loads as a record.
@Suite("load reads checkpoints")
struct CheckpointLoadTests {
    @Test("load gives a minimize checkpoint's numbers, inf and nan included")
    func loadReadsCheckpoint() throws {
        let printed = try withScratchFolder("checkpoint") { folder in
            let (interpreter, out) = scratchInterpreter(in: folder)
            _ = try interpreter.run(source: """
                minimize(fn(x) => x ^ 2, init: 1, optimizer: descent(lr: 0.1), steps: 3, checkpoint: "run.npz", blowup: nil)
                let unguarded = load("run.npz")
                print(unguarded["optimizer.clip_norm"], unguarded["run.blowup_reference"], unguarded.step)
                minimize(fn(x) => (x - 3) ^ 2, init: 1, optimizer: descent(lr: 0.1), steps: 3, checkpoint: "run.npz")
                print(load("run.npz")["run.blowup_reference"])
                """)
            return out.text
        }
        // The guard's reference is max(f(X₀), f(0)) = max(4, 9).
        #expect(printed == "inf nan 3\n9\n")
    }
}
