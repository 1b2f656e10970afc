import MSense

// What an interactive front end asks: msense_complete, msense_completion, msense_help,
// msense_is_incomplete (the same answers the REPL gives).

@_cdecl("msense_complete")
public func msense_complete(_ handle: OpaquePointer?, _ line: UnsafePointer<CChar>?, _ word: UnsafePointer<CChar>?) -> Int {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_complete: not a live interpreter handle", 0)
    }
    guard let text = CInput.string(line), let prefix = CInput.string(word), text.hasSuffix(prefix) else {
        return Misuse.report("msense_complete: line and word must be valid UTF-8 and line must end with word", 0)
    }
    guard !box.running.load(ordering: .acquiring) else {
        return Misuse.report("msense_complete: the interpreter is running", 0)
    }
    box.completions = box.interpreter.completions(line: text, word: prefix).map(CText.init)
    return box.completions.count
}

@_cdecl("msense_completion")
public func msense_completion(_ handle: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    listedText(handle, index, \.completions, "msense_completion")
}

@_cdecl("msense_help")
public func msense_help(_ handle: OpaquePointer?, _ name: UnsafePointer<CChar>?) -> UnsafePointer<CChar>? {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_help: not a live interpreter handle", nil)
    }
    guard let key = CInput.string(name) else { return Misuse.report("msense_help: name is null or not valid UTF-8", nil) }
    guard let builtin = box.interpreter.builtin(named: key) else { return nil }
    let text = CText(builtin.helpText)
    box.help = text
    return text.constPointer
}

@_cdecl("msense_is_incomplete")
public func msense_is_incomplete(_ handle: OpaquePointer?, _ source: UnsafePointer<CChar>?) -> Int32 {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_is_incomplete: not a live interpreter handle", MSenseStatus.misuse)
    }
    guard let text = CInput.string(source) else {
        return Misuse.report("msense_is_incomplete: source is null or not valid UTF-8", MSenseStatus.misuse)
    }
    guard !box.running.load(ordering: .acquiring) else {
        return Misuse.report("msense_is_incomplete: the interpreter is running", MSenseStatus.misuse)
    }
    return box.interpreter.isIncomplete(text) ? 1 : 0
}
