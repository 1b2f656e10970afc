import Foundation
import Testing

/// examples/numerics: the language's numerical tools together, through the real binary.
@Suite("Numerics example")
struct NumericsExampleTests {
    @Test("masked completion: a 30% Bernoulli mask, an 80/20 split, a caught ScaledGD failure, its figure")
    func maskedCompletion() throws {
        let out = try Harness.temporaryDirectory("masked_completion")
        defer { try? FileManager.default.removeItem(at: out) }
        let script = Harness.root.appendingPathComponent("examples/numerics/masked_completion.msense").path
        let run = try Harness.msense([script, out.path])
        try #require(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("observed ") == true)
        // 80/20: the held-out part is a fifth of the observed entries (rounded).
        let counts = lines.first { $0.hasPrefix("train ") }?.split(separator: " ").compactMap { Int($0.filter(\.isNumber)) } ?? []
        #expect(counts.count == 2 && abs(Double(counts[1]) / Double(counts[0] + counts[1]) - 0.2) < 0.02, "\(lines)")
        #expect(lines.contains("gd: held-out error true"))
        #expect(lines.contains { $0.hasPrefix("caught: gd: diverged at step ") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("failed at step ") && $0.hasSuffix("trace rows and a 20×4 last iterate") }, "\(lines)")
        for file in ["masked_completion.svg", "masked_completion.png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(file).path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "\(file) is \(size) bytes")
        }
    }
}
