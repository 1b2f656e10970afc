import MSense
import Tensor

// Making values to pass in (globals, native function results): msense_new_nil, _bool,
// _number, _string, _list, _number_list, _record, _matrix, _array.

@_cdecl("msense_new_nil")
public func msense_new_nil() -> OpaquePointer? { HandleTable.shared.insert(ValueBox(.nil)) }

@_cdecl("msense_new_bool")
public func msense_new_bool(_ flag: Int32) -> OpaquePointer? { HandleTable.shared.insert(ValueBox(.bool(flag != 0))) }

@_cdecl("msense_new_number")
public func msense_new_number(_ number: Double) -> OpaquePointer? { HandleTable.shared.insert(ValueBox(.number(number))) }

@_cdecl("msense_new_string")
public func msense_new_string(_ text: UnsafePointer<CChar>?, _ length: Int) -> OpaquePointer? {
    guard let bytes = CInput.bytes(text, length, limit: Interpreter.maxSourceBytes) else {
        return Misuse.report("msense_new_string: text is null or its length is out of range", nil)
    }
    guard let string = String(validating: bytes, as: UTF8.self) else {
        return Misuse.report("msense_new_string: the text is not valid UTF-8", nil)
    }
    return HandleTable.shared.insert(ValueBox(.string(string)))
}

@_cdecl("msense_new_list")
public func msense_new_list(_ items: UnsafePointer<OpaquePointer?>?, _ count: Int) -> OpaquePointer? {
    guard let values = values(items, count, "msense_new_list") else { return nil }
    return HandleTable.shared.insert(ValueBox(.list(values)))
}

/// A list of `count` numbers in one call: a host's vector (a NumPy 1-D array) without a handle
/// per item.
@_cdecl("msense_new_number_list")
public func msense_new_number_list(_ numbers: UnsafePointer<Double>?, _ count: Int) -> OpaquePointer? {
    guard count >= 0, count <= Matrix.maxElements, count == 0 || numbers != nil else {
        return Misuse.report("msense_new_number_list: numbers is null or count is out of range", nil)
    }
    let items = count == 0 ? [] : UnsafeBufferPointer(start: numbers, count: count).map { Value.number($0) }
    return HandleTable.shared.insert(ValueBox(.list(items)))
}

@_cdecl("msense_new_record")
public func msense_new_record(_ names: UnsafePointer<UnsafePointer<CChar>?>?, _ items: UnsafePointer<OpaquePointer?>?,
                              _ count: Int) -> OpaquePointer? {
    guard let values = values(items, count, "msense_new_record") else { return nil }
    var keys: [String] = []
    for i in 0..<count {
        guard let name = CInput.string(names?[i]), Identifier.isValid(name), !keys.contains(name) else {
            return Misuse.report("msense_new_record: name \(i) is null, not valid UTF-8, not an identifier, or repeated", nil)
        }
        keys.append(name)
    }
    return HandleTable.shared.insert(ValueBox(.record(ScriptRecord(names: keys, values: values))))
}

@_cdecl("msense_new_matrix")
public func msense_new_matrix(_ data: UnsafePointer<Double>?, _ rows: Int, _ cols: Int) -> OpaquePointer? {
    let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
    guard rows >= 0, cols >= 0, !overflow, count <= Matrix.maxElements, count == 0 || data != nil else {
        return Misuse.report("msense_new_matrix: data is null or the shape \(rows)×\(cols) is out of range", nil)
    }
    let elements = count == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: count))
    guard let matrix = try? Matrix(rows: rows, cols: cols, elements: elements) else {
        return Misuse.report("msense_new_matrix: cannot make a \(rows)×\(cols) matrix", nil)
    }
    return HandleTable.shared.insert(ValueBox(.matrix(matrix)))
}

/// An array of 3 to 8 dimensions (a stack of measurement matrices), as `load` reads one from a
/// `.npy` file.
@_cdecl("msense_new_array")
public func msense_new_array(_ data: UnsafePointer<Double>?, _ shape: UnsafePointer<Int>?, _ dimensions: Int) -> OpaquePointer? {
    guard dimensions >= 3, dimensions <= NDArray.maxDimensions, let shape else {
        return Misuse.report("msense_new_array: shape is null or it has \(dimensions) dimensions, not 3 to \(NDArray.maxDimensions) (fewer: a number, a list or a matrix)", nil)
    }
    let sizes = Array(UnsafeBufferPointer(start: shape, count: dimensions))
    var count = 1
    for size in sizes {
        let (product, overflow) = count.multipliedReportingOverflow(by: size)
        guard size >= 0, !overflow, product <= Matrix.maxElements else {
            return Misuse.report("msense_new_array: the shape \(sizes.map(String.init).joined(separator: "×")) is out of range", nil)
        }
        count = product
    }
    guard count == 0 || data != nil else { return Misuse.report("msense_new_array: data is null", nil) }
    let elements = count == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: count))
    guard let array = try? NDArray(shape: sizes, elements: elements) else {
        return Misuse.report("msense_new_array: cannot make an array of shape \(sizes.map(String.init).joined(separator: "×"))", nil)
    }
    return HandleTable.shared.insert(ValueBox(.array(array, origin: "a host array")))
}

/// The values behind `count` handles (copied: the handles stay the host's).
private func values(_ items: UnsafePointer<OpaquePointer?>?, _ count: Int, _ function: String) -> [Value]? {
    guard count >= 0, count <= Interpreter.maxSourceBytes, count == 0 || items != nil else {
        return Misuse.report("\(function): items is null or count is out of range", nil)
    }
    var values: [Value] = []
    for i in 0..<count {
        guard let item = HandleTable.shared.lookup(items?[i], as: ValueBox.self) else {
            return Misuse.report("\(function): item \(i) is not a live value handle", nil)
        }
        values.append(item.value)
    }
    return values
}
