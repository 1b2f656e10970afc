import Foundation
import Testing
@testable import Sweep

/// Grid order, count, checks, and the seed derivation.
@Suite("Grid")
struct GridTests {
    static func smallGrid(seeds: Int = 2, sweepSeed: UInt64 = 7) throws -> Grid {
        try Grid(
            axes: [GridAxis("alpha", numbers: [0.1, 0.01]), GridAxis("ens", strings: ["g", "r1", "c"])],
            seeds: seeds, sweepSeed: sweepSeed)
    }

    @Test func countIsProductOfAxesAndSeeds() throws {
        #expect(try Self.smallGrid(seeds: 2).count == 12)
        #expect(try Self.smallGrid(seeds: 1).count == 6)
        #expect(try Grid(axes: [], seeds: 5).count == 5)
    }

    /// Last axis fastest, seed_index innermost: the order of nested loops as written.
    @Test func orderIsNestedLoopsLastAxisFastest() throws {
        let grid = try Self.smallGrid(seeds: 2)
        var expected: [[GridValue]] = []
        for a in [0.1, 0.01] {
            for e in ["g", "r1", "c"] {
                for s in 0..<2 { expected.append([.number(a), .string(e), .number(Double(s))]) }
            }
        }
        let actual = try (0..<grid.count).map { try grid.point(at: $0).values.compactMap(\.value) }
        #expect(actual == expected)
        let p = try grid.point(at: 9)
        #expect(p.index == 9 && p.seedIndex == 1)
        #expect(p["alpha"] == .number(0.01) && p["ens"] == .string("r1") && p["nope"] == nil)
        #expect(grid.coordinateNames == ["alpha", "ens", "seed_index"])
    }

    @Test func seedsFollowTheDocumentedFormula() throws {
        // SplitMix64 finaliser of s + i·γ, written out independently of the library.
        func reference(_ s: UInt64, _ i: UInt64) -> UInt64 {
            var z = s &+ i &* 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let grid = try Self.smallGrid(sweepSeed: 12345)
        for i in 0..<grid.count {
            #expect(try grid.point(at: i).seed == reference(12345, UInt64(i)))
        }
        // The first SplitMix64 output for state 0 is the published value 0xE220A8397B1DCDAF.
        #expect(pointSeed(sweepSeed: 0, index: 1) == 0xE220_A839_7B1D_CDAF)
    }

    @Test func seedsAreDeterministicAndDistinct() throws {
        let a = try Grid(axes: [GridAxis("x", numbers: (0..<100).map(Double.init))], seeds: 10, sweepSeed: 1)
        let b = try Grid(axes: [GridAxis("x", numbers: (0..<100).map(Double.init))], seeds: 10, sweepSeed: 1)
        let seedsA = try (0..<a.count).map { try a.point(at: $0).seed }
        let seedsB = try (0..<b.count).map { try b.point(at: $0).seed }
        #expect(seedsA == seedsB)
        #expect(Set(seedsA).count == a.count)
        let other = try Grid(axes: a.axes, seeds: 10, sweepSeed: 2)
        #expect(try other.point(at: 0).seed != seedsA[0])
    }

    @Test func outOfRangeIndexThrows() throws {
        let grid = try Self.smallGrid()
        for bad in [-1, grid.count, Int.max, Int.min] {
            #expect(throws: SweepError.self) { try grid.point(at: bad) }
        }
        do {
            _ = try grid.point(at: 12)
            Issue.record("index 12 should be out of range")
        } catch {
            #expect(error.description == "point index 12 is out of range: the grid has 12 points, indices 0 to 11")
        }
    }

    @Test func invalidGridsAreRefusedWithClearMessages() throws {
        func message(_ make: () throws(SweepError) -> Grid) -> String {
            do {
                _ = try make()
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(message { () throws(SweepError) in try Grid(axes: [GridAxis("a", [])]) }.contains("has no values"))
        #expect(message { () throws(SweepError) in try Grid(axes: [GridAxis("seed", numbers: [1])]) }.contains("reserved"))
        #expect(message { () throws(SweepError) in
            try Grid(axes: [GridAxis("a", numbers: [1]), GridAxis("a", numbers: [2])])
        }.contains("appears twice"))
        #expect(message { () throws(SweepError) in try Grid(axes: [GridAxis("", numbers: [1])]) }.contains("empty name"))
        #expect(message { () throws(SweepError) in try Grid(axes: [], seeds: 0) }.contains("at least 1 seed"))
        #expect(message { () throws(SweepError) in try Grid(axes: [GridAxis("a", numbers: [.nan])]) }.contains("finite"))
        // 10⁴ · 10⁴ · 10⁴ overflows nothing but is far above the limit; 2³² · 2³² would overflow Int.
        let big = GridAxis("a", numbers: (0..<10_000).map(Double.init))
        #expect(message { () throws(SweepError) in
            try Grid(axes: [big, GridAxis("b", big.values), GridAxis("c", big.values)])
        }.contains("more than 1000000 points"))
        #expect(message { () throws(SweepError) in try Grid(axes: [big], seeds: Int.max) }.contains("more than"))
    }
}
