import Tensor

/// How values are shown by `print`, `str` and string interpolation.
///
/// Numbers: integral values with |x| < 10¹⁶ print as integers (`3`, `-2`, `100000`, and `0` for
/// `-0.0`); others use the shortest text that reads back to the same `Double` (`0.1`, `1e-06`,
/// `1e+16`, `inf`, `nan`), as `NumberText.display` writes them.
/// Strings print raw at top level and quoted inside lists and records. Matrices print as
/// literals (`[1, 2; 3, 4]`). Nesting deeper than `maxDepth` or cycles print as `[…]`/`{…}`.
package enum Formatting {
    package static let maxDepth = 100

    /// The text of a number as msense prints it (`NumberText.display`).
    package static func number(_ x: Double) -> String { NumberText.display(x) }

    /// The text `print` shows for `value` (strings unquoted), cut after
    /// `LengthLimits/maxStringBytes` bytes with `…` (for messages and host displays).
    package static func display(_ value: Value) -> String {
        if case .string(let s) = value, s.utf8.count <= LengthLimits.maxStringBytes { return s }
        switch build(value, limit: LengthLimits.maxStringBytes) {
        case .success(let text): return text
        case .failure(let cut): return cut.partial + "…"
        }
    }

    /// The text `print` shows for `value`, or nil when it would be longer than `limit` bytes of
    /// UTF-8 (or not fit in memory). Building stops as soon as the text passes `limit`, so a
    /// large matrix is refused after `limit` bytes instead of first being written out in full.
    package static func display(_ value: Value, limit: Int) -> String? {
        if case .string(let s) = value { return s.utf8.count <= limit ? s : nil }
        return repr(value, limit: limit)
    }

    /// The text `print` shows for `value`, for a string the script keeps or writes (`print`,
    /// `str`, interpolation, `join`): at most `LengthLimits/maxStringBytes` bytes that fit in
    /// memory, else an error saying which.
    package static func displayString(_ value: Value) throws -> String {
        if case .string(let s) = value { return s }
        switch build(value, limit: LengthLimits.maxStringBytes) {
        case .success(let text): return text
        case .failure(let cut): throw ScriptError(cut.memory ?? LengthLimits.textProblem(of: value.typeName))
        }
    }

    /// The text of `value` inside a container (strings quoted and escaped), cut as `display` cuts.
    package static func repr(_ value: Value) -> String {
        switch build(value, limit: LengthLimits.maxStringBytes) {
        case .success(let text): return text
        case .failure(let cut): return cut.partial + "…"
        }
    }

    /// Thrown inside `write` when the text passes its limit or the memory check, to stop
    /// building it; carries what was built (at most one item past the limit).
    private struct TooLong: Error {
        var partial = ""
        /// Why memory refused the text (nil: it passed the byte limit).
        var memory: String?
    }

    private static func repr(_ value: Value, limit: Int) -> String? {
        try? build(value, limit: limit).get()
    }

    private static func build(_ value: Value, limit: Int) -> Result<String, TooLong> {
        var out = ""
        var seen = Set<ObjectIdentifier>()
        var nextCheck = AvailableMemory.uncheckedBytes
        do { try write(value, to: &out, limit: limit, depth: 0, seen: &seen, nextCheck: &nextCheck) } catch {
            var cut = error
            cut.partial = String(out.utf8.prefix(limit)) ?? ""
            return .failure(cut)
        }
        return .success(out)
    }

    /// Throws once `out` is too long or does not fit in memory (`LengthLimits/textGrowthProblem(bytes:limit:nextCheck:)`).
    private static func check(_ out: String, limit: Int, nextCheck: inout Int) throws(TooLong) {
        switch LengthLimits.textGrowthProblem(bytes: out.utf8.count, limit: limit, nextCheck: &nextCheck) {
        case nil: return
        case .tooLong: throw TooLong()
        case .memory(let problem): throw TooLong(memory: problem)
        }
    }

    /// Appends the text of `value` to `out`; throws `TooLong` once `out` holds more than `limit`
    /// bytes (checked after every item, so at most one item's text past the limit is built).
    private static func write(_ value: Value, to out: inout String, limit: Int, depth: Int,
                              seen: inout Set<ObjectIdentifier>, nextCheck: inout Int) throws(TooLong) {
        switch value {
        case .nil: out += "nil"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): out += number(x)
        case .string(let s): out += quoted(s)
        case .range(let lower, let upper): out += "\(lower)..\(upper)"
        case .matrix(let m): try write(m, to: &out, limit: limit, nextCheck: &nextCheck)
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
                try write(item, to: &out, limit: limit, depth: depth + 1, seen: &seen, nextCheck: &nextCheck)
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
                try write(item, to: &out, limit: limit, depth: depth + 1, seen: &seen, nextCheck: &nextCheck)
            }
            out += "}"
        }
        try check(out, limit: limit, nextCheck: &nextCheck)
    }

    /// A matrix as a literal: `[1, 2; 3, 4]`; a single row keeps a trailing `;`, an empty one
    /// reads `zeros(r, c)`.
    package static func matrix(_ m: Matrix) -> String {
        var out = ""
        var nextCheck = Int.max
        do { try write(m, to: &out, limit: .max, nextCheck: &nextCheck) } catch { return "" }
        return out
    }

    private static func write(_ m: Matrix, to out: inout String, limit: Int, nextCheck: inout Int) throws(TooLong) {
        if m.rows == 0 || m.cols == 0 { out += "zeros(\(m.rows), \(m.cols))"; return }
        out += "["
        for i in 0..<m.rows {
            if i > 0 { out += "; " }
            for j in 0..<m.cols {
                if j > 0 { out += ", " }
                out += number(m.elements[i * m.cols + j])
                try check(out, limit: limit, nextCheck: &nextCheck)
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
