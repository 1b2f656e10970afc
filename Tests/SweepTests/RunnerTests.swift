import Foundation
import Synchronization
import Tensor
import Testing
@testable import Sweep

/// The local runner: determinism across worker counts, failures, cancellation, progress.
@Suite("Local runner")
struct RunnerTests {
    static let grid: Grid = {
        do {
            return try Grid(
                axes: [GridAxis("alpha", numbers: [1e-3, 1e-2, 1e-1]), GridAxis("ens", strings: ["g", "r1"])],
                seeds: 3, sweepSeed: 2026)
        } catch {
            fatalError("the test grid is valid: \(error)")
        }
    }()

    /// A body whose output depends on the point's seed and values, with some work in it.
    @Sendable static func body(_ point: GridPoint) throws -> PointFields {
        var rng = point.makeGenerator()
        var sum = 0.0
        for _ in 0..<2000 { sum += rng.nextNormal() }
        var fields: PointFields = ["mean": .number(sum / 2000)]
        if point["ens"] == .string("r1") { fields["tag"] = .string("rank, one \"q\"") }
        var fresh = Xoshiro256(seed: point.seed)
        fields["draw"] = .number(fresh.nextDouble())
        return fields
    }

    @Test func tableIsIdenticalForOneTwoAndFourJobs() throws {
        let t1 = try SweepRunner.run(grid: Self.grid, jobs: 1, body: Self.body)
        let t2 = try SweepRunner.run(grid: Self.grid, jobs: 2, body: Self.body)
        let t4 = try SweepRunner.run(grid: Self.grid, jobs: 4, body: Self.body)
        #expect(t1 == t2 && t1 == t4)
        #expect(t1.csvText() == t4.csvText())
        #expect(t1.rows.count == 18)
        #expect(t1.indices == Array(0..<18))
        // Column order: axes, seed_index, seed, fields in first-seen order; no status columns.
        #expect(t1.columns == ["alpha", "ens", "seed_index", "seed", "mean", "draw", "tag"])
        // The means are different across points (seeds differ) and near 0.
        let means = try #require(t1.column(named: "mean")).compactMap { cell -> Double? in
            if case let .number(x) = cell { return x }
            return nil
        }
        #expect(Set(means).count == 18 && means.allSatisfy { abs($0) < 0.15 })
        // A point that did not return `tag` has an empty cell.
        #expect(t1.rows[0][6] == .empty && t1.rows[3][6] == .string("rank, one \"q\""))
    }

    struct Boom: Error, CustomStringConvertible {
        var description: String { "the loss diverged at step 3" }
    }

    @Test func failingPointIsRecordedAndOthersRun() throws {
        let table = try SweepRunner.run(grid: Self.grid, jobs: 3) { point in
            if point.index == 4 || point.index == 11 { throw Boom() }
            return ["x": .number(Double(point.index))]
        }
        #expect(table.rows.count == 18)
        #expect(table.failedIndices == [4, 11])
        #expect(table.columns.suffix(3) == ["x", "status", "error"])
        #expect(table.rows[4].suffix(3) == [.empty, .string("failed"), .string("the loss diverged at step 3")])
        #expect(table.rows[5].suffix(3) == [.number(5), .string("ok"), .empty])
    }

    @Test func fieldNamedLikeAColumnFailsThatPoint() throws {
        let table = try SweepRunner.run(grid: Self.grid, jobs: 1) { point in
            point.index == 0 ? ["alpha": .number(1)] : ["y": .number(2)]
        }
        #expect(table.failedIndices == [0])
        #expect(table.column(named: "error")?[0] == .string(
            "the point returned a field named 'alpha', which is already a column of the sweep; rename the field"))
    }

    @Test func progressIsSerialAndCountsUp() throws {
        let seen = Mutex<[SweepProgress]>([])
        _ = try SweepRunner.run(
            grid: Self.grid, jobs: 4,
            progress: { p in seen.withLock { $0.append(p) } },
            body: { point in
                if point.index % 5 == 0 { throw Boom() }
                return [:]
            })
        let reports = seen.withLock { $0 }
        #expect(reports.map(\.done) == Array(1...18))
        #expect(reports.allSatisfy { $0.total == 18 })
        #expect(reports.last?.failed == 4)  // indices 0, 5, 10, 15
    }

    @Test func cancellationStopsAndKeepsFinishedPoints() throws {
        let started = Mutex(0)
        do {
            _ = try SweepRunner.run(
                grid: Self.grid, jobs: 1,
                isCancelled: { started.withLock { $0 } >= 5 },
                body: { _ in
                    started.withLock { $0 += 1 }
                    return ["v": .number(1)]
                })
            Issue.record("a cancelled run should throw")
        } catch let SweepError.cancelled(completed, total, partial) {
            #expect(completed == 5 && total == 18)
            #expect(partial.indices == [0, 1, 2, 3, 4])
        }
    }

    @Test func badJobsAndIndicesAreRefused() {
        #expect(throws: SweepError.self) { try SweepRunner.run(grid: Self.grid, jobs: 0) { _ in [:] } }
        #expect(throws: SweepError.self) { try SweepRunner.run(grid: Self.grid, jobs: 100_000) { _ in [:] } }
        #expect(throws: SweepError.self) {
            try SweepRunner.runPoints(grid: Self.grid, indices: [18], jobs: 1) { _ in [:] }
        }
    }

    @Test func runPointsRunsASubsetInTheOrderGiven() throws {
        let results = try SweepRunner.runPoints(grid: Self.grid, indices: [7, 2, 9], jobs: 2) { p in
            ["i": .number(Double(p.index))]
        }
        #expect(results.map(\.index) == [7, 2, 9])
        #expect(results.map(\.outcome) == [7, 2, 9].map { .ok(["i": .number(Double($0))]) })
        #expect(try results[0].seed == Self.grid.point(at: 7).seed)
    }
}
