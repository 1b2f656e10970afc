import MSense

// Reading values: msense_value_type, _type_name, _display, _bool, _number, _string, _length,
// _item, _field_name, _field, _matrix, _trace, _trace_column_name, _trace_column, _copy, _free.

/// The `msense_type` numbers of the header.
enum ValueType: Int32 {
    case `nil` = 0, bool, number, string, list, record, range, matrix, function, trace, object

    init(_ value: Value) {
        switch value {
        case .nil: self = .nil
        case .bool: self = .bool
        case .number: self = .number
        case .string: self = .string
        case .list: self = .list
        case .record: self = .record
        case .range: self = .range
        case .matrix: self = .matrix
        case .function, .builtin: self = .function
        case .object: self = value.isTrace ? .trace : .object
        }
    }
}

private func box(_ handle: OpaquePointer?, _ function: String) -> ValueBox? {
    guard let box = HandleTable.shared.lookup(handle, as: ValueBox.self) else {
        return Misuse.report("\(function): not a live value handle", nil)
    }
    return box
}

@_cdecl("msense_value_type")
public func msense_value_type(_ handle: OpaquePointer?) -> Int32 {
    guard let value = box(handle, "msense_value_type") else { return MSenseStatus.misuse }
    return ValueType(value.value).rawValue
}

@_cdecl("msense_value_type_name")
public func msense_value_type_name(_ handle: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let value = box(handle, "msense_value_type_name") else { return nil }
    return value.text("type") { value.value.typeName }.constPointer
}

@_cdecl("msense_value_display")
public func msense_value_display(_ handle: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let value = box(handle, "msense_value_display") else { return nil }
    return value.text("display") { Interpreter.display(value.value) }.constPointer
}

@_cdecl("msense_value_bool")
public func msense_value_bool(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let value = box(handle, "msense_value_bool") else { return MSenseStatus.misuse }
    guard let flag = value.value.boolValue else { return Misuse.report("msense_value_bool: the value is a \(value.value.typeName)", MSenseStatus.misuse) }
    out?.pointee = flag ? 1 : 0
    return MSenseStatus.ok
}

@_cdecl("msense_value_number")
public func msense_value_number(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guard let value = box(handle, "msense_value_number") else { return MSenseStatus.misuse }
    guard let number = value.value.doubleValue else {
        return Misuse.report("msense_value_number: the value is a \(value.value.typeName)", MSenseStatus.misuse)
    }
    out?.pointee = number
    return MSenseStatus.ok
}

@_cdecl("msense_value_string")
public func msense_value_string(_ handle: OpaquePointer?, _ length: UnsafeMutablePointer<Int>?) -> UnsafePointer<CChar>? {
    guard let value = box(handle, "msense_value_string") else { return nil }
    guard let string = value.value.stringValue else {
        return Misuse.report("msense_value_string: the value is a \(value.value.typeName)", nil)
    }
    let text = value.text("string") { string }
    length?.pointee = text.length
    return text.constPointer
}

@_cdecl("msense_value_length")
public func msense_value_length(_ handle: OpaquePointer?) -> Int {
    guard let value = box(handle, "msense_value_length") else { return 0 }
    switch value.value {
    case .list(let list): return list.items.count
    case .range(let lower, let upper): return upper > lower ? upper - lower : 0  // never materialised
    case .record, .object: return value.fieldNames.count
    default: return 0
    }
}

@_cdecl("msense_value_item")
public func msense_value_item(_ handle: OpaquePointer?, _ index: Int) -> OpaquePointer? {
    guard let value = box(handle, "msense_value_item") else { return nil }
    switch value.value {
    case .range(let lower, let upper):
        guard index >= 0, index < max(0, upper - lower) else { return Misuse.report("msense_value_item: index \(index) is outside the range", nil) }
        return HandleTable.shared.insert(ValueBox(.number(Double(lower + index))))
    case .list(let list):
        let items = list.items
        guard index >= 0, index < items.count else {
            return Misuse.report("msense_value_item: index \(index) is outside the list of \(items.count)", nil)
        }
        return HandleTable.shared.insert(ValueBox(items[index]))
    default:
        return Misuse.report("msense_value_item: the value is a \(value.value.typeName), not a list or range", nil)
    }
}

/// The leading numbers of a list or range, copied into `out` (at most `capacity`): how many were
/// copied. Every item is a number when that equals ``msense_value_length``; a host reads the rest
/// item by item. 0 for another type.
@_cdecl("msense_value_numbers")
public func msense_value_numbers(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ capacity: Int) -> Int {
    guard let value = box(handle, "msense_value_numbers") else { return 0 }
    guard capacity >= 0, capacity == 0 || out != nil else {
        return Misuse.report("msense_value_numbers: out is null with a capacity, or the capacity is out of range", 0)
    }
    guard let out else { return 0 }
    switch value.value {
    case .range(let lower, let upper):
        let count = min(max(0, upper - lower), capacity)
        for i in 0..<count { out[i] = Double(lower + i) }
        return count
    case .list(let list):
        let items = list.items
        var copied = 0
        while copied < min(items.count, capacity), case .number(let x) = items[copied] {
            out[copied] = x
            copied += 1
        }
        return copied
    default:
        return Misuse.report("msense_value_numbers: the value is a \(value.value.typeName), not a list or range", 0)
    }
}

@_cdecl("msense_value_field_name")
public func msense_value_field_name(_ handle: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    guard let value = box(handle, "msense_value_field_name") else { return nil }
    guard let name = value.fieldName(index) else {
        return Misuse.report("msense_value_field_name: the value has no field number \(index)", nil)
    }
    return name.constPointer
}

@_cdecl("msense_value_field")
public func msense_value_field(_ handle: OpaquePointer?, _ name: UnsafePointer<CChar>?) -> OpaquePointer? {
    guard let value = box(handle, "msense_value_field") else { return nil }
    guard let key = CInput.string(name) else { return Misuse.report("msense_value_field: name is null or not valid UTF-8", nil) }
    guard let field = value.value[field: key] else {
        return Misuse.report("msense_value_field: the \(value.value.typeName) has no field '\(key)'", nil)
    }
    return HandleTable.shared.insert(ValueBox(field))
}

@_cdecl("msense_value_matrix")
public func msense_value_matrix(_ handle: OpaquePointer?, _ rows: UnsafeMutablePointer<Int>?,
                                _ cols: UnsafeMutablePointer<Int>?) -> UnsafePointer<Double>? {
    guard let value = box(handle, "msense_value_matrix") else { return nil }
    guard let (elements, rowCount, colCount) = value.matrixElements() else {
        return Misuse.report("msense_value_matrix: the value is a \(value.value.typeName)", nil)
    }
    rows?.pointee = rowCount
    cols?.pointee = colCount
    return elements
}

@_cdecl("msense_value_array")
public func msense_value_array(_ handle: OpaquePointer?, _ dimensions: UnsafeMutablePointer<Int>?,
                               _ shape: UnsafeMutablePointer<Int>?) -> UnsafePointer<Double>? {
    guard let value = box(handle, "msense_value_array") else { return nil }
    guard let (elements, sizes) = value.arrayElements() else {
        return Misuse.report("msense_value_array: the value is a \(value.value.typeName), not an array", nil)
    }
    dimensions?.pointee = sizes.count
    if let shape { for (i, size) in sizes.enumerated() { shape[i] = size } }
    return elements
}

@_cdecl("msense_value_trace")
public func msense_value_trace(_ handle: OpaquePointer?, _ rows: UnsafeMutablePointer<Int>?,
                               _ columns: UnsafeMutablePointer<Int>?) -> Int32 {
    guard let value = box(handle, "msense_value_trace") else { return MSenseStatus.misuse }
    guard let trace = value.traceColumns() else {
        return Misuse.report("msense_value_trace: the value is a \(value.value.typeName)", MSenseStatus.misuse)
    }
    rows?.pointee = trace.rows
    columns?.pointee = trace.names.count
    return MSenseStatus.ok
}

@_cdecl("msense_value_trace_column_name")
public func msense_value_trace_column_name(_ handle: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    guard let value = box(handle, "msense_value_trace_column_name") else { return nil }
    guard let trace = value.traceColumns(), index >= 0, index < trace.names.count else {
        return Misuse.report("msense_value_trace_column_name: not a trace, or no column number \(index)", nil)
    }
    return trace.names[index].constPointer
}

@_cdecl("msense_value_trace_column")
public func msense_value_trace_column(_ handle: OpaquePointer?, _ index: Int) -> UnsafePointer<Double>? {
    guard let value = box(handle, "msense_value_trace_column") else { return nil }
    guard let trace = value.traceColumns(), index >= 0, index < trace.columns.count else {
        return Misuse.report("msense_value_trace_column: not a trace, or no column number \(index)", nil)
    }
    return trace.columns[index].baseAddress.map { UnsafePointer($0) }
}

@_cdecl("msense_value_copy")
public func msense_value_copy(_ handle: OpaquePointer?) -> OpaquePointer? {
    guard let value = box(handle, "msense_value_copy") else { return nil }
    return HandleTable.shared.insert(ValueBox(value.value))
}

@_cdecl("msense_value_free")
public func msense_value_free(_ handle: OpaquePointer?) {
    guard handle != nil else { return }
    guard HandleTable.shared.remove(handle, as: ValueBox.self) != nil else {
        return Misuse.report("msense_value_free: not a live value handle", ())
    }
}
