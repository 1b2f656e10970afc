import MSenseCore
import Sensing
import Tensor

/// A host object that states its own plain data for `save(x, "x.json")`: a run, whose numbers
/// (trace, factors, final loss) are what a researcher keeps.
protocol JSONFieldsProviding {
    /// The object's fields as JSON writes them, in order.
    func jsonFields() throws -> [(String, Value)]
}

/// What `save(x, "x.json")` writes for a host object (anything but a trace or a sweep table,
/// which have their own forms): a JSON object that starts with `"type"` (the script's `type(x)`)
/// and `"description"` (what `print(x)` shows), then
///
/// - for a run (`gd`, `glrl`, a factor-model `gd`, `minimize`), its data in one shape
///   (``RunJSON``);
/// - for any other object (a problem, an ensemble, a truth, an optimizer, …), its plain fields:
///   those holding numbers, strings, booleans, nil, or lists and records of them (`d`, `m`,
///   `name`, `eigs`, …); matrices, nested objects and methods are left out, so the object stays
///   small.
///
/// Inside a host object NaN and ±inf are written as `null`, as `save(trace, "x.json")` writes
/// them, so a run that diverged still saves.
enum HostObjectJSON {
    static func fields(of object: any ScriptObject) throws -> [(String, Value)] {
        let head: [(String, Value)] = [("type", .string(object.typeName)), ("description", .string(object.describe()))]
        if let own = object as? any JSONFieldsProviding { return head + (try own.jsonFields()) }
        var plain: [(String, Value)] = []
        for name in object.fieldNames where !head.contains(where: { $0.0 == name }) {
            if let value = try object.field(named: name), isPlain(value) { plain.append((name, value)) }
        }
        return head + plain
    }

    /// Whether `value` is plain data: a scalar, or a list or record of plain values.
    private static func isPlain(_ value: Value, depth: Int = 0) -> Bool {
        guard depth < 64 else { return false }
        switch value {
        case .nil, .bool, .number, .string: return true
        case .list(let list): return list.items.allSatisfy { isPlain($0, depth: depth + 1) }
        case .record(let record): return record.values.allSatisfy { isPlain($0, depth: depth + 1) }
        case .range, .matrix, .object, .function, .builtin: return false
        }
    }
}
