import MSenseCore
import Sensing
import Tensor

/// The arrays `save(value, "x.npz")` writes, one archive member per name, so that NumPy's
/// `np.load("x.npz")` gives a trace or a record back by name:
///
/// - a trace: each column as a 1-d array of its rows (`z["loss"]`);
/// - a record: each field as an array, a number 0-d, a matrix as `.npy` writes it (an n×1
///   column 1-d, else 2-d), a list of numbers 1-d, an array loaded from `.npy` as it is — so a
///   record `load` read from an `.npz` (a checkpoint) saves back to the same arrays.
///
/// Anything else (a string, a nested record, a run) has no array form and is refused by name.
enum NPZValues {
    static func arrays(of value: Value) throws -> [String: NDArray] {
        switch value {
        case .object(let o as TraceObject):
            var arrays: [String: NDArray] = [:]
            for (j, name) in o.trace.columns.enumerated() {
                arrays[name] = try NDArray(shape: [o.trace.count], elements: o.trace.rows.map { $0[j] })
            }
            return arrays
        case .record(let record):
            var arrays: [String: NDArray] = [:]
            for (name, field) in zip(record.names, record.values) {
                arrays[name] = try array(of: field, named: name)
            }
            return arrays
        default:
            throw ScriptError("cannot save \(withArticle(value.typeName)) as .npz",
                              hint: "an .npz archive holds a trace (one array per column) or a record of numbers, matrices and lists of numbers")
        }
    }

    private static func array(of value: Value, named name: String) throws -> NDArray {
        switch value {
        case .number(let x):
            return try NDArray(shape: [], elements: [x])
        case .matrix(let m):
            return m.cols == 1 ? try NDArray(shape: [m.rows], elements: m.elements) : NDArray(m)
        case .object(let o as ArrayObject):
            return o.array
        case .list(let list):
            var numbers: [Double] = []
            numbers.reserveCapacity(list.items.count)
            for item in list.items {
                guard case .number(let x) = item else {
                    throw ScriptError("cannot save field '\(name)' in an .npz archive: its list holds \(withArticle(item.typeName)), not only numbers")
                }
                numbers.append(x)
            }
            return try NDArray(shape: [numbers.count], elements: numbers)
        default:
            throw ScriptError("cannot save field '\(name)' (\(withArticle(value.typeName))) in an .npz archive",
                              hint: "an .npz archive holds numbers, matrices and lists of numbers; save other values as .json")
        }
    }
}
