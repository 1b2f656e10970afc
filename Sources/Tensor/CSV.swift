import Foundation

/// A numeric table with named columns: what msense writes as traces and reads back.
public struct CSVTable: Sendable, Equatable {
    /// Column names, in order.
    public let header: [String]
    /// Rows of values, each with one value per column.
    public let rows: [[Double]]

    /// A table; every row must have `header.count` values.
    public init(header: [String], rows: [[Double]]) throws(TensorError) {
        for (i, row) in rows.enumerated() where row.count != header.count {
            throw .invalidShape("row \(i + 1) has \(counted(row.count, "value")) but the table has \(counted(header.count, "column"))")
        }
        self.header = header
        self.rows = rows
    }

    /// The values of the first column called `name`, top to bottom.
    public func column(named name: String) throws(TensorError) -> [Double] {
        guard let j = header.firstIndex(of: name) else {
            throw .invalidArgument("the table has no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return rows.map { $0[j] }
    }
}

/// Comma-separated text (RFC 4180) for ``CSVTable``: one header row, then one row per record.
///
/// Writing prints each number with ``NumberText/roundTrip(_:)`` (`0.1`, `1e-06`, `2.0`, `nan`,
/// `inf`, `-inf`), except in columns declared integral, where values are written
/// as integers (`3`, not `3.0`). Names are written by ``quoted(_:)``.
/// Reading accepts LF or CRLF line ends, quoted fields, surrounding spaces in numeric cells
/// and blank lines (skipped); every other deviation is an error naming the line and column.
public enum CSV {
    /// The CSV text of `table`; columns named in `integralColumns` must hold integers.
    public static func encode(_ table: CSVTable, integralColumns: Set<String> = []) throws(TensorError) -> String {
        let integral = table.header.map { integralColumns.contains($0) }
        var out = table.header.map(quoted).joined(separator: ",") + "\n"
        for (i, row) in table.rows.enumerated() {
            var cells: [String] = []
            for (j, v) in row.enumerated() {
                if integral[j] {
                    guard v.isFinite, v == v.rounded(), abs(v) < 0x1p63 else {
                        throw .invalidArgument("column '\(table.header[j])' is declared integral but row \(i + 1) holds \(v)")
                    }
                    cells.append(String(Int64(v)))
                } else {
                    cells.append(NumberText.roundTrip(v))
                }
            }
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Writes `table` to `url` atomically; see ``encode(_:integralColumns:)``.
    public static func write(_ table: CSVTable, to url: URL, integralColumns: Set<String> = []) throws(TensorError) {
        let text = try encode(table, integralColumns: integralColumns)
        do { try FileSystem.writeAtomically(Data(text.utf8), to: url) } catch {
            throw .file(path: url.path, problem: "cannot be written (\(error.reason))")
        }
    }

    /// Reads the numeric table in the CSV file at `url`.
    public static func read(from url: URL) throws(TensorError) -> CSVTable {
        let data: Data
        do { data = Data(try FileSystem.read(url.path)) } catch {
            throw .file(path: url.path, problem: "cannot be read (\(error.reason))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .file(path: url.path, problem: "is not UTF-8 text")
        }
        return try decode(text, path: url.path)
    }

    /// Parses CSV text whose first record is the header and whose other records are numbers;
    /// `path` names the source in error messages.
    public static func decode(_ text: String, path: String) throws(TensorError) -> CSVTable {
        // A byte-order mark (which Excel writes) is not part of the first column's name.
        let records = try splitRecords(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, path: path)
        guard let (_, header) = records.first else {
            throw .file(path: path, problem: "is empty: a CSV table needs a header row")
        }
        // Columns are found by name, so each name must be the only one of its kind.
        if let (first, again) = repeatedName(in: header) {
            throw .file(path: path, problem: "column \(again + 1) of the header repeats the name '\(header[again])' of column \(first + 1): each column needs a name of its own")
        }
        var rows: [[Double]] = []
        for (line, fields) in records.dropFirst() {
            guard fields.count == header.count else {
                throw .file(path: path, problem: "line \(line) has \(counted(fields.count, "cell")) but the header has \(header.count)")
            }
            var row: [Double] = []
            for (j, field) in fields.enumerated() {
                let cell = field.trimmingCharacters(in: .whitespaces)
                guard let v = Double(cell) else {
                    // Text in a cell is most often a column of names (a sweep over strings).
                    let advice = cell.isEmpty ? "" : "; a CSV file loads as a table of numbers (a table with text columns, such as a sweep over strings, keeps them in .json)"
                    throw .file(path: path, problem: "line \(line), column '\(header[j])': '\(cell)' is not a number" + advice)
                }
                row.append(v)
            }
            rows.append(row)
        }
        return try CSVTable(header: header, rows: rows)
    }

    /// The first column (0-based) whose name an earlier column has, with that earlier one; nil
    /// when every name is its own. Tables are read by column name, so a repeated name would
    /// leave a column unreachable.
    public static func repeatedName(in names: [String]) -> (first: Int, again: Int)? {
        var firstColumn: [String: Int] = [:]
        for (j, name) in names.enumerated() {
            if let first = firstColumn[name] { return (first, j) }
            firstColumn[name] = j
        }
        return nil
    }

    /// RFC 4180 records with the line number each starts on; blank lines are skipped.
    static func splitRecords(_ text: String, path: String) throws(TensorError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1
        var inQuotes = false, fieldWasQuoted = false
        var chars = Array(text.unicodeScalars)[...]
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) { records.append((recordLine, fields)) }
            fields = []
            field = ""
            fieldWasQuoted = false
        }
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty, !fieldWasQuoted else {
                    throw .file(path: path, problem: "line \(line) has a quote inside an unquoted cell")
                }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r", "\n":
                if c == "\r", chars.first == "\n" { chars.removeFirst() }
                endRecord()
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted {
                    throw .file(path: path, problem: "line \(line) has text after a closing quote")
                }
                field.unicodeScalars.append(c)
            }
        }
        guard !inQuotes else {
            throw .file(path: path, problem: "ends inside a quoted cell opened on line \(recordLine)")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    /// A text cell (a column name, or a string value): `text` as is, or quoted (RFC 4180, inner
    /// quotes doubled) when it holds a comma, quote or line break, starts or ends with a space
    /// (readers may trim those), or is empty (an unquoted empty header reads as a blank line, and
    /// `""` must differ from a missing value).
    public static func quoted(_ name: String) -> String {
        guard name.isEmpty || name.first == " " || name.last == " "
                || name.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        else { return name }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
