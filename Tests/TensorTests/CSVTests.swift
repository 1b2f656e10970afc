import Foundation
import Testing
@testable import Tensor

@Suite("CSV tables")
struct CSVTests {
    @Test func writesShortestRoundTripNumbersAndIntegralColumns() throws {
        let table = try CSVTable(header: ["step", "loss", "odd, \"name\""], rows: [
            [0, 0.1, 1e-06], [10, 2, -.infinity], [20, .nan, 1e300],
        ])
        let text = try CSV.encode(table, integralColumns: ["step"])
        let expected = "step,loss,\"odd, \"\"name\"\"\"\n0,0.1,1e-06\n10,2.0,-inf\n20,nan,1e+300\n"
        #expect(text == expected)
        let back = try CSV.decode(text, path: "t.csv")
        #expect(back.header == table.header)
        #expect(back.rows.flatMap { $0 }.map(\.bitPattern) == table.rows.flatMap { $0 }.map(\.bitPattern))
        #expect(try back.column(named: "step") == [0, 10, 20])
        #expect(throws: TensorError.self) { try back.column(named: "absent") }
    }

    @Test func integralColumnRefusesFractions() throws {
        let table = try CSVTable(header: ["k"], rows: [[1], [2.5]])
        #expect(tensorErrorText { _ = try CSV.encode(table, integralColumns: ["k"]) }
            == "column 'k' is declared integral but row 2 holds 2.5")
        #expect(throws: TensorError.self) { try CSVTable(header: ["a", "b"], rows: [[1]]) }
    }

    @Test func readsCRLFQuotesBlankLinesAndSpaces() throws {
        let t = try CSV.decode("\"a\",b\r\n 1 , 2\r\n\r\n\"3\",4e-3\r\n", path: "x.csv")
        #expect(t.header == ["a", "b"] && t.rows == [[1, 2], [3, 0.004]])
        #expect(try CSV.decode("a,b", path: "x.csv").rows.isEmpty)
        // A byte-order mark, as Excel writes one, is not part of the first name.
        #expect(try CSV.decode("\u{FEFF}a,b\n1,2\n", path: "x.csv").header == ["a", "b"])
    }

    @Test func badInputNamesLineAndColumn() {
        let cases: [(String, String)] = [
            ("a,b\n1,2\n3,x\n", "x.csv: line 3, column 'b': 'x' is not a number; a CSV file loads as a table of numbers (a table with text columns, such as a sweep over strings, keeps them in .json)"),
            ("step,loss,loss\n0,1,2\n", "x.csv: column 3 of the header repeats the name 'loss' of column 2: each column needs a name of its own"),
            ("a,b\n1,2\n3\n", "x.csv: line 3 has 1 cell but the header has 2"),
            ("a,b\n1,\n", "x.csv: line 2, column 'b': '' is not a number"),
            ("", "x.csv: is empty: a CSV table needs a header row"),
            ("a,\"b\n1,2\n", "x.csv: ends inside a quoted cell opened on line 1"),
            ("a,b\"c\"\n", "x.csv: line 1 has a quote inside an unquoted cell"),
        ]
        for (text, message) in cases {
            #expect(tensorErrorText { _ = try CSV.decode(text, path: "x.csv") } == message)
        }
    }

    @Test func fileRoundTrip() throws {
        let dir = try makeTemporaryDirectory("csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.csv")
        let table = try CSVTable(header: ["x"], rows: [[0.30000000000000004]])
        try CSV.write(table, to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "x\n0.30000000000000004\n")
        #expect(try CSV.read(from: url) == table)
    }
}
