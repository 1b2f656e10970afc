import Foundation
import Testing
@testable import Sweep
import Tensor

/// CSV and JSON exports of a sweep table.
@Suite("Sweep table")
struct TableTests {
    static func table() throws -> SweepTable {
        let grid = try Grid(axes: [GridAxis("eta", numbers: [0.1, 2]), GridAxis("ens", strings: ["a,b", ""])], sweepSeed: 1)
        let results = try (0..<grid.count).reversed().map { index -> PointResult in
            let point = try grid.point(at: index)
            let outcome: PointResult.Outcome = switch index {
            case 0: .ok(["loss": .number(1e-5), "phase": .string("say \"hi\"")])
            case 1: .ok(["loss": .number(.nan), "extra": .number(-0.0)])
            case 2: .failed("line one\nline two")
            default: .ok(["loss": .number(6.02e23), "phase": nil])
            }
            return PointResult(point: point, outcome: outcome, elapsedSeconds: Double(index))
        }
        return SweepTable(grid: grid, results: results)
    }

    @Test func columnsAndRowsInIndexOrder() throws {
        let table = try Self.table()
        #expect(table.columns == ["eta", "ens", "seed_index", "seed", "loss", "phase", "extra", "status", "error"])
        #expect(table.indices == [0, 1, 2, 3])
        #expect(table.failedIndices == [2])
    }

    @Test func csvText() throws {
        let table = try Self.table()
        let seeds = table.column(named: "seed")?.map(\.description) ?? []
        #expect(seeds.count == 4 && seeds[0] == String(pointSeed(sweepSeed: 1, index: 0)))
        let lines = [
            "eta,ens,seed_index,seed,loss,phase,extra,status,error",
            #"0.1,"a,b",0,\#(seeds[0]),1e-05,"say ""hi""",,ok,"#,
            #"0.1,"",0,\#(seeds[1]),nan,,-0.0,ok,"#,
            #"2,"a,b",0,\#(seeds[2]),,,,failed,"line one"#,
            #"line two""#,
            #"2,"",0,\#(seeds[3]),6.02e+23,,,ok,"#,
        ]
        let expected = lines.joined(separator: "\n") + "\n"
        #expect(table.csvText() == expected)
    }

    @Test func jsonTextParsesAndKeepsValues() throws {
        let table = try Self.table()
        let text = table.jsonText()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 4)
        #expect(parsed[0]["loss"] as? Double == 1e-5)
        #expect(parsed[0]["phase"] as? String == "say \"hi\"")
        #expect(parsed[1]["loss"] as? String == "nan")
        #expect(parsed[2]["error"] as? String == "line one\nline two")
        #expect(parsed[2]["loss"] is NSNull)
        #expect((parsed[3]["seed"] as? NSNumber)?.uint64Value == pointSeed(sweepSeed: 1, index: 3))
        // Keys are written in column order.
        let firstLine = try #require(text.split(separator: "\n").dropFirst().first)
        #expect(firstLine.hasPrefix(#"  {"eta": 0.1, "ens": "a,b", "seed_index": 0, "seed": "#))
        #expect(jsonString("\u{1}\t") == "\"\\u0001\\t\"")
    }

    @Test func filesAreWritten() throws {
        let folder = try TestFolder()
        let table = try Self.table()
        let csv = folder.url.appendingPathComponent("t.csv"), json = folder.url.appendingPathComponent("t.json")
        try table.writeCSV(to: csv)
        try table.writeJSON(to: json)
        #expect(try String(contentsOf: csv, encoding: .utf8) == table.csvText())
        #expect(try String(contentsOf: json, encoding: .utf8) == table.jsonText())
        #expect(throws: SweepError.self) {
            try table.writeCSV(to: folder.url.appendingPathComponent("no/such/folder/t.csv"))
        }
    }

    @Test func numbersAreShortestExact() {
        func text(_ x: Double) -> String { TableCell.number(x).description }
        #expect(text(5) == "5" && text(-3) == "-3" && text(0) == "0" && text(-0.0) == "-0.0")
        #expect(text(0.1) == "0.1" && text(1e300) == "1e+300")
        #expect(text(9_007_199_254_740_994) == "9007199254740994" && text(1e16) == "1e+16")
        #expect(text(-.infinity) == "-inf")
    }
}
