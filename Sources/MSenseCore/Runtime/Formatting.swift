import Tensor

/// How values are shown by `print`, `str` and string interpolation.
///
/// Numbers: integral values with |x| < 10¹⁶ print as integers (`3`, `-2`, `100000`); others
/// use the shortest text that reads back to the same `Double` (`0.1`, `1e-06`, `inf`, `nan`).
/// Strings print raw at top level and quoted inside lists and records. Matrices print as
/// literals (`[1, 2; 3, 4]`). Nesting deeper than `maxDepth` or cycles print as `[…]`/`{…}`.
package enum Formatting {
    package static let maxDepth = 100

    /// The text of a number as msense prints it.
    package static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e16 {
            return String(Int64(x))
        }
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }

    /// The text `print` shows for `value` (strings unquoted).
    package static func display(_ value: Value) -> String {
        display(value, limit: .max) ?? ""
    }

    /// The text `print` shows for `value`, or nil when it would be longer than `limit` bytes of
    /// UTF-8. Building stops as soon as the text passes `limit`, so a large matrix is refused
    /// after `limit` bytes instead of first being written out in full.
    package static func display(_ value: Value, limit: Int) -> String? {
        if case .string(let s) = value { return s.utf8.count <= limit ? s : nil }
        return repr(value, limit: limit)
    }

    /// The text `print` shows for `value`, for a string the script keeps (`str`, interpolation,
    /// `join`): at most ``LengthLimits/maxStringBytes`` bytes, else an error.
    package static func displayString(_ value: Value) throws -> String {
        guard let text = display(value, limit: LengthLimits.maxStringBytes) else {
            throw ScriptError(LengthLimits.textProblem(of: value.typeName))
        }
        return text
    }

    /// The text of `value` inside a container (strings quoted and escaped).
    package static func repr(_ value: Value) -> String {
        repr(value, limit: .max) ?? ""
    }

    /// Thrown inside `write` when the text passes its limit, to stop building it.
    private struct TooLong: Error {}

    private static func repr(_ value: Value, limit: Int) -> String? {
        var out = ""
        var seen = Set<ObjectIdentifier>()
        do { try write(value, to: &out, limit: limit, depth: 0, seen: &seen) } catch { return nil }
        return out
    }

    /// Appends the text of `value` to `out`; throws `TooLong` once `out` holds more than `limit`
    /// bytes (checked after every item, so at most one item's text past the limit is built).
    private static func write(_ value: Value, to out: inout String, limit: Int, depth: Int,
                              seen: inout Set<ObjectIdentifier>) throws(TooLong) {
        switch value {
        case .nil: out += "nil"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): out += number(x)
        case .string(let s): out += quoted(s)
        case .range(let lower, let upper): out += "\(lower)..\(upper)"
        case .matrix(let m): try write(m, to: &out, limit: limit)
        case .function(let f): out += "<fn \(f.name)>"
        case .builtin(let b): out += "<builtin \(b.name)>"
        case .object(let o): out += o.describe()
        case .list(let list):
            let id = ObjectIdentifier(list)
            if depth >= maxDepth || seen.contains(id) { out += "[…]"; break }
            seen.insert(id)
            defer { seen.remove(id) }
            out += "["
            for (k, item) in list.items.enumerated() {
                if k > 0 { out += ", " }
                try write(item, to: &out, limit: limit, depth: depth + 1, seen: &seen)
            }
            out += "]"
        case .record(let record):
            let id = ObjectIdentifier(record)
            if depth >= maxDepth || seen.contains(id) { out += "{…}"; break }
            seen.insert(id)
            defer { seen.remove(id) }
            out += "{"
            for (k, (name, item)) in zip(record.names, record.values).enumerated() {
                if k > 0 { out += ", " }
                out += name + ": "
                try write(item, to: &out, limit: limit, depth: depth + 1, seen: &seen)
            }
            out += "}"
        }
        if out.utf8.count > limit { throw TooLong() }
    }

    /// A matrix as a literal: `[1, 2; 3, 4]`; a single row keeps a trailing `;`, an empty one
    /// reads `zeros(r, c)`.
    package static func matrix(_ m: Matrix) -> String {
        var out = ""
        do { try write(m, to: &out, limit: .max) } catch { return "" }
        return out
    }

    private static func write(_ m: Matrix, to out: inout String, limit: Int) throws(TooLong) {
        if m.rows == 0 || m.cols == 0 { out += "zeros(\(m.rows), \(m.cols))"; return }
        out += "["
        for i in 0..<m.rows {
            if i > 0 { out += "; " }
            for j in 0..<m.cols {
                if j > 0 { out += ", " }
                out += number(m.elements[i * m.cols + j])
                if out.utf8.count > limit { throw TooLong() }
            }
        }
        out += m.rows == 1 ? ";]" : "]"
    }

    /// A string in double quotes with `\n \t \" \\` escaped.
    package static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
