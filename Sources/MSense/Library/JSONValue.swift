import MSenseCore
import Foundation
import Sensing
import Tensor

/// Script values as JSON text (``JSONReader`` reads it back).
///
/// Numbers are written in Swift's shortest round-trip form (integral values without `.0`).
/// Matrices become lists of rows; a trace, wherever it sits, the object of its columns
/// (`Trace.json`: `{"step": […], "loss": […], …}`); any other host object (a run, a model, a
/// problem, …) a JSON object of its plain data (``HostObjectJSON``: a run's stop reason, steps,
/// final loss, factors and trace). NaN and infinities have no JSON form: in a plain value they
/// are refused; in a trace or inside a host object they are written as `null`, so a run that
/// diverged still saves.
enum JSONValue {
    /// JSON text for `value` (objects on one line, keys in field order).
    /// The text is bounded (`LengthLimits/maxFileTextBytes`, and the memory it takes), so a
    /// list holding itself many times over (`a = [a, a]` forty times) is refused, not written out.
    /// Its work is charged to the run's budget (``Progress``), so a step limit bounds it.
    static func encode(_ value: Value) throws -> String {
        var out = ""
        var progress = Progress()
        try write(value, into: &out, depth: 0, progress: &progress, finiteOnly: true)
        try progress.finish(out)
        return out
    }

    /// What bounds the text as it is written: its length and memory, checked as it doubles
    /// (`LengthLimits/textGrowthProblem(bytes:limit:nextCheck:)`), and its work, charged to the
    /// run's budget in bulk (`WorkTally`): one operation per item of a list or record and
    /// element of a matrix, counted before they are written, and per byte of text written.
    private struct Progress {
        var nextCheck = AvailableMemory.uncheckedBytes
        var tally = WorkTally { "writing a value as JSON" }
        /// The bytes of the text already counted in `tally`.
        var counted = 0

        /// Counts the bytes written since the last check; throws once the text is too long or
        /// does not fit in memory, or the budget refuses the work.
        mutating func check(_ out: String) throws {
            let count = out.utf8.count
            try tally.add(count - counted)
            counted = count
            switch LengthLimits.textGrowthProblem(bytes: count, limit: LengthLimits.maxFileTextBytes, nextCheck: &nextCheck) {
            case nil: break
            case .tooLong: throw ScriptError("the JSON text would be more than the \(LengthLimits.maxFileTextBytes) bytes a file written by save may hold")
            case .memory(let problem): throw ScriptError(problem)
            }
        }

        /// Charges the bytes written since the last check and what the tally holds back.
        mutating func finish(_ out: String) throws {
            try tally.add(out.utf8.count - counted)
            try tally.settle()
        }
    }

    /// Writes `value`; a non-finite number is refused when `finiteOnly`, else written as `null`.
    private static func write(_ value: Value, into out: inout String, depth: Int, progress: inout Progress, finiteOnly: Bool) throws {
        guard depth < 512 else { throw ScriptError("value nested too deeply to write as JSON") }
        try progress.check(out)
        switch value {
        case .nil: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): out += try number(x, finiteOnly: finiteOnly)
        case .string(let s): out += jsonString(s)
        case .list(let list):
            try progress.tally.add(list.items.count)
            out += "["
            for (i, item) in list.items.enumerated() {
                if i > 0 { out += ", " }
                try write(item, into: &out, depth: depth + 1, progress: &progress, finiteOnly: finiteOnly)
            }
            out += "]"
        case .record(let record):
            try writeObject(zip(record.names, record.values).map { ($0, $1) }, into: &out, depth: depth, progress: &progress, finiteOnly: finiteOnly)
        case .range(let lower, let upper):
            if let problem = LengthLimits.listProblem(max(upper - lower, 0)) {
                throw ScriptError("cannot write the range \(lower)..\(upper) as JSON: \(problem)")
            }
            try progress.tally.add(max(upper - lower, 0))
            out += "[" + (lower..<max(lower, upper)).map(String.init).joined(separator: ", ") + "]"
        case .matrix(let m):
            try MatrixText.requireFits(m, format: "json")
            try progress.tally.add(m.count)
            out += "["
            for i in 0..<m.rows {
                if i > 0 { out += ", " }
                out += "[" + (try m.rowElements(i).map { try number($0, finiteOnly: finiteOnly) }.joined(separator: ", ")) + "]"
            }
            out += "]"
        case .object(let trace as TraceObject):
            out += trace.trace.json
        case .object(let object):
            try writeObject(try HostObjectJSON.fields(of: object), into: &out, depth: depth, progress: &progress, finiteOnly: false)
        case .function, .builtin:
            throw ScriptError("a function cannot be written as JSON")
        }
    }

    private static func writeObject(_ fields: [(String, Value)], into out: inout String, depth: Int, progress: inout Progress, finiteOnly: Bool) throws {
        try progress.tally.add(fields.count)
        out += "{"
        for (i, (name, value)) in fields.enumerated() {
            if i > 0 { out += ", " }
            out += jsonString(name) + ": "
            try write(value, into: &out, depth: depth + 1, progress: &progress, finiteOnly: finiteOnly)
        }
        out += "}"
    }

    /// `x` as JSON text; NaN and ±inf are refused when `finiteOnly`, else written as `null`.
    static func number(_ x: Double, finiteOnly: Bool = true) throws -> String {
        if !x.isFinite, !finiteOnly { return "null" }
        guard x.isFinite else { throw ScriptError("\(x) has no JSON form; JSON numbers must be finite") }
        return NumberText.compact(x)
    }
}
