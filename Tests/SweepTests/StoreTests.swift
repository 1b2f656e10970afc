import Foundation
import Testing
@testable import Sweep

/// Point files, manifests and merging, including damaged folders.
@Suite("Point store")
struct StoreTests {
    static func grid(sweepSeed: UInt64 = 99, alphas: [Double] = [0.5, 0.25]) throws -> Grid {
        try Grid(
            axes: [GridAxis("alpha", numbers: alphas), GridAxis("ens", strings: ["g", "r1"])],
            seeds: 2, sweepSeed: sweepSeed)
    }

    static func result(_ grid: Grid, _ index: Int) throws -> PointResult {
        let point = try grid.point(at: index)
        return PointResult(
            point: point, outcome: .ok(["loss": .number(Double(index) / 3), "note": nil]), elapsedSeconds: 0.5)
    }

    @Test func gridValuesSurviveJSONExactly() throws {
        let values: [GridValue] = [
            .number(0.1), .number(-0.0), .number(5e-324), .number(1.7976931348623157e308), .number(3),
            .number(.nan), .number(.infinity), .number(-.infinity), .string(""), .string("a \"b\"\n\\c é"),
        ]
        let data = try JSONEncoder().encode(values)
        let back = try JSONDecoder().decode([GridValue].self, from: data)
        #expect(back.count == values.count)
        for (a, b) in zip(values, back) {
            switch (a, b) {
            case let (.number(x), .number(y)):
                #expect(x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN))
            default:
                #expect(a == b)
            }
        }
        #expect(String(decoding: try JSONEncoder().encode(GridValue.number(.nan)), as: UTF8.self) == #"{"number":"nan"}"#)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(GridValue.self, from: Data("true".utf8)) }
    }

    @Test func pointResultRoundTrips() throws {
        let grid = try Self.grid()
        let ok = try Self.result(grid, 3)
        let failed = PointResult(point: try grid.point(at: 4), outcome: .failed("boom"), elapsedSeconds: 1.25)
        for result in [ok, failed] {
            #expect(try PointResult.decode(try result.jsonData(), path: "x") == result)
        }
        let text = String(decoding: try ok.jsonData(), as: UTF8.self)
        #expect(text.contains(#""status" : "ok""#) && text.contains(#""value" : null"#))
    }

    @Test func writeThenMergeWithMissingAndCorruptFiles() throws {
        let folder = try TestFolder()
        let store = PointStore(directory: folder.url)
        let grid = try Self.grid()
        try store.prepare(grid: grid, script: "/tmp/sweep.msense")
        #expect(FileManager.default.fileExists(atPath: store.logsDirectory.path))
        for index in 0..<grid.count where index != 2 && index != 6 {
            try store.write(try Self.result(grid, index))
        }
        #expect(store.pointURL(index: 5).lastPathComponent == "000005.json")
        // Point 5 is damaged (half a file); point 7's file holds another point's record.
        try Data("{\"index\": 5, \"val".utf8).write(to: store.pointURL(index: 5))
        try store.result(grid, 1).jsonData().write(to: store.pointURL(index: 7))

        let merged = try store.merge(grid: grid)
        #expect(merged.missing == [2, 6])
        #expect(merged.failed == [5, 7])
        #expect(merged.incomplete == [2, 5, 6, 7])
        #expect(merged.table.indices == [0, 1, 3, 4, 5, 7])
        let errors = try #require(merged.table.column(named: "error"))
        let error5 = errors[4].description
        #expect(error5.hasPrefix("points/000005.json: is not a valid point file"))
        #expect(errors[5].description.hasPrefix("points/000007.json: records point 1"))
        #expect(merged.table.column(named: "loss")?[2] == .number(1))
    }

    @Test func manifestIsWrittenOnceAndChecked() throws {
        let folder = try TestFolder()
        let store = PointStore(directory: folder.url)
        let grid = try Self.grid()
        let first = try store.prepare(grid: grid, script: "a.msense", created: Date(timeIntervalSince1970: 0))
        #expect(first.created == "1970-01-01T00:00:00Z")
        let again = try store.prepare(grid: grid, script: "b.msense")
        #expect(again == first)  // kept, not rewritten
        try store.verify(grid: grid)

        for (other, words) in [
            (try Self.grid(sweepSeed: 100), "sweep seed is 99"),
            (try Self.grid(alphas: [0.5, 0.125]), "the axis 'alpha' has the values [0.5, 0.25] there but [0.5, 0.125]"),
            (try Grid(axes: [GridAxis("alpha", numbers: [0.5, 0.25])], seeds: 2, sweepSeed: 99), "its axes are [alpha, ens]"),
        ] {
            do {
                _ = try store.merge(grid: other)
                Issue.record("a different grid should be refused")
            } catch {
                #expect(error.description.contains(words))
                #expect(error.description.contains("holds a different sweep"))
            }
            #expect(throws: SweepError.self) { try store.prepare(grid: other, script: nil) }
        }
    }

    @Test func folderWithoutOrWithBrokenManifestIsRefused() throws {
        let folder = try TestFolder()
        let store = PointStore(directory: folder.url)
        do {
            _ = try store.merge(grid: try Self.grid())
            Issue.record("a folder without manifest should be refused")
        } catch {
            #expect("\(error)".contains("no manifest here"))
        }
        try Data("[1, 2".utf8).write(to: store.manifestURL)
        do {
            try store.verify(grid: try Self.grid())
            Issue.record("a broken manifest should be refused")
        } catch {
            #expect("\(error)".contains("is not a valid sweep manifest"))
        }
    }

    @Test func impossibleIndexIsNotWritten() throws {
        let folder = try TestFolder()
        let store = PointStore(directory: folder.url)
        let bad = PointResult(index: -3, values: [], seed: 0, outcome: .failed("x"), elapsedSeconds: 0)
        #expect(throws: SweepError.self) { try store.write(bad) }
    }
}

extension PointStore {
    /// A test helper: the record of point `index` as ``StoreTests/result(_:_:)`` makes it.
    func result(_ grid: Grid, _ index: Int) throws -> PointResult { try StoreTests.result(grid, index) }
}
