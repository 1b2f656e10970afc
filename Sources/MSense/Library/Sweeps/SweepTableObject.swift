import MSenseCore
import Sweep

/// The table a sweep returns (`type(t) == "table"`): one row per point.
///
/// Columns (docs/sweeps.md): the axes, `seed_index`, `seed`, the fields the points returned,
/// and `status`/`error` when a point failed. Every column is a field holding a list (`t.alpha`,
/// `t.phase1`; empty cells are `nil`, seeds are decimal strings since 64-bit seeds do not fit a
/// number exactly). `t.columns`, `t.count`, `t.rows` (records), `t.row(i)`, `t.column(name)`,
/// `t.failed` (indices of failed points), and `t.summarize(by, of)`: per group of `by`, the
/// mean, sample standard deviation and count of each column in `of`.
/// `save(t, "x.csv" | "x.json")` writes it.
final class SweepTableObject: ScriptObject {
    let table: SweepTable
    init(_ table: SweepTable) { self.table = table }

    var typeName: String { "table" }
    var fieldNames: [String] { table.columns + ["columns", "count", "rows", "row", "column", "failed", "summarize"] }

    func field(named name: String) throws -> Value? {
        let table = self.table
        if let values = column(name) { return .list(values) }
        switch name {
        case "columns": return .list(table.columns.map(Value.string))
        case "count": return .number(Double(table.rows.count))
        case "rows": return .list(table.rows.map { Self.record(table.columns, $0) })
        case "failed": return .list(table.failedIndices.map { .number(Double($0)) })
        case "row":
            return .builtin(Builtin(name: "row", doc: "Row i (0-based; negative counts from the end) as a record.",
                                    parameters: [Parameter("i")]) { args in
                let index = try tableRow(args.integer(0), of: table.rows.count, "table")
                return Self.record(table.columns, table.rows[index])
            })
        case "column":
            return .builtin(Builtin(name: "column", doc: "The column called name, as a list.",
                                    parameters: [Parameter("name")]) { [self] args in
                let name = try args.string(0)
                guard let values = column(name) else {
                    throw ScriptError("the table has no column '\(name)'", hint: "columns: \(table.columns.joined(separator: ", "))")
                }
                return .list(values)
            })
        case "summarize":
            return .builtin(Builtin(name: "summarize",
                                    doc: "Groups rows by the columns `by` and gives, for each column in `of`, its mean, sample standard deviation and count per group (columns c_mean, c_std, c_n).",
                                    parameters: [Parameter("by"), Parameter("of")]) { args in
                let by = try oneOrMoreStrings(args[0], "by (column names)")
                let of = try oneOrMoreStrings(args[1], "of (column names)")
                return .object(SweepTableObject(try sweepStep { () throws(SweepError) in try table.summarized(by: by, of: of) }))
            })
        default: return nil
        }
    }

    private func column(_ name: String) -> [Value]? {
        table.column(named: name)?.map(Self.value)
    }

    static func value(_ cell: TableCell) -> Value {
        switch cell {
        case .number(let x): .number(x)
        case .integer(let n): .string(String(n))
        case .string(let s): .string(s)
        case .empty: .nil
        }
    }

    static func record(_ columns: [String], _ row: [TableCell]) -> Value {
        .record(ScriptRecord(names: columns, values: row.map(value)))
    }

    func describe() -> String {
        "table(\(table.rows.count) rows: \(table.columns.joined(separator: ", ")))"
    }
}
