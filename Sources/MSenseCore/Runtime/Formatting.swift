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
    /// `LengthLimits/maxStringBytes` bytes with `…` (for messages and host displays), or where
    /// the run's budget refused the work.
    package static func display(_ value: Value) -> String {
        if case .string(let s) = value, s.utf8.count <= LengthLimits.maxStringBytes { return s }
        switch build(value, limit: LengthLimits.maxStringBytes) {
        case .success(let text): return text
        case .failure(let cut): return cut.partial + "…"
        }
    }

    /// The text `print` shows for `value`, or nil when it would be longer than `limit` bytes of
    /// UTF-8 (or not fit in memory, or the run's budget refused the work). Building stops as soon
    /// as the text passes `limit`, so a large matrix is refused after `limit` bytes instead of
    /// first being written out in full.
    package static func display(_ value: Value, limit: Int) -> String? {
        if case .string(let s) = value { return s.utf8.count <= limit ? s : nil }
        return repr(value, limit: limit)
    }

    /// The text `print` shows for `value`, for a string the script keeps or writes (`print`,
    /// `str`, interpolation, `join`): at most `LengthLimits/maxStringBytes` bytes that fit in
    /// memory, else an error saying which (a ``ScriptError``), or the run's budget's refusal
    /// of the work (a `TensorError`).
    package static func displayString(_ value: Value) throws -> String {
        if case .string(let s) = value { return s }
        switch build(value, limit: LengthLimits.maxStringBytes) {
        case .success(let text): return text
        case .failure(let cut):
            if let refusal = cut.refusal { throw refusal }
            throw ScriptError(cut.memory ?? LengthLimits.textProblem(of: value.typeName))
        }
    }

    /// The bytes of `texts` (each the ``displayString(_:)`` of the value beside it) that
    /// formatting did not charge: a string's own bytes, copied as they are. Every other value's
    /// text was charged, one operation per byte, as it was written.
    package static func copiedBytes(_ values: [Value], _ texts: [String]) -> Int {
        zip(values, texts).reduce(0) { sum, pair in
            if case .string = pair.0 { return sum + pair.1.utf8.count }
            return sum
        }
    }

    /// The text of `value` inside a container (strings quoted and escaped), cut as `display` cuts.
    package static func repr(_ value: Value) -> String {
        switch build(value, limit: LengthLimits.maxStringBytes) {
        case .success(let text): return text
        case .failure(let cut): return cut.partial + "…"
        }
    }

    /// Thrown inside `write` when the text passes its limit, the memory check or the run's
    /// budget, to stop building it; carries what was built (at most one item past the limit).
    private struct TooLong: Error {
        var partial = ""
        /// Why memory refused the text (nil: it passed the byte limit, or the budget refused).
        var memory: String?
        /// The budget's refusal of the work (a step limit, or a cancel).
        var refusal: TensorError?
    }

    private static func repr(_ value: Value, limit: Int) -> String? {
        try? build(value, limit: limit).get()
    }

    private static func build(_ value: Value, limit: Int) -> Result<String, TooLong> {
        var text = Text(limit: limit)
        do {
            try text.write(value, depth: 0)
            try text.settle()
        } catch {
            var cut = error
            cut.partial = String(text.out.utf8.prefix(limit)) ?? ""
            return .failure(cut)
        }
        return .success(text.out)
    }

    /// Text being built, with what bounds it: its byte limit, the memory check as it doubles
    /// (`LengthLimits/textGrowthProblem(bytes:limit:nextCheck:)`), and its work, charged to the
    /// run's budget: one operation per item of a list or record and element of a matrix (counted
    /// before they are written) and per byte of text written, in bulk (`WorkTally`).
    private struct Text {
        var out = ""
        let limit: Int
        var seen = Set<ObjectIdentifier>()
        var nextCheck = AvailableMemory.uncheckedBytes
        var tally = WorkTally { "formatting a value as text" }
        /// The bytes of `out` already counted in `tally`.
        var counted = 0

        init(limit: Int) { self.limit = limit }

        /// Counts `operations` about to be done.
        mutating func charge(_ operations: Int) throws(TooLong) {
            do { try tally.add(operations) } catch { throw TooLong(refusal: error) }
        }

        /// Charges what the tally holds back, at the end.
        mutating func settle() throws(TooLong) {
            do { try tally.settle() } catch { throw TooLong(refusal: error) }
        }

        /// Counts the bytes written since the last check, and throws once `out` is too long or
        /// does not fit in memory.
        mutating func check() throws(TooLong) {
            let count = out.utf8.count
            try charge(count - counted)
            counted = count
            switch LengthLimits.textGrowthProblem(bytes: count, limit: limit, nextCheck: &nextCheck) {
            case nil: return
            case .tooLong: throw TooLong()
            case .memory(let problem): throw TooLong(memory: problem)
            }
        }

        /// Appends the text of `value` to `out`; throws `TooLong` once `out` holds more than
        /// `limit` bytes (checked after every item, so at most one item's text past the limit is
        /// built) or the budget refuses the work.
        mutating func write(_ value: Value, depth: Int) throws(TooLong) {
            switch value {
            case .nil: out += "nil"
            case .bool(let b): out += b ? "true" : "false"
            case .number(let x): out += number(x)
            case .string(let s): out += quoted(s)
            case .range(let lower, let upper): out += "\(lower)..\(upper)"
            case .matrix(let m): try write(m)
            case .function(let f): out += "<fn \(f.name)>"
            case .builtin(let b): out += "<builtin \(b.name)>"
            case .object(let o): out += o.describe()
            case .list(let list):
                let id = ObjectIdentifier(list)
                if depth >= maxDepth || seen.contains(id) { out += "[…]"; break }
                try charge(list.items.count)
                seen.insert(id)
                defer { seen.remove(id) }
                out += "["
                for (k, item) in list.items.enumerated() {
                    if k > 0 { out += ", " }
                    try write(item, depth: depth + 1)
                }
                out += "]"
            case .record(let record):
                let id = ObjectIdentifier(record)
                if depth >= maxDepth || seen.contains(id) { out += "{…}"; break }
                try charge(record.names.count)
                seen.insert(id)
                defer { seen.remove(id) }
                out += "{"
                for (k, (name, item)) in zip(record.names, record.values).enumerated() {
                    if k > 0 { out += ", " }
                    out += name + ": "
                    try write(item, depth: depth + 1)
                }
                out += "}"
            }
            try check()
        }

        /// A matrix as a literal: `[1, 2; 3, 4]`; a single row keeps a trailing `;`, an empty
        /// one reads `zeros(r, c)`.
        mutating func write(_ m: Matrix) throws(TooLong) {
            if m.rows == 0 || m.cols == 0 { out += "zeros(\(m.rows), \(m.cols))"; return }
            try charge(m.count)
            out += "["
            for i in 0..<m.rows {
                if i > 0 { out += "; " }
                for j in 0..<m.cols {
                    if j > 0 { out += ", " }
                    out += number(m.elements[i * m.cols + j])
                    try check()
                }
            }
            out += m.rows == 1 ? ";]" : "]"
        }
    }

    /// A matrix as a literal: `[1, 2; 3, 4]`; a single row keeps a trailing `;`, an empty one
    /// reads `zeros(r, c)`. Not bounded in length; its work is charged as `str`'s is (empty
    /// text when the budget refuses it).
    package static func matrix(_ m: Matrix) -> String {
        var text = Text(limit: .max)
        text.nextCheck = Int.max
        do {
            try text.write(m)
            try text.settle()
        } catch { return "" }
        return text.out
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
