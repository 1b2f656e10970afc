import MSense

// Reading and setting globals: msense_get_global, msense_set_global, msense_globals,
// msense_global_name.

@_cdecl("msense_get_global")
public func msense_get_global(_ handle: OpaquePointer?, _ name: UnsafePointer<CChar>?) -> OpaquePointer? {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_get_global: not a live interpreter handle", nil)
    }
    guard let key = CInput.string(name) else {
        return Misuse.report("msense_get_global: name is null or not valid UTF-8", nil)
    }
    guard let value = box.interpreter.global(key) else { return nil }
    return HandleTable.shared.insert(ValueBox(value))
}

@_cdecl("msense_set_global")
public func msense_set_global(_ handle: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ value: OpaquePointer?) -> Int32 {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_set_global: not a live interpreter handle", MSenseStatus.misuse)
    }
    guard let key = CInput.string(name), Identifier.isValid(key) else {
        return Misuse.report("msense_set_global: name is null, not valid UTF-8, or not an identifier", MSenseStatus.misuse)
    }
    guard let item = HandleTable.shared.lookup(value, as: ValueBox.self) else {
        return Misuse.report("msense_set_global: not a live value handle", MSenseStatus.misuse)
    }
    return box.exclusive("msense_set_global") {
        box.interpreter.setGlobal(key, item.value)
        return MSenseStatus.ok
    }
}

@_cdecl("msense_globals")
public func msense_globals(_ handle: OpaquePointer?) -> Int {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_globals: not a live interpreter handle", 0)
    }
    box.globalNames = box.interpreter.definedNames.map(CText.init)
    return box.globalNames.count
}

@_cdecl("msense_global_name")
public func msense_global_name(_ handle: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    listedText(handle, index, \.globalNames, "msense_global_name")
}

/// Names the host may define: a letter or `_`, then letters, digits or `_`, not a keyword.
enum Identifier {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            && !Interpreter.keywords.contains(name)
    }
}
