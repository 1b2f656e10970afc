/// Calls: the compiled forms of `f(a, b, name: c)`, with fast paths for script functions called
/// with one, two or only positional arguments (no argument list is built for them).
extension Compiler {
    /// The callee of a call, read without ``Frame/recall(_:)`` when it is a variable of a
    /// frame: `home` is that frame, the environment of a function kept there (`captured == nil`),
    /// so calling a local function allocates no copy of it.
    private struct Callee {
        var value: Value
        /// Unowned: the frame is the caller's or one of its ancestors, alive throughout the call
        /// (and not retaining it saves two reference-count updates per call).
        unowned(unsafe) var home: Frame?

        /// The environment a call of `function` runs in.
        @inline(__always)
        func environment(of function: ScriptFunction) -> Frame? { function.captured ?? home }

        /// The value as a script may see it (environment restored).
        var restored: Value { home?.recall(value) ?? value }
    }

    private func callee(_ expr: Expr) -> (Frame) throws -> Callee {
        if case .name(let ref) = expr.kind {
            switch ref.slot {
            case .local(let i):
                return { f in Callee(value: f.slots[i], home: f) }
            case .enclosing(let depth, let i):
                return { f in
                    guard let frame = f.ancestor(depth) else { return Callee(value: .nil, home: nil) }
                    return Callee(value: frame.slots[i], home: frame)
                }
            default:
                break
            }
        }
        let eval = expression(expr)
        return { f in Callee(value: try eval(f), home: nil) }
    }

    /// `callee(arguments…)`: script functions with matching positional arguments go straight to
    /// a new frame; everything else (named arguments, builtins, other values) to `callValue`.
    func call(_ callee: Expr, _ arguments: [ArgumentSyntax], _ site: Site) -> Eval {
        let target = self.callee(callee), rt = runtime
        let labels = arguments.compactMap(\.label)
        let calleeName: String = if case .name(let ref) = callee.kind { "'\(ref.name)'" } else { "the called value" }
        let count = arguments.count
        if labels.isEmpty, count == 1 {
            let a0 = expression(arguments[0].value)
            return { f in
                let c = try target(f)
                if case .function(let fn) = c.value, fn.code.parameterCount == 1 {
                    let frame = Frame.make(size: fn.code.frameSize, parent: c.environment(of: fn))
                    frame.slots[0] = try a0(f)
                    return try rt.invoke(fn, frame, site)
                }
                if case .builtin(let b) = c.value, b.parameters.count == 1 {
                    return try rt.callBuiltin(b, [try a0(f)], [], site)
                }
                return try rt.callValue(c.restored, [try a0(f)], labels: [], calleeName: calleeName, site: site)
            }
        }
        if labels.isEmpty, count == 2 {
            let a0 = expression(arguments[0].value), a1 = expression(arguments[1].value)
            return { f in
                let c = try target(f)
                if case .function(let fn) = c.value, fn.code.parameterCount == 2 {
                    let frame = Frame.make(size: fn.code.frameSize, parent: c.environment(of: fn))
                    frame.slots[0] = try a0(f)
                    frame.slots[1] = try a1(f)
                    return try rt.invoke(fn, frame, site)
                }
                return try rt.callValue(c.restored, [try a0(f), try a1(f)], labels: [], calleeName: calleeName, site: site)
            }
        }
        let code = arguments.map { EvalBox(run: expression($0.value)) }
        return { f in
            let c = try target(f)
            if labels.isEmpty, case .function(let fn) = c.value, fn.code.parameterCount == count {
                let frame = Frame.make(size: fn.code.frameSize, parent: c.environment(of: fn))
                for i in 0..<count { frame.slots[i] = try code[i].run(f) }
                return try rt.invoke(fn, frame, site)
            }
            var values: [Value] = []
            values.reserveCapacity(count)
            for a in code { values.append(try a.run(f)) }
            return try rt.callValue(c.restored, values, labels: labels, calleeName: calleeName, site: site)
        }
    }
}
