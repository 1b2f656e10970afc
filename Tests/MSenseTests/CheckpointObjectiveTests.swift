import Foundation
import Testing
@testable import MSense
@testable import MSenseCore
import Tensor

/// A `minimize` checkpoint resumed on another objective or holding non-finite parameters
/// (docs/optimizers.md, "Checkpoints"): the resume is refused at load with a message naming the
/// difference, instead of continuing on another loss or failing steps later at the guard.
@Suite("minimize checkpoints against the objective")
struct CheckpointObjectiveTests {
    private static func script(seed: Int, steps: Int, file: String) -> String {
        """
        seed(\(seed))
        let P = sensing(lowrank(8, 6, svals: [1, 0.5]), iid_gaussian(m: 120, d1: 8, d2: 6))
        let m0 = balanced_asym(8, 6, r: 2, alpha: 0.1)
        let r = minimize(P, init: m0, optimizer: descent(lr: 0.4), steps: \(steps), every: 10, \(file))
        print(r.trace.step)
        """
    }

    /// Runs the writing script (seed 1, 20 steps), lets `change` edit the file's arrays, then the
    /// resuming one (seed `seed`, 40 steps); returns its printed text or the rendered error.
    private func resume(seed: Int, change: (inout [String: NDArray]) -> Void = { _ in }) throws -> String {
        try withScratchFolder("objective") { scratch in
            let (interpreter, out) = scratchInterpreter(in: scratch)
            _ = try interpreter.run(source: Self.script(seed: 1, steps: 20, file: "checkpoint: \"run.npz\""), path: "write.msense")
            let file = scratch.appendingPathComponent("run.npz")
            var arrays = try NPZ.read(from: file)
            change(&arrays)
            try NPZ.write(arrays, to: file)
            let written = out.text.count
            do throws(ScriptFailure) {
                _ = try interpreter.run(source: Self.script(seed: seed, steps: 40, file: "resume: \"run.npz\""), path: "resume.msense")
            } catch { return String(out.text.dropFirst(written)) + error.rendered(color: false) }
            return String(out.text.dropFirst(written))
        }
    }

    @Test("the same problem resumes")
    func sameProblem() throws {
        #expect(try resume(seed: 1) == "[0, 10, 20, 30, 40]\n")
    }

    @Test("another problem of the same shapes is refused, with a hint")
    func otherProblem() throws {
        let text = try resume(seed: 2)
        #expect(text.contains("error: minimize: the checkpoint 'run.npz' was written for a problem with other observations y"), "\(text)")
        #expect(text.contains("hint: resume on the problem the run was started on"), "\(text)")
    }

    @Test("another measurement count is refused")
    func otherCount() throws {
        let text = try resume(seed: 1) { $0["objective.m"] = NDArray(scalar: 100) }
        #expect(text.contains("was written for a problem with m = 100 measurements, this run's has m = 120"), "\(text)")
    }

    @Test("a checkpoint without a fingerprint resumes")
    func withoutFingerprint() throws {
        let text = try resume(seed: 1) { arrays in
            arrays["objective.m"] = nil
            arrays["objective.y_hash"] = nil
        }
        #expect(text == "[0, 10, 20, 30, 40]\n")
    }

    @Test("a non-finite parameter is refused at load, with a hint")
    func nonFiniteParameter() throws {
        let text = try resume(seed: 1) { arrays in
            guard let F = arrays["param.F"] else { return }
            var elements = F.elements
            elements[7] = .nan
            arrays["param.F"] = try? NDArray(shape: F.shape, elements: elements)
        }
        #expect(text.contains("error: minimize: the checkpoint's F has a non-finite entry (nan at [3, 1])"), "\(text)")
        #expect(text.contains("hint: the file is damaged or from a diverged run"), "\(text)")
        #expect(!text.contains("lower lr"), "\(text)")
    }
}
