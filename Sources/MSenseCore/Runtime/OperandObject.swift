import Tensor

/// A host object that gives its own meaning to the operators and to builtin calls it takes part
/// in: when one is an operand of `+ - * / % ^ @`, of unary `-` or `'`, or an argument of a builtin
/// call, the interpreter asks it before anything else. The traced values of `grad` (module
/// `MSense`, docs/autodiff.md) are such objects: they record what is done to them.
///
/// Each method returns nil to leave the usual meaning (for an operator, its type error). Errors
/// are thrown as ``ScriptError``s; the interpreter adds the location.
package protocol OperandObject: ScriptObject {
    /// `a op b`, where `self` is `a` or `b` (the left one when both qualify) and `op` is the
    /// operator's token (`"+"`, `"@"`, …).
    func binary(_ op: String, _ a: Value, _ b: Value) throws -> Value?
    /// `-self` (`op == "-"`) or `self'` (`op == "'"`).
    func unary(_ op: String) throws -> Value?
    /// The result of the builtin `name` called with `arguments`, among which `self` is the first
    /// operand object, or nil to run the builtin as usual.
    func callBuiltin(_ name: String, _ arguments: Arguments) throws -> Value?
}

/// Where the operators and builtin calls consult ``OperandObject``s.
enum OperandObjects {
    /// The operand object `value` holds, if any.
    @inline(__always)
    static func of(_ value: Value) -> (any OperandObject)? {
        if case .object(let object) = value { return object as? any OperandObject }
        return nil
    }

    /// `a op b` as an operand object among them defines it, or nil.
    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, _ site: Site) throws -> Value? {
        guard let object = of(a) ?? of(b) else { return nil }
        return try located(site) { try object.binary(op.rawValue, a, b) }
    }

    /// `-a` or `a'` as an operand object `a` defines it, or nil.
    static func unary(_ op: String, _ a: Value, _ site: Site) throws -> Value? {
        guard let object = of(a) else { return nil }
        return try located(site) { try object.unary(op) }
    }

    /// The builtin call as the first operand object among its arguments (declared ones, then a
    /// variadic builtin's extra ones) defines it, or nil.
    static func callBuiltin(_ name: String, _ arguments: Arguments) throws -> Value? {
        for value in arguments.values {
            if let object = of(value) { return try object.callBuiltin(name, arguments) }
        }
        for value in arguments.rest {
            if let object = of(value) { return try object.callBuiltin(name, arguments) }
        }
        return nil
    }

    private static func located(_ site: Site, _ body: () throws -> Value?) throws -> Value? {
        do { return try body() } catch let problem as any ExplainedError {
            throw RuntimeFailure(problem.message, hint: problem.hint, at: site)
        }
    }
}
