import Foundation
import Testing

/// The Huber replay contract: `examples/replay_huber.msense DIR ETA STEPS EVERY OUT.csv DELTA`
/// writes the Huber loss in the language, takes its gradient from `grad` and runs GD on FGᵀ; its
/// trace matches the NumPy trace to a relative 1e-6 in every column the fixture has.
///
/// Runs over our own fixtures (`Tests/Fixtures/field-huber-*`, made by
/// `Tests/Oracle/field_oracle.py huber`, which also records grad_norm) and, when
/// `../shared/fixtures-field` exists, over the reference implementation's huber fixtures.
@Suite("Huber replay through grad")
struct HuberReplayTests {
    static let ownFixtures = FieldReplayConformanceTests.fixtures(
        in: Harness.root.appendingPathComponent("Tests/Fixtures"), prefixes: ["field-huber-"])
    static let sharedFixtures = Harness.shared.map {
        FieldReplayConformanceTests.fixtures(in: $0.appendingPathComponent("fixtures-field"), prefixes: ["huber-"])
    } ?? []
    static let script = Harness.root.appendingPathComponent("examples/replay_huber.msense").path

    @Test("our fixtures exist")
    func ownFixturesPresent() {
        #expect(Self.ownFixtures.count >= 3)
    }

    @Test("matches our NumPy oracle in every column", arguments: ownFixtures)
    func ownFixture(_ directory: URL) throws {
        try Self.check(directory)
    }

    @Test("matches ../shared reference fixtures", .enabled(if: !sharedFixtures.isEmpty), arguments: sharedFixtures)
    func sharedFixture(_ directory: URL) throws {
        try Self.check(directory)
    }

    /// The fixture's `args` holds ETA STEPS EVERY DELTA; the script takes DELTA after OUT.csv.
    static func check(_ directory: URL) throws {
        let args = try String(contentsOf: directory.appendingPathComponent("args"), encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        try #require(args.count == 4, "args file must hold ETA STEPS EVERY DELTA")
        let scratch = try Harness.temporaryDirectory("huber-replay")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("trace.csv")
        let run = try Harness.msense([script, directory.path] + args.prefix(3) + [out.path, args[3]])
        try #require(run.status == 0, "msense failed: \(run.stderr)")
        try FieldReplayConformanceTests.compare(out, with: directory.appendingPathComponent("trace.csv"), directory.lastPathComponent)
    }

    @Test("a DELTA that is not positive is refused")
    func badDelta() throws {
        let fixture = Harness.root.appendingPathComponent("Tests/Fixtures/field-huber-gaussian").path
        let run = try Harness.msense([Self.script, fixture, "0.1", "10", "5", "/nonexistent/out.csv", "0"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("DELTA must be a positive number, not 0"), "\(run.stderr)")
    }
}
