import Foundation
import Testing
@testable import MSense
@testable import MSenseCore
import Tensor

/// A `minimize` checkpoint changed after its run wrote it (docs/optimizers.md, "Checkpoints"):
/// a resume refuses a file whose trace rows are not the increasing steps below its step, which
/// no run writes, instead of continuing with a trace that repeats or reorders steps.
@Suite("minimize checkpoints changed after writing")
struct CheckpointDamageTests {
    private static let write = """
        fn f(x) => (x - 3) ^ 2
        minimize(f, init: 1, optimizer: adam(lr: 0.1), steps: 20, every: 5, checkpoint: "run.npz")
        """
    private static let resume = """
        fn f(x) => (x - 3) ^ 2
        let r = minimize(f, init: 1, optimizer: adam(lr: 0.1), steps: 40, every: 5, resume: "run.npz")
        print(r.trace.step)
        """

    /// Writes the checkpoint, sets its `step` to `step`, resumes; returns the printed text or
    /// the rendered error.
    private func resume(withStep step: Double) throws -> String {
        try resume { $0["step"] = NDArray(scalar: step) }
    }

    /// Writes the checkpoint, changes its arrays with `change`, resumes; returns the printed
    /// text or the rendered error.
    private func resume(changing change: (inout [String: NDArray]) -> Void) throws -> String {
        try withScratchFolder("damage") { scratch in
            let (interpreter, out) = scratchInterpreter(in: scratch)
            _ = try interpreter.run(source: Self.write, path: "write.msense")
            let file = scratch.appendingPathComponent("run.npz")
            var arrays = try NPZ.read(from: file)
            change(&arrays)
            try NPZ.write(arrays, to: file)
            do throws(ScriptFailure) { _ = try interpreter.run(source: Self.resume, path: "resume.msense") } catch { return out.text + error.rendered(color: false) }
            return out.text
        }
    }

    @Test("the file as written resumes")
    func untouched() throws {
        #expect(try resume(withStep: 20) == "[0, 5, 10, 15, 20, 25, 30, 35, 40]\n")
    }

    @Test("a checkpoint without its parameters says it holds none")
    func parametersRemoved() throws {
        let text = try resume { arrays in arrays = arrays.filter { !$0.key.hasPrefix("param.") } }
        #expect(text.contains("error: minimize: the checkpoint 'run.npz' holds no parameter (no array param.NAME) but this run's are x"), "\(text)")
        #expect(text.contains("hint: resume from a checkpoint this run's objective wrote"), "\(text)")
    }

    @Test("a step at or below a recorded row is refused, with a hint")
    func stepBelowTheTrace() throws {
        for step in [15.0, 3.0] {
            let text = try resume(withStep: step)
            #expect(text.contains("error: minimize: the checkpoint 'run.npz' is inconsistent: its trace rows must have increasing steps below its step \(Int(step))"), "\(text)")
            #expect(text.contains("hint: the file was changed after the run wrote it"), "\(text)")
        }
    }
}
