import Foundation
import MSense
import Testing

/// msense reads what it writes: a checkpoint `minimize` saved (with `clip_norm = inf` when the
/// rule does not clip, and a NaN guard reference when the guard is off) loads as a record.
@Suite("load reads checkpoints")
struct CheckpointLoadTests {
    @Test("load gives a minimize checkpoint's numbers, inf and nan included")
    func loadReadsCheckpoint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("msense-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.npz").path
        let out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) })
        _ = try interpreter.run(source: """
            minimize(fn(x) => x ^ 2, init: 1, optimizer: descent(lr: 0.1), steps: 3, checkpoint: "\(path)", blowup: nil)
            let unguarded = load("\(path)")
            print(unguarded["optimizer.clip_norm"], unguarded["run.blowup_reference"], unguarded.step)
            minimize(fn(x) => (x - 3) ^ 2, init: 1, optimizer: descent(lr: 0.1), steps: 3, checkpoint: "\(path)")
            print(load("\(path)")["run.blowup_reference"])
            """)
        // The guard's reference is max(f(X₀), f(0)) = max(4, 9).
        #expect(out.text == "inf nan 3\n9\n")
    }
}
