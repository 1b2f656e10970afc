import Foundation
import Testing
import Tensor

/// Replay conformance: `examples/replay.msense DIR ETA STEPS EVERY OUT.csv` reproduces the
/// NumPy oracle's trace to a relative 1e-6 in loss and rel_err (and every other column).
///
/// Runs over our own fixtures (`Tests/Fixtures/replay-*`, made by `Tests/Oracle/replay_oracle.py`)
/// and, when `../shared/fixtures` exists, over the reference implementation's fixtures too.
@Suite("Replay conformance")
struct ReplayConformanceTests {
    static func fixtures(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("replay-") }.sorted().map { folder.appendingPathComponent($0) }
    }

    static let ownFixtures = fixtures(in: Harness.root.appendingPathComponent("Tests/Fixtures"))
    static let sharedFixtures = Harness.shared.map { fixtures(in: $0.appendingPathComponent("fixtures")) } ?? []

    @Test("our fixtures exist")
    func ownFixturesPresent() {
        #expect(Self.ownFixtures.count >= 5)
    }

    @Test("matches our NumPy oracle", arguments: ownFixtures)
    func ownFixture(_ directory: URL) throws {
        try Self.check(directory)
    }

    @Test("matches ../shared reference fixtures", .enabled(if: !sharedFixtures.isEmpty), arguments: sharedFixtures)
    func sharedFixture(_ directory: URL) throws {
        try Self.check(directory)
    }

    /// The default kernel picks the normal equations for these runs (their `p/4 + 200` steps are
    /// reached); the rows pass must match the oracle just as well.
    @Test("the rows kernel matches too", arguments: ownFixtures + sharedFixtures)
    func rowsKernel(_ directory: URL) throws {
        try Self.check(directory, kernel: "rows")
    }

    /// Float32 storage keeps each weight rounded to the nearest float; that rounding is the
    /// difference it makes that shows (its rows kernel's fused multiply-adds, one rounding where
    /// the oracle takes two, stay far below). Our oracle, run on the same rounded weights with
    /// float64 arithmetic (`replay_oracle.py run DIR OUT --weights float32`), gives the trace
    /// float32 storage must reproduce, in every column. Measured: rows kernel within 1e-10 of it;
    /// gram kernel (float32 G in 32×32 float32 tiles) within 1.5e-7.
    @Test("float32 storage matches the oracle run on the same rounded weights, in every column",
          arguments: ownFixtures + sharedFixtures, ["rows", "gram"])
    func float32StorageAgainstRoundedOracle(_ directory: URL, kernel: String) throws {
        let scratch = try Harness.temporaryDirectory("oracle32")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let expected = scratch.appendingPathComponent("trace.csv")
        let oracle = Harness.root.appendingPathComponent("Tests/Oracle/replay_oracle.py").path
        let run = try Harness.run(URL(fileURLWithPath: "/usr/bin/env"),
                                  ["python3", oracle, "run", directory.path, expected.path, "--weights", "float32"])
        try #require(run.status == 0, "oracle failed: \(run.stderr)")
        try Self.check(directory, storage: "float32", kernel: kernel, against: expected, tolerance: 1e-6)
    }

    /// Against the float64 fixtures themselves, the rounding of the weights shows: a relative
    /// 1.2e-6 at most everywhere but replay-basic's converged tail (loss 4e-11), where the loss
    /// differs by 2.1e-4. That is the rounded problem's own answer, not arithmetic: NumPy on the
    /// rounded weights in exact float64 differs from the fixture by the same 2.1e-4, and still by
    /// 1.5e-4 when its loss is evaluated with the unrounded weights (the iterates themselves move).
    @Test("float32 storage stays within 1e-3 of the float64 fixtures in loss and rel_err, both kernels",
          arguments: ownFixtures + sharedFixtures, ["rows", "gram"])
    func float32Storage(_ directory: URL, kernel: String) throws {
        try Self.check(directory, storage: "float32", kernel: kernel, tolerance: 1e-3, columns: 2)
    }

    /// Runs the replay script on one fixture folder and compares the first `columns` value
    /// columns of every row (all of the reference's columns by default) with the fixture's
    /// `trace.csv`, or with the trace at `against`.
    static func check(
        _ directory: URL, storage: String = "float64", kernel: String = "auto", against: URL? = nil,
        tolerance: Double = 1e-6, columns: Int = .max
    ) throws {
        let args = try String(contentsOf: directory.appendingPathComponent("args"), encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        try #require(args.count == 3, "args file must hold ETA STEPS EVERY")
        let scratch = try Harness.temporaryDirectory("replay")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("trace.csv")
        let script = Harness.root.appendingPathComponent("examples/replay.msense").path
        let run = try Harness.msense([script, directory.path] + args + [out.path, storage, kernel])
        try #require(run.status == 0, "msense failed: \(run.stderr)")

        let expected = try CSV.read(from: against ?? directory.appendingPathComponent("trace.csv"))
        let actual = try CSV.read(from: out)
        #expect(actual.header.starts(with: ["step", "loss", "rel_err"]))
        #expect(actual.header.starts(with: expected.header), "the reference columns come first, in order")
        try #require(actual.rows.count == expected.rows.count, "row count")
        var worst = 0.0
        for (got, want) in zip(actual.rows, expected.rows) {  // zip stops at the reference columns
            #expect(got[0] == want[0], "steps differ")
            for (g, w) in zip(got.dropFirst(), want.dropFirst()).prefix(columns) {
                let scale = max(abs(w), 1e-12)
                worst = max(worst, abs(g - w) / scale)
            }
        }
        #expect(worst <= tolerance, "worst relative difference \(worst) in \(directory.lastPathComponent) (\(storage), \(kernel))")
    }
}
