import Foundation
import MSense

// The interpreter's life and runs: msense_new, msense_free, msense_run, msense_run_file,
// msense_evaluate, msense_cancel (see include/msense.h for the contract of each).

@_cdecl("msense_version")
public func msense_version() -> UnsafePointer<CChar>? {
    versionText.constPointer
}

private let versionText = CText(MSenseVersion.string)

@_cdecl("msense_misuse")
public func msense_misuse() -> UnsafePointer<CChar>? {
    Misuse.last?.constPointer
}

@_cdecl("msense_new")
public func msense_new(_ arguments: UnsafePointer<UnsafePointer<CChar>?>?, _ argumentCount: Int,
                       _ output: OutputFunction?, _ display: DisplayFunction?, _ event: EventFunction?,
                       _ user: UnsafeMutableRawPointer?) -> OpaquePointer? {
    guard argumentCount >= 0, argumentCount == 0 || arguments != nil else {
        return Misuse.report("msense_new: arguments is null but argument_count is \(argumentCount)", nil)
    }
    var list: [String] = []
    for i in 0..<argumentCount {
        guard let text = CInput.string(arguments?[i]) else {
            return Misuse.report("msense_new: argument \(i) is null or not valid UTF-8", nil)
        }
        list.append(text)
    }
    let callbacks = Callbacks(output: output, display: display, event: event, user: user)
    return HandleTable.shared.insert(InterpreterBox(arguments: list, callbacks: callbacks))
}

@_cdecl("msense_free")
public func msense_free(_ handle: OpaquePointer?) {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_free: not a live interpreter handle", ())
    }
    guard !box.running.load(ordering: .acquiring) else {
        return Misuse.report("msense_free: the interpreter is running", ())
    }
    _ = HandleTable.shared.remove(handle, as: InterpreterBox.self)
}

@_cdecl("msense_run")
public func msense_run(_ handle: OpaquePointer?, _ source: UnsafePointer<CChar>?, _ length: Int,
                       _ path: UnsafePointer<CChar>?, _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    result?.pointee = nil
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_run: not a live interpreter handle", MSenseStatus.misuse)
    }
    guard let bytes = CInput.bytes(source, length, limit: Interpreter.maxSourceBytes) else {
        return Misuse.report("msense_run: source is null or its length is out of range", MSenseStatus.misuse)
    }
    let name: String
    if path == nil { name = "<script>" } else {
        guard let given = CInput.string(path) else { return Misuse.report("msense_run: path is not valid UTF-8", MSenseStatus.misuse) }
        name = given
    }
    return box.exclusive("msense_run") { execute(box, result) { () throws(ScriptFailure) in try box.interpreter.run(bytes: bytes, path: name) } }
}

@_cdecl("msense_run_file")
public func msense_run_file(_ handle: OpaquePointer?, _ path: UnsafePointer<CChar>?,
                            _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    result?.pointee = nil
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_run_file: not a live interpreter handle", MSenseStatus.misuse)
    }
    guard let name = CInput.string(path) else {
        return Misuse.report("msense_run_file: path is null or not valid UTF-8", MSenseStatus.misuse)
    }
    return box.exclusive("msense_run_file") { execute(box, result) { () throws(ScriptFailure) in try box.interpreter.run(file: name) } }
}

@_cdecl("msense_evaluate")
public func msense_evaluate(_ handle: OpaquePointer?, _ source: UnsafePointer<CChar>?, _ length: Int,
                            _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    result?.pointee = nil
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_evaluate: not a live interpreter handle", MSenseStatus.misuse)
    }
    guard let bytes = CInput.bytes(source, length, limit: Interpreter.maxSourceBytes) else {
        return Misuse.report("msense_evaluate: source is null or its length is out of range", MSenseStatus.misuse)
    }
    return box.exclusive("msense_evaluate") {
        execute(box, result) { () throws(ScriptFailure) in try box.interpreter.run(bytes: bytes, path: "<eval>") }
    }
}

@_cdecl("msense_cancel")
public func msense_cancel(_ handle: OpaquePointer?) -> Int32 {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_cancel: not a live interpreter handle", MSenseStatus.misuse)
    }
    box.interpreter.cancel()
    return MSenseStatus.ok
}

/// Runs `body`, keeps its diagnostics, and hands the result to the host as a new value handle.
private func execute(_ box: InterpreterBox, _ result: UnsafeMutablePointer<OpaquePointer?>?,
                     _ body: () throws(ScriptFailure) -> Value) -> Int32 {
    do throws(ScriptFailure) {
        let value = try body()
        box.diagnostics = []
        result?.pointee = HandleTable.shared.insert(ValueBox(value))
        return MSenseStatus.ok
    } catch {
        box.diagnostics = error.diagnostics.map(DiagnosticTexts.init)
        let cancelled = error.diagnostics.count == 1 && error.diagnostics[0].message == "cancelled"
        return cancelled ? MSenseStatus.cancelled : MSenseStatus.error
    }
}
