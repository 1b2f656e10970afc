import MSenseCore
import Sweep
import Tensor

/// The table a sweep returns (`type(t) == "table"`): one row per point.
///
/// Columns (docs/sweeps.md): the axes, `seed_index`, `seed`, the fields the points returned,
/// and `status`/`error` when a point failed. Every column is a field holding a list (`t.alpha`,
/// `t.phase1`; empty cells are `nil`; a seed is a number up to 2⁵³ and its decimal text beyond,
/// since a number cannot hold every 64-bit seed exactly, as `seed()` gives it inside the point). `t.columns`, `t.count`, `t.rows` (records), `t.row(i)`, `t.column(name)`,
/// `t.failed` (indices of failed points), and `t.summarize(by, of)`: per group of `by`, the
/// mean, sample standard deviation and count of each column in `of`.
/// `save(t, "x.csv" | "x.json")` writes it.
final class SweepTableObject: TabledScriptObject {
    let table: SweepTable
    init(_ table: SweepTable) { self.table = table }

    var typeName: String { "table" }

    /// Each column as a list, then ``fields``.
    var fieldTable: FieldTable<SweepTableObject> {
        FieldTable(table.columns.map { name in (name: name, get: { object in .list(object.column(name) ?? []) }) }) + Self.fields
    }

    /// The fields besides the columns (a column of the same name wins).
    static let fields = FieldTable<SweepTableObject>([
        "columns": { .list($0.table.columns.map(Value.string)) },
        "count": { .number(Double($0.table.rows.count)) },
        "rows": { object in .list(object.table.rows.map { record(object.table.columns, $0) }) },
        "row": { object in
            let table = object.table
            return .builtin(Builtin(name: "row", doc: "Row i (0-based; negative counts from the end) as a record.",
                                    parameters: [Parameter("i")]) { args in
                let index = try tableRow(args.integer("i"), of: table.rows.count, "table")
                return SweepTableObject.record(table.columns, table.rows[index])
            })
        },
        "column": { object in
            .builtin(Builtin(name: "column", doc: "The column called name, as a list.",
                             parameters: [Parameter("name")]) { args in
                let name = try args.string("name")
                guard let values = object.column(name) else {
                    throw ScriptError("the table has no column '\(name)'", hint: "columns: \(object.table.columns.joined(separator: ", "))")
                }
                return .list(values)
            })
        },
        "failed": { .list($0.table.failedIndices.map { .number(Double($0)) }) },
        "summarize": { object in
            let table = object.table
            return .builtin(Builtin(name: "summarize",
                                    doc: "Groups rows by the columns `by` and gives, for each column in `of`, its mean, sample standard deviation and count per group (columns c_mean, c_std, c_n).",
                                    parameters: [Parameter("by"), Parameter("of")]) { args in
                let by = try oneOrMoreStrings(args["by"], "by (column names)")
                let of = try oneOrMoreStrings(args["of"], "of (column names)")
                return .object(SweepTableObject(try table.summarized(by: by, of: of)))
            })
        },
    ])

    private func column(_ name: String) -> [Value]? {
        table.column(named: name)?.map(Self.value)
    }

    static func value(_ cell: TableCell) -> Value {
        switch cell {
        case .number(let x): .number(x)
        case .integer(let n): Arguments.seedValue(n)
        case .string(let s): .string(s)
        case .empty: .nil
        }
    }

    static func record(_ columns: [String], _ row: [TableCell]) -> Value {
        .record(ScriptRecord(names: columns, values: row.map(value)))
    }

    func describe() -> String {
        "table(\(counted(table.rows.count, "row")): \(table.columns.joined(separator: ", ")))"
    }
}
