import MSenseCore
import Sensing
import Tensor

/// A trace: a table with one row per recorded step (`type(t) == "trace"`).
///
/// Every column is a field holding a list (`t.loss`, `t.eig1`); `t.columns` names them,
/// `t.count` counts rows, `t.last` is the last row as a record, `t.column(name)` a column by name, `t.row(i)` any row,
/// `t.select(names)` keeps some columns, `t.filter(fn(row) => …)` keeps the rows whose
/// record satisfies the predicate. `save(t, "x.csv" | "x.json" | "x.npy" | "x.npz")` writes it.
final class TraceObject: TabledScriptObject {
    let trace: Trace
    init(_ trace: Trace) { self.trace = trace }

    var typeName: String { "trace" }

    /// Each column as a list, then ``fields``.
    var fieldTable: FieldTable<TraceObject> {
        FieldTable(trace.columns.indices.map { j in
            (name: trace.columns[j], get: { object in .list(object.trace.rows.map { .number($0[j]) }) })
        }) + Self.fields
    }

    /// The fields besides the columns (a column of the same name wins).
    static let fields = FieldTable<TraceObject>([
        "columns": { .list($0.trace.columns.map(Value.string)) },
        "count": { .number(Double($0.trace.count)) },
        "last": { object in object.trace.rows.last.map { record(object.trace.columns, $0) } ?? .nil },
        "column": { object in
            let trace = object.trace
            return .builtin(Builtin(name: "column", doc: "The column called name, as a list.",
                                    parameters: [Parameter("name")]) { args in
                let name = try args.string("name")
                guard let j = trace.columns.firstIndex(of: name) else {
                    throw ScriptError("the trace has no column '\(name)'",
                                      hint: "columns: \(trace.columns.joined(separator: ", "))")
                }
                return .list(trace.rows.map { .number($0[j]) })
            })
        },
        "row": { object in
            let trace = object.trace
            return .builtin(Builtin(name: "row", doc: "Row i (0-based; negative counts from the end) as a record.",
                                    parameters: [Parameter("i")]) { args in
                let index = try tableRow(args.integer("i"), of: trace.count, "trace")
                return TraceObject.record(trace.columns, trace.rows[index])
            })
        },
        "select": { object in
            let trace = object.trace
            return .builtin(Builtin(name: "select", doc: "A trace with only the named columns, in the order given.",
                                    parameters: [Parameter("names")]) { args in
                let names = try args.list("names").items.map { value -> String in
                    guard case .string(let s) = value else { throw ScriptError("select takes a list of column names") }
                    return s
                }
                var indices: [Int] = []
                for name in names {
                    guard let j = trace.columns.firstIndex(of: name) else {
                        throw ScriptError("the trace has no column '\(name)'",
                                          hint: "columns: \(trace.columns.joined(separator: ", "))")
                    }
                    indices.append(j)
                }
                let rows = trace.rows.map { row in indices.map { row[$0] } }
                return .object(TraceObject(try Trace(columns: names, rows: rows)))
            })
        },
        "filter": { object in
            let trace = object.trace
            return .builtin(Builtin(name: "filter", doc: "A trace with the rows for which predicate(row) is true.",
                                    parameters: [Parameter("predicate")]) { args in
                try args.requireCallable(args["predicate"], with: 1, role: "the filter predicate", passed: "a row r",
                                         hint: "trace.filter(fn(r) => r.step >= 100) keeps the rows for which it is true")
                var kept: [[Double]] = []
                for row in trace.rows {
                    let verdict = try args.call(args["predicate"], [TraceObject.record(trace.columns, row)])
                    guard case .bool(let keep) = verdict else {
                        throw ScriptError("the filter predicate must return true or false, not \(verdict.typeName)")
                    }
                    if keep { kept.append(row) }
                }
                return .object(TraceObject(try Trace(columns: trace.columns, rows: kept)))
            })
        },
    ])

    /// A row as a record `{step: …, loss: …, …}`.
    static func record(_ columns: [String], _ row: [Double]) -> Value {
        .record(ScriptRecord(names: columns, values: row.map(Value.number)))
    }

    func describe() -> String {
        "trace(\(counted(trace.count, "row")): \(trace.columns.joined(separator: ", ")))"
    }
}

/// `table(columns, rows)`: a trace-like table built by a script (e.g. to save a figure's data).
enum TableBuiltin {
    static let builtin = Builtin(name: "table", doc: "table(columns, rows): a table of numbers (saved and read like a trace) from column names and rows of numbers. table(records): the table of a list of records, one row each (type \"table\", as sweep returns, with summarize): what load gives back from a table saved as .json, so a saved sweep is summarised in another script.",
                                 parameters: [Parameter("columns", doc: "the column names, or a list of records"),
                                              Parameter("rows", default: .nil, doc: "the rows: lists of numbers, one per column")],
        example: """
            let t = table(["step", "loss"], [[0, 1.0], [10, 0.5]])
            print(t.loss, t.count)  # expect: [1, 0.5] 2
            let s = table([{alpha: 0.1, loss: 2}, {alpha: 0.1, loss: 4}, {alpha: 0.2, loss: 1}])
            print(s.summarize("alpha", "loss").loss_mean)  # expect: [3, 1]
            """) { args in
        if case .nil = args["rows"] {
            guard case .list(let items) = args["columns"] else {
                throw ScriptError("table takes column names and rows, or a list of records, not \(withArticle(args["columns"].typeName))",
                                  hint: "table([\"step\", \"loss\"], [[0, 1.0], [10, 0.5]]) or table([{alpha: 0.1, loss: 2}, …])")
            }
            return .object(try TableFromRecords.table(items.items))
        }
        let columns = try args.list("columns").items.map { item -> String in
            guard case .string(let s) = item else { throw ScriptError("table columns must be strings") }
            return s
        }
        // Columns are read by name (t.loss, CSV and JSON files), so each name must be its own.
        if let (first, again) = CSV.repeatedName(in: columns) {
            throw ScriptError("column \(again) repeats the name '\(columns[again])' of column \(first)", hint: "give each column a name of its own")
        }
        let rows = try args.list("rows").items.enumerated().map { (i, item) -> [Double] in
            let row = try SensingLibrary.numbers(item, "row \(i)")
            guard row.count == columns.count else {
                throw ScriptError("row \(i) has \(counted(row.count, "value")) but the table has \(counted(columns.count, "column"))")
            }
            return row
        }
        return .object(TraceObject(try Trace(columns: columns, rows: rows)))
    }
}
