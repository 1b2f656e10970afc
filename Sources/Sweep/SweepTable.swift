import Foundation
import Tensor

/// The results of a sweep as one table: a row per point, in index order.
///
/// **Columns**, left to right: the grid's axes in the order written, `seed_index`, `seed`, then
/// every field name the points returned, in the order first seen when reading the points in
/// index order; then `status` (`ok`/`failed`) and `error` (the failure message), only when at
/// least one point failed. A point that did not return a field has an empty cell there.
///
/// Wall-clock times are not columns: the table depends only on what the points computed, so it
/// is identical however many workers ran them (the point files keep `elapsed_seconds`).
public struct SweepTable: Sendable, Hashable {
    /// The column names (see the type's documentation for their order).
    public let columns: [String]
    /// One row per point, aligned with ``columns``, in increasing point index.
    public let rows: [[TableCell]]
    /// The point index of each row.
    public let indices: [Int]
    /// The indices of the points that failed, increasing.
    public private(set) var failedIndices: [Int]
    /// Why each of ``failedIndices`` failed, in the same order.
    public private(set) var failures: [PointFailure]

    /// A table derived from another (a summary): `rows` must each have `columns.count` cells.
    /// Its rows are numbered 0, 1, … in ``indices`` and none is failed.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` when a row's length differs from the header's.
    public init(columns: [String], rows: [[TableCell]]) throws(SweepError) {
        for (r, row) in rows.enumerated() where row.count != columns.count {
            throw .invalidArgument("row \(r) has \(counted(row.count, "cell")) but the table has \(counted(columns.count, "column"))")
        }
        self.columns = columns
        self.rows = rows
        self.indices = Array(rows.indices)
        self.failedIndices = []
        self.failures = []
    }

    /// A table read back from the rows it was written as (``jsonText()``): rows numbered 0, 1, …
    /// in ``indices``; a row whose `status` cell is `failed` is a failed point, its `error` cell
    /// the failure.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` when a row's length differs from the header's.
    public init(readBack columns: [String], rows: [[TableCell]]) throws(SweepError) {
        try self.init(columns: columns, rows: rows)
        guard let status = columns.firstIndex(of: "status") else { return }
        let error = columns.firstIndex(of: "error")
        let failed = rows.indices.filter { rows[$0][status] == .string("failed") }
        self.failedIndices = failed
        self.failures = failed.map { r in
            if let error, case let .string(cause) = rows[r][error] { return PointFailure(cause) }
            return PointFailure("failed")
        }
    }

    /// The table of `results` (any order; a repeated index keeps its first result).
    ///
    /// A point that returned a field named like a column the sweep already has (an axis,
    /// `seed_index`, `seed`, `status`, `error`) or an empty name is shown as failed with a
    /// message saying so, rather than silently overwriting that column.
    public init(grid: Grid, results: [PointResult]) {
        let coordinates = grid.coordinateNames
        let taken = Set(coordinates).union(Grid.reservedNames)
        var seen = Set<Int>()
        var ordered: [PointResult] = []
        for result in results.sorted(by: { $0.index < $1.index }) where seen.insert(result.index).inserted {
            ordered.append(Self.checked(result, taken: taken))
        }

        var fieldNames: [String] = []
        var known = Set<String>()
        for result in ordered {
            guard case let .ok(fields) = result.outcome else { continue }
            for name in fields.names where known.insert(name).inserted { fieldNames.append(name) }
        }
        let failed = ordered.filter(\.isFailure).map(\.index)
        let failures = ordered.compactMap { result -> PointFailure? in
            if case let .failed(failure) = result.outcome { return failure }
            return nil
        }

        var rows: [[TableCell]] = []
        rows.reserveCapacity(ordered.count)
        for result in ordered {
            var row = coordinates.map { name in
                TableCell(result.values.first(where: { $0.name == name })?.value)
            }
            row.append(.integer(result.seed))
            switch result.outcome {
            case let .ok(fields):
                row += fieldNames.map { TableCell(fields[$0]) }
                if !failed.isEmpty { row += [.string("ok"), .empty] }
            case let .failed(failure):
                row += fieldNames.map { _ in TableCell.empty }
                row += [.string("failed"), .string(failure.description)]
            }
            rows.append(row)
        }
        self.columns = coordinates + ["seed"] + fieldNames + (failed.isEmpty ? [] : ["status", "error"])
        self.rows = rows
        self.indices = ordered.map(\.index)
        self.failedIndices = failed
        self.failures = failures
    }

    /// `result`, or a failure explaining which returned field name clashes with a column.
    private static func checked(_ result: PointResult, taken: Set<String>) -> PointResult {
        guard case let .ok(fields) = result.outcome else { return result }
        for name in fields.names where name.isEmpty || taken.contains(name) {
            let message = name.isEmpty
                ? "the point returned a field with an empty name; give every field a name"
                : "the point returned a field named '\(name)', which is already a column of the sweep; rename the field"
            return PointResult(
                index: result.index, values: result.values, seed: result.seed,
                outcome: .failed(PointFailure(message)), elapsedSeconds: result.elapsedSeconds)
        }
        return result
    }

    /// The cells of the column `name`, one per row; nil when there is no such column.
    public func column(named name: String) -> [TableCell]? {
        guard let k = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[k] }
    }

    // MARK: CSV

    /// The table as CSV (RFC 4180 style, `\n` line ends): a header line, then a row per point.
    ///
    /// Numbers use `NumberText.compact`; seeds are decimal integers; a missing value is an empty
    /// field. A string is quoted (`"…"`, inner quotes doubled) when it contains a comma, a quote,
    /// a line break, leading or trailing spaces, or is empty (so `""` differs from a missing
    /// value).
    public func csvText() -> String {
        var lines = [columns.map(CSV.quoted).joined(separator: ",")]
        for row in rows {
            lines.append(row.map { cell in
                if case let .string(s) = cell { return CSV.quoted(s) }
                return cell.description
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes ``csvText()`` to `url` atomically (a temporary file, then a rename).
    public func writeCSV(to url: URL) throws(SweepError) {
        try writeAtomically(Data(csvText().utf8), to: url)
    }

    // MARK: JSON

    /// The table as a JSON array of records, one object per row, keys in column order.
    ///
    /// Numbers are JSON numbers (`NumberText.compact`, whose finite forms match JSON's grammar); non-finite numbers, which JSON cannot
    /// spell, are the strings `"nan"`, `"inf"`, `"-inf"`; seeds are integers; a missing value is
    /// `null`. Reads directly with `pandas.read_json(path)` or `jq`.
    public func jsonText() -> String {
        var out = "[\n"
        for (r, row) in rows.enumerated() {
            let members = zip(columns, row).map { name, cell -> String in
                let value: String = switch cell {
                case let .number(x): x.isFinite ? NumberText.compact(x) : jsonString(NumberText.compact(x))
                case let .integer(n): String(n)
                case let .string(s): jsonString(s)
                case .empty: "null"
                }
                return "\(jsonString(name)): \(value)"
            }
            out += "  {" + members.joined(separator: ", ") + "}" + (r + 1 < rows.count ? ",\n" : "\n")
        }
        return out + "]\n"
    }

    /// Writes ``jsonText()`` to `url` atomically.
    public func writeJSON(to url: URL) throws(SweepError) {
        try writeAtomically(Data(jsonText().utf8), to: url)
    }
}
