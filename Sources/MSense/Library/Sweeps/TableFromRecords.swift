import MSenseCore
import Sweep

/// `table(records)`: the table (`type(t) == "table"`, as `sweep` returns) of a list of records,
/// one row each: what `load` gives back from a table saved as .json, or a table's `t.rows`. So a
/// sweep saved in one script is summarised in another: `table(load("points.json")).summarize(…)`.
///
/// The columns are the records' field names in the order first seen; a record without a field
/// has an empty cell (`nil`) there. A cell is a number, text or `nil`; in a column that holds
/// numbers, the texts `"nan"`, `"inf"` and `"-inf"`, which the table's JSON writes for the
/// numbers JSON cannot spell, are those numbers. The `seed` column holds 64-bit seeds (decimal
/// text, or a whole number below 2⁶⁴); a row whose `status` is `"failed"` is a failed point
/// (`t.failed`).
enum TableFromRecords {
    static func table(_ items: [Value]) throws -> SweepTableObject {
        var columns: [String] = []
        var position: [String: Int] = [:]
        var records: [ScriptRecord] = []
        records.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .record(let record) = item else {
                throw ScriptError("item \(i) of the list is \(withArticle(item.typeName)); table(records) takes a list of records, one per row",
                                  hint: "table(columns, rows) makes a table of numbers from column names and rows of numbers")
            }
            for name in record.names where position[name] == nil {
                position[name] = columns.count
                columns.append(name)
            }
            records.append(record)
        }
        var rows = try records.enumerated().map { (i, record) -> [TableCell] in
            var row = [TableCell](repeating: .empty, count: columns.count)
            // Every name has its column: the loop above gave each one a position.
            for (name, value) in zip(record.names, record.values) {
                guard let k = position[name] else { continue }
                row[k] = try cell(value, name, row: i)
            }
            return row
        }
        // The texts of non-finite numbers are numbers in a column of numbers, text elsewhere.
        for k in columns.indices where rows.contains(where: { if case .number = $0[k] { true } else { false } }) {
            for r in rows.indices {
                if case .string(let text) = rows[r][k], let x = nonFinite[text] { rows[r][k] = .number(x) }
            }
        }
        do {
            return SweepTableObject(try SweepTable(readBack: columns, rows: rows))
        } catch {
            throw ScriptError(error.description)
        }
    }

    /// The texts a table's JSON writes for the numbers JSON cannot spell.
    private static let nonFinite: [String: Double] = ["nan": .nan, "inf": .infinity, "-inf": -.infinity]

    /// The cell of `value` in column `name`; a seed stays an exact 64-bit integer (a whole
    /// number below 2⁶⁴ is one: `load` gives a JSON integer as a number only when it is exact).
    private static func cell(_ value: Value, _ name: String, row: Int) throws -> TableCell {
        switch value {
        case .nil: return .empty
        case .number(let x):
            if name == "seed", x >= 0, x < 0x1p64, x == x.rounded() { return .integer(UInt64(x)) }
            return .number(x)
        case .string(let text):
            if name == "seed", let seed = UInt64(text), String(seed) == text { return .integer(seed) }
            return .string(text)
        default:
            throw ScriptError("row \(row)'s field '\(name)' is \(withArticle(value.typeName)); a table cell holds a number, text or nil",
                              hint: "keep numbers and text in a table, e.g. the run's loss rather than the run")
        }
    }
}
