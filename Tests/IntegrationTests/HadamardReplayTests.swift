import Foundation
import Testing
import Tensor

/// The Hadamard ensemble against our NumPy oracle (`Tests/Oracle/hadamard_oracle.py`), which
/// builds every `Aᵢ` densely from `(Aᵢ)ⱼₖ = σ_q (−1)^popcount(sᵢ & q)` and never uses a fast
/// transform: `examples/replay_hadamard.msense` must reproduce the fixture's measurements,
/// adjoint and gradient-descent trace (FGᵀ with padding, FGᵀ without, depth 3) to a relative
/// 1e-10 in every column, and the ensemble drawn from `seed(SEED)` must be the oracle's draw
/// (its model of xoshiro256** and of the documented draw order).
@Suite("Hadamard ensemble replay")
struct HadamardReplayTests {
    static let fixtures = FieldReplayConformanceTests.fixtures(
        in: Harness.root.appendingPathComponent("Tests/Fixtures"), prefixes: ["hadamard-"])

    @Test("our fixtures exist")
    func present() {
        #expect(Self.fixtures.count >= 3)
    }

    @Test("measurements, adjoint, the seeded draw and the GD trace match the dense NumPy oracle to 1e-10", arguments: fixtures)
    func replay(_ directory: URL) throws {
        let args = try String(contentsOf: directory.appendingPathComponent("args"), encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        try #require(args.count == 5, "args file must hold FAMILY SEED ETA STEPS EVERY")
        let scratch = try Harness.temporaryDirectory("hadamard-replay")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let script = Harness.root.appendingPathComponent("examples/replay_hadamard.msense").path
        let run = try Harness.msense([script, directory.path] + args + [scratch.path])
        try #require(run.status == 0, "msense failed: \(run.stderr)")

        func numbers(_ url: URL) throws -> [Double] { try NPY.read(from: url).elements }
        let expectedMeasure = try numbers(directory.appendingPathComponent("AX.npy"))
        for name in ["measure.npy", "measure_seeded.npy"] {
            let got = try numbers(scratch.appendingPathComponent(name))
            try #require(got.count == expectedMeasure.count, "\(name): \(got.count) measurements")
            #expect(Self.normwise(got, expectedMeasure) <= 1e-12, "\(name) in \(directory.lastPathComponent)")
        }
        let adjoint = try numbers(scratch.appendingPathComponent("adjoint.npy"))
        #expect(Self.normwise(adjoint, try numbers(directory.appendingPathComponent("Aw.npy"))) <= 1e-12)

        let expected = try CSV.read(from: directory.appendingPathComponent("trace.csv"))
        let actual = try CSV.read(from: scratch.appendingPathComponent("trace.csv"))
        #expect(actual.header.starts(with: expected.header))
        try #require(actual.rows.count == expected.rows.count, "row count")
        var worst = 0.0
        for (got, want) in zip(actual.rows, expected.rows) {
            #expect(got[0] == want[0], "steps differ")
            worst = max(worst, Self.worst(Array(got.dropFirst().prefix(want.count - 1)), Array(want.dropFirst())))
        }
        #expect(worst <= 1e-10, "worst relative difference \(worst) in \(directory.lastPathComponent)")
    }

    /// `maxᵢ |gᵢ − wᵢ| / maxᵢ |wᵢ|`; infinite when the lengths differ.
    static func normwise(_ got: [Double], _ want: [Double]) -> Double {
        guard got.count == want.count else { return .infinity }
        return zip(got, want).reduce(0) { max($0, abs($1.0 - $1.1)) } / max(want.map(abs).max() ?? 0, 1e-300)
    }

    /// `maxᵢ |gᵢ − wᵢ| / max(|wᵢ|, 1e-12)`; infinite when the lengths differ.
    static func worst(_ got: [Double], _ want: [Double]) -> Double {
        guard got.count == want.count else { return .infinity }
        return zip(got, want).reduce(0) { max($0, abs($1.0 - $1.1) / max(abs($1.1), 1e-12)) }
    }
}
