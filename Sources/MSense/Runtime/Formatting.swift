import Tensor

/// How values are shown by `print`, `str` and string interpolation.
///
/// Numbers: integral values with |x| < 10¹⁶ print as integers (`3`, `-2`, `100000`); others
/// use the shortest text that reads back to the same `Double` (`0.1`, `1e-06`, `inf`, `nan`).
/// Strings print raw at top level and quoted inside lists and records. Matrices print as
/// literals (`[1, 2; 3, 4]`). Nesting deeper than `maxDepth` or cycles print as `[…]`/`{…}`.
enum Formatting {
    static let maxDepth = 100

    /// The text of a number as msense prints it.
    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e16 {
            return String(Int64(x))
        }
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }

    /// The text `print` shows for `value` (strings unquoted).
    static func display(_ value: Value) -> String {
        if case .string(let s) = value { return s }
        var seen = Set<ObjectIdentifier>()
        return repr(value, depth: 0, seen: &seen)
    }

    /// The text of `value` inside a container (strings quoted and escaped).
    static func repr(_ value: Value) -> String {
        var seen = Set<ObjectIdentifier>()
        return repr(value, depth: 0, seen: &seen)
    }

    private static func repr(_ value: Value, depth: Int, seen: inout Set<ObjectIdentifier>) -> String {
        switch value {
        case .nil: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .number(let x): return number(x)
        case .string(let s): return quoted(s)
        case .range(let lower, let upper): return "\(lower)..\(upper)"
        case .matrix(let m): return matrix(m)
        case .function(let f): return "<fn \(f.name)>"
        case .builtin(let b): return "<builtin \(b.name)>"
        case .object(let o): return o.describe()
        case .list(let list):
            let id = ObjectIdentifier(list)
            if depth >= maxDepth || seen.contains(id) { return "[…]" }
            seen.insert(id)
            defer { seen.remove(id) }
            var parts: [String] = []
            for item in list.items { parts.append(repr(item, depth: depth + 1, seen: &seen)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .record(let record):
            let id = ObjectIdentifier(record)
            if depth >= maxDepth || seen.contains(id) { return "{…}" }
            seen.insert(id)
            defer { seen.remove(id) }
            var parts: [String] = []
            for (name, item) in zip(record.names, record.values) {
                parts.append("\(name): " + repr(item, depth: depth + 1, seen: &seen))
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }

    /// A matrix as a literal: `[1, 2; 3, 4]`; a single row keeps a trailing `;`, empty is `[;]`.
    static func matrix(_ m: Matrix) -> String {
        if m.rows == 0 || m.cols == 0 { return "zeros(\(m.rows), \(m.cols))" }
        var rows: [String] = []
        for i in 0..<m.rows {
            rows.append((0..<m.cols).map { number(m.elements[i * m.cols + $0]) }.joined(separator: ", "))
        }
        return "[" + rows.joined(separator: "; ") + (m.rows == 1 ? ";]" : "]")
    }

    /// A string in double quotes with `\n \t \" \\` escaped.
    static func quoted(_ s: String) -> String {
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
