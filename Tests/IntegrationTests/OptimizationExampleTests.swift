import Foundation
import Testing

/// examples/optimization: a robust loss, a user-written update rule and a checkpointed run,
/// through the real binary (docs/optimizers.md).
@Suite("Optimization examples")
struct OptimizationExampleTests {
    private func run(_ name: String, _ arguments: [String] = []) throws -> [String] {
        let script = Harness.root.appendingPathComponent("examples/optimization/\(name).msense").path
        let run = try Harness.msense([script] + arguments)
        try #require(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").map(String.init)
    }

    @Test("custom_loss: with 10% outliers, Huber and ℓ₁ written in the language recover M*, the squared loss does not")
    func customLoss() throws {
        let lines = try run("custom_loss")
        #expect(lines.contains("robust losses recover M*: true"), "\(lines)")
        #expect(lines.contains("squared loss is pulled away: true"), "\(lines)")
    }

    @Test("custom_optimizer: Adam written in the language is adam bit for bit; ScaledGD as a rule beats descent")
    func customOptimizer() throws {
        let lines = try run("custom_optimizer")
        #expect(lines.contains("my_adam = adam, bit for bit: true"), "\(lines)")
        #expect(lines.contains("scaled_gd is at least 5x faster: true"), "\(lines)")
        #expect(lines.contains("agrees with gd(…, optimizer: \"scaled\"): true"), "\(lines)")
    }

    @Test("checkpoint_resume: stopped and resumed runs equal the uninterrupted ones (Adam on mini-batches, momentum)")
    func checkpointResume() throws {
        let out = try Harness.temporaryDirectory("checkpoint_resume")
        defer { try? FileManager.default.removeItem(at: out) }
        let lines = try run("checkpoint_resume", [out.path])
        #expect(lines.contains("resumed trace and factors identical: true"), "\(lines)")
        #expect(lines.contains("momentum resumed identical: true"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("refused: minimize: the saved optimizer state has momentum.beta = 0.8") }, "\(lines)")
        for file in ["deep_adam.npz", "heavy.npz", "deep_adam_trace.csv"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
    }
}
