import Foundation
import Tensor

/// The table a run records: named columns, one row per recorded step.
///
/// Columns, in order (see `docs/sensing.md`):
/// `step, loss, rel_err, eig1…eigK, dist1…distR, grad_norm, eff_rank` and, for GLRL runs, `rank`.
/// `step` is an integer stored as a `Double`; CSV writes it as an integer.
public struct Trace: Sendable, Equatable {
    /// Column names, in order.
    public let columns: [String]
    /// The rows; every row has `columns.count` values.
    public private(set) var rows: [[Double]]

    /// An empty table with the given column names.
    public init(columns: [String]) {
        self.columns = columns
        self.rows = []
    }

    /// A table over existing rows; each must have `columns.count` values.
    public init(columns: [String], rows: [[Double]]) throws(SensingError) {
        for (i, row) in rows.enumerated() where row.count != columns.count {
            throw .shapeMismatch(
                "trace row \(i) has \(counted(row.count, "value")) but the trace has \(counted(columns.count, "column"))")
        }
        self.columns = columns
        self.rows = rows
    }

    /// Appends a row of `columns.count` values (refused otherwise, so every row stays as long as
    /// the header). When the row storage is full, the memory for as many rows again is checked
    /// first (``TraceBudget``).
    mutating func append(_ row: [Double]) throws(SensingError) {
        guard row.count == columns.count else {
            throw .shapeMismatch("a trace row has \(counted(row.count, "value")) but the trace has \(counted(columns.count, "column"))")
        }
        if rows.count == rows.capacity, rows.count > 0 {
            try TraceBudget.requireGrowth(rows: rows.count, columns: columns.count)
        }
        rows.append(row)
    }

    /// Number of recorded rows.
    public var count: Int { rows.count }

    /// The values of the column called `name`, top to bottom.
    public func column(_ name: String) throws(SensingError) -> [Double] {
        guard let j = columns.firstIndex(of: name) else {
            throw .invalidArgument(
                "the trace has no column '\(name)'; its columns are \(columns.joined(separator: ", "))")
        }
        return rows.map { $0[j] }
    }

    /// CSV text: a header line of column names (quoted as `CSV.quoted(_:)` says, so every name
    /// reads back), then one line per row. `step` (the first column, when it is called so) is
    /// written as an integer when it holds one (`NumberText.compact`); every other value with
    /// the shortest round-trip text (`NumberText.roundTrip`: `0.1`, `1e-06`, `2.0`, `inf`, `nan`).
    public var csv: String {
        var out = columns.map(CSV.quoted).joined(separator: ",") + "\n"
        let stepIsFirst = columns.first == TraceColumn.step.name
        for row in rows {
            var fields: [String] = []
            fields.reserveCapacity(row.count)
            for (j, v) in row.enumerated() {
                fields.append(j == 0 && stepIsFirst ? NumberText.compact(v) : NumberText.roundTrip(v))
            }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The JSON object of the trace, on one line: each column's name with its values top to
    /// bottom, in column order, `{"step": [0, 10], "loss": [0.5, 0.25], …}` (the columns the
    /// Python package gives). `step` is written as an integer when it holds one
    /// (`NumberText.compact`), every other value with the shortest round-trip text
    /// (`NumberText.roundTrip`); NaN and infinities, which JSON cannot hold, are written as `null`.
    /// The one JSON form of a trace, alone or inside a record, a list or a run.
    public var json: String {
        let stepIsFirst = columns.first == TraceColumn.step.name
        let members = columns.enumerated().map { j, name in
            let values = rows.map { row in
                let v = row[j]
                if !v.isFinite { return "null" }
                return j == 0 && stepIsFirst ? NumberText.compact(v) : NumberText.roundTrip(v)
            }
            return jsonString(name) + ": [" + values.joined(separator: ", ") + "]"
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// Writes ``csv`` to `path` atomically (temporary file, then rename).
    public func writeCSV(to path: String) throws(SensingError) {
        try writeAtomically(csv, to: path)
    }

    /// Writes ``json`` and a line break to `path` atomically (temporary file, then rename).
    public func writeJSON(to path: String) throws(SensingError) {
        try writeAtomically(json + "\n", to: path)
    }

    private func writeAtomically(_ text: String, to path: String) throws(SensingError) {
        do { try FileSystem.writeAtomically(Data(text.utf8), to: URL(fileURLWithPath: path)) } catch {
            throw .file(path: path, problem: "could not be written (\(error.reason))")
        }
    }
}
