/// Functions: a declaration compiled once into a ``CompiledFunction``, and the statement that
/// makes a closure of it in the running frame.
extension Compiler {
    /// `fn name(…) { … }`: stores a closure over the current frame in the function's variable.
    func functionStatement(_ decl: FunctionDecl) -> Exec {
        let code = function(decl), set = store(decl.slot)
        return { f in
            set(f, .function(ScriptFunction(code: code, captured: f)))
            return .normal
        }
    }

    /// The compiled form of a function declaration, shared by every closure made from it.
    func function(_ decl: FunctionDecl) -> CompiledFunction {
        let signature = Signature(names: decl.parameters.map(\.name),
                                  required: decl.parameters.prefix { $0.defaultValue == nil }.count, variadic: false)
        let defaults = decl.parameters.map { $0.defaultValue.map(expression) }
        let outerReturnSlot = returnSlot
        returnSlot = decl.frameSize
        defer { returnSlot = outerReturnSlot }
        let slot = decl.frameSize
        var run: (Frame) throws -> Value
        switch decl.body {
        case .expression(let expr):
            run = expression(expr)
        case .block(let statements):
            if statements.count == 1, case .returnValue(let value?) = statements[0].kind {
                run = expression(value)
            } else {
                let body = block(statements)
                // The result is moved out of the hidden slot: left there, a returned closure
                // (which holds this frame) would keep the frame alive through the slot.
                run = { f in
                    guard try body(f) == .returned else { return .nil }
                    let result = f.slots[slot]
                    f.slots[slot] = .nil
                    return result
                }
            }
        }
        let released = decl.releasedAtReturn
        if !released.isEmpty {
            // A function made in the call holds its frame, and a list or record kept in the frame
            // may hold that function: clearing the variables no such function mentions breaks
            // the cycle and frees what they held.
            let body = run
            run = { f in
                defer { f.release(released) }
                return try body(f)
            }
        }
        return CompiledFunction(name: decl.displayName, signature: signature, frameSize: decl.frameSize,
                                defaults: defaults, run: run)
    }
}
