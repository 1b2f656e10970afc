import MSense

// Host functions callable from scripts: msense_register, msense_call_count, msense_call_arg,
// msense_call_fail.

/// One call of a registered native function, as the host's callback sees it (`msense_call *`):
/// the argument handles (borrowed: freed when the callback returns) and the failure, if the
/// callback reported one.
final class CallBox: @unchecked Sendable {
    // Safety: used only on the interpreter's run thread during one callback.
    let arguments: [OpaquePointer]
    var failure: ScriptError?
    init(arguments: [OpaquePointer]) { self.arguments = arguments }
}

/// `msense_native_fn`: (user, call) → a new value handle or NULL.
public typealias NativeBody = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?) -> OpaquePointer?

/// A host function pointer and its `user` pointer.
struct NativeFunction: @unchecked Sendable {
    // Safety: a C function pointer and an opaque pointer the library never dereferences.
    typealias Body = NativeBody
    let body: Body
    let user: UnsafeMutableRawPointer?

    /// Calls the host with `values` as borrowed handles; its returned handle becomes the result.
    func call(_ values: [Value], name: String) throws -> Value {
        let table = HandleTable.shared
        let call = CallBox(arguments: values.map { table.insert(ValueBox($0)) })
        let callHandle = table.insert(call)
        defer {
            _ = table.remove(callHandle, as: CallBox.self)
            for argument in call.arguments { _ = table.remove(argument, as: ValueBox.self) }
        }
        let returned = body(user, callHandle)
        let result = table.remove(returned, as: ValueBox.self)
        if let failure = call.failure { throw failure }
        guard returned != nil else { return .nil }
        guard let result else {
            throw ScriptError("the native function '\(name)' returned something that is not a new value handle",
                              hint: "return a value made by msense_new_… or msense_value_copy, or NULL for nil")
        }
        return result.value
    }
}

@_cdecl("msense_register")
public func msense_register(_ handle: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ doc: UnsafePointer<CChar>?,
                            _ parameters: UnsafePointer<UnsafePointer<CChar>?>?, _ parameterCount: Int, _ required: Int,
                            _ body: NativeBody?, _ user: UnsafeMutableRawPointer?) -> Int32 {
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("msense_register: not a live interpreter handle", MSenseStatus.misuse)
    }
    guard let key = CInput.string(name), Identifier.isValid(key) else {
        return Misuse.report("msense_register: name is null, not valid UTF-8, or not an identifier", MSenseStatus.misuse)
    }
    guard let body else { return Misuse.report("msense_register: the function pointer is null", MSenseStatus.misuse) }
    let documentation: String
    if doc == nil { documentation = "" } else {
        guard let text = CInput.string(doc) else { return Misuse.report("msense_register: doc is not valid UTF-8", MSenseStatus.misuse) }
        documentation = text
    }
    guard parameterCount >= 0, parameterCount <= 1000, parameterCount == 0 || parameters != nil,
          required >= 0, required <= parameterCount else {
        return Misuse.report("msense_register: parameters is null or parameter_count/required is out of range", MSenseStatus.misuse)
    }
    var declared: [Parameter] = []
    for i in 0..<parameterCount {
        guard let parameter = CInput.string(parameters?[i]), Identifier.isValid(parameter),
              !declared.contains(where: { $0.name == parameter }) else {
            return Misuse.report("msense_register: parameter \(i) is null, not an identifier, or repeated", MSenseStatus.misuse)
        }
        declared.append(i < required ? Parameter(parameter) : Parameter(parameter, default: .nil))
    }
    let native = NativeFunction(body: body, user: user)
    let builtin = Builtin(name: key, doc: documentation, parameters: declared) { args in
        try native.call(args.values, name: key)
    }
    return box.exclusive("msense_register") {
        box.interpreter.register(builtin)
        return MSenseStatus.ok
    }
}

@_cdecl("msense_call_count")
public func msense_call_count(_ handle: OpaquePointer?) -> Int {
    guard let call = HandleTable.shared.lookup(handle, as: CallBox.self) else {
        return Misuse.report("msense_call_count: not a live call handle", 0)
    }
    return call.arguments.count
}

@_cdecl("msense_call_arg")
public func msense_call_arg(_ handle: OpaquePointer?, _ index: Int) -> OpaquePointer? {
    guard let call = HandleTable.shared.lookup(handle, as: CallBox.self) else {
        return Misuse.report("msense_call_arg: not a live call handle", nil)
    }
    guard index >= 0, index < call.arguments.count else {
        return Misuse.report("msense_call_arg: index \(index) is outside the \(call.arguments.count) arguments", nil)
    }
    return call.arguments[index]
}

@_cdecl("msense_call_fail")
public func msense_call_fail(_ handle: OpaquePointer?, _ message: UnsafePointer<CChar>?, _ hint: UnsafePointer<CChar>?) -> Int32 {
    guard let call = HandleTable.shared.lookup(handle, as: CallBox.self) else {
        return Misuse.report("msense_call_fail: not a live call handle", MSenseStatus.misuse)
    }
    let text = CInput.string(message) ?? "the native function failed (its message was null or not valid UTF-8)"
    call.failure = ScriptError(text, hint: hint == nil ? nil : CInput.string(hint))
    return MSenseStatus.ok
}
