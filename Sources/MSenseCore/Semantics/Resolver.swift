/// Static checks and variable layout, run on a whole file before any code executes.
///
/// Reports: undefined names (with "did you mean" hints), assignment to undeclared names or to
/// functions/builtins, duplicate parameters, non-trailing defaults, wrong arity and unknown
/// named arguments in calls to known functions and builtins, `break`/`continue` outside a
/// loop, `return` and `import` outside their places, top-level names used before their `let`.
/// Assigns every variable a slot: a local frame slot, a slot of an enclosing frame (closures),
/// or a global index.
final class Resolver {
    /// What a name is bound to.
    enum Kind {
        case variable
        case function(Signature)
        case builtin(Signature)

        var signature: Signature? {
            switch self {
            case .variable: nil
            case .function(let s), .builtin(let s): s
            }
        }
    }

    private struct Local {
        let slot: Int
        let kind: Kind
    }

    /// The variables of one function (or of the top-level chunk, whose outermost block is global).
    private final class Scope {
        let parent: Scope?
        let isChunk: Bool
        var blocks: [[String: Local]] = [[:]]
        var slotCount = 0
        var loopDepth = 0
        /// Whether the body makes functions (closures over this scope's frame).
        var makesFunctions = false
        /// The slots that functions made in the body mention (their names resolve to them).
        var captured: Set<Int> = []
        init(parent: Scope?, isChunk: Bool) {
            self.parent = parent
            self.isChunk = isChunk
        }
        var atTopLevel: Bool { isChunk && blocks.count == 1 }
        func allocate() -> Int {
            slotCount += 1
            return slotCount - 1
        }
    }

    private let session: ResolutionSession
    private let file: SourceFile
    private var scope: Scope
    /// Top-level `let` names of this file not yet reached, with the line of their `let`.
    private var pendingLets: [String: Int] = [:]

    init(session: ResolutionSession, file: SourceFile) {
        self.session = session
        self.file = file
        self.scope = Scope(parent: nil, isChunk: true)
    }

    private func error(_ message: String, _ span: Span, hint: String? = nil) {
        session.diagnostics.append(Diagnostic(file: file, span: span, message: message, hint: hint, id: .resolution))
    }

    /// Resolves a file's top-level statements; returns the size of the chunk's own frame.
    func resolveChunk(_ statements: [Stmt]) -> Int {
        // Hoist top-level functions (so they can call each other in any order) and reserve
        // global slots for top-level lets (so functions can refer to them).
        var seenFunctions: [String: Span] = [:]
        for statement in statements {
            switch statement.kind {
            case .function(let decl):
                guard let name = decl.name else { continue }
                if let earlier = seenFunctions[name] {
                    error("function '\(name)' is already defined on line \(file.line(of: earlier.start))", decl.nameSpan)
                    continue
                }
                seenFunctions[name] = decl.nameSpan
                if let slot = declareGlobal(name, kind: .function(signature(of: decl)), span: decl.nameSpan) {
                    decl.slot = slot
                }
            case .letBinding(let decl):
                if session.globals.bindings[decl.name] == nil, pendingLets[decl.name] == nil {
                    pendingLets[decl.name] = file.line(of: decl.nameSpan.start)
                }
            default: break
            }
        }
        for (name, _) in pendingLets where session.globals.bindings[name] == nil {
            _ = session.globals.add(name, kind: .variable)
        }
        resolveStatements(statements)
        return scope.slotCount
    }

    /// Declares (or re-declares, at the REPL) a global. A builtin's name may be reused, as in
    /// Python: the vocabulary is large (`loss`, `trace`, `norm`…) and a script's own names win.
    private func declareGlobal(_ name: String, kind: Kind, span: Span) -> VariableSlot? {
        if let existing = session.globals.bindings[name] {
            session.globals.setKind(name, kind)
            return .global(existing.index)
        }
        return .global(session.globals.add(name, kind: kind))
    }

    private func signature(of decl: FunctionDecl) -> Signature {
        Signature(names: decl.parameters.map(\.name),
                  required: decl.parameters.prefix { $0.defaultValue == nil }.count,
                  variadic: false)
    }

    // MARK: - Names

    private struct Found {
        let slot: VariableSlot
        let kind: Kind
    }

    private func lookup(_ name: String, at span: Span) -> Found? {
        var current: Scope? = scope
        var depth = 0
        while let s = current {
            for block in s.blocks.reversed() {
                if let local = block[name] {
                    if depth > 0 { s.captured.insert(local.slot) }
                    return Found(slot: depth == 0 ? .local(local.slot) : .enclosing(depth: depth, index: local.slot), kind: local.kind)
                }
            }
            current = s.parent
            depth += 1
        }
        guard let global = session.globals.bindings[name] else { return nil }
        if scope.isChunk, let line = pendingLets[name] {
            error("'\(name)' is used before its definition on line \(line)", span)
        }
        return Found(slot: .global(global.index), kind: global.kind)
    }

    /// Every name visible here, for suggestions.
    private func visibleNames() -> [String] {
        var names: [String] = []
        var current: Scope? = scope
        while let s = current {
            for block in s.blocks { names += block.keys }
            current = s.parent
        }
        return names + session.globals.bindings.keys
    }

    private func undefined(_ name: String, _ span: Span) {
        error("'\(name)' is not defined", span, hint: PythonNames.hint(name) ?? Suggestions.didYouMean(name, among: visibleNames()))
    }

    /// Declares a name in the innermost block; at the top level of the chunk it is a global.
    private func declare(_ name: String, kind: Kind, span: Span) -> VariableSlot {
        if scope.atTopLevel {
            pendingLets[name] = nil
            return declareGlobal(name, kind: kind, span: span) ?? .unresolved
        }
        let slot = scope.allocate()
        scope.blocks[scope.blocks.count - 1][name] = Local(slot: slot, kind: kind)
        return .local(slot)
    }

    // MARK: - Statements

    private func resolveStatements(_ statements: [Stmt]) {
        for statement in statements { resolve(statement) }
    }

    private func inBlock(_ body: () -> Void) {
        scope.blocks.append([:])
        body()
        scope.blocks.removeLast()
    }

    private func resolve(_ statement: Stmt) {
        switch statement.kind {
        case .letBinding(let decl):
            resolve(decl.value)
            decl.slot = declare(decl.name, kind: .variable, span: decl.nameSpan)
        case .function(let decl):
            if !scope.atTopLevel, let name = decl.name {  // top-level functions were hoisted
                decl.slot = declare(name, kind: .function(signature(of: decl)), span: decl.nameSpan)
            }
            resolveFunction(decl)
        case .assign(let target, _, let value):
            resolve(value)
            resolveTarget(target)
        case .ifChain(let clauses, let elseBody):
            for clause in clauses {
                resolve(clause.condition)
                inBlock { resolveStatements(clause.body) }
            }
            if let elseBody { inBlock { resolveStatements(elseBody) } }
        case .forLoop(let decl):
            resolve(decl.iterable)
            inBlock {
                let slot = scope.allocate()
                scope.blocks[scope.blocks.count - 1][decl.name] = Local(slot: slot, kind: .variable)
                decl.slot = .local(slot)
                scope.loopDepth += 1
                resolveStatements(decl.body)
                scope.loopDepth -= 1
            }
        case .tryCatch(let decl):
            inBlock { resolveStatements(decl.body) }
            inBlock {
                let slot = scope.allocate()
                scope.blocks[scope.blocks.count - 1][decl.name] = Local(slot: slot, kind: .variable)
                decl.slot = .local(slot)
                resolveStatements(decl.handler)
            }
        case .whileLoop(let condition, let body):
            resolve(condition)
            scope.loopDepth += 1
            inBlock { resolveStatements(body) }
            scope.loopDepth -= 1
        case .breakLoop:
            if scope.loopDepth == 0 { error("'break' outside a loop", statement.span) }
        case .continueLoop:
            if scope.loopDepth == 0 { error("'continue' outside a loop", statement.span) }
        case .returnValue(let value):
            if scope.isChunk {
                error("'return' outside a function", statement.span,
                      hint: "to stop a script early, call error(\"message\")")
            }
            if let value { resolve(value) }
        case .importFile(let decl):
            guard scope.atTopLevel else {
                error("'import' is only allowed at the top level of a file", statement.span)
                return
            }
            decl.module = session.load(decl.path, from: file, at: decl.pathSpan)
        case .expression(let expr):
            resolve(expr)
        }
    }

    private func resolveTarget(_ target: Expr) {
        switch target.kind {
        case .name(let ref):
            guard let found = lookup(ref.name, at: target.span) else {
                error("cannot assign to '\(ref.name)': it is not defined", target.span,
                      hint: Suggestions.didYouMean(ref.name, among: visibleNames()).map { "\($0) To make a new variable, write let \(ref.name) = …" }
                        ?? "declare it first: let \(ref.name) = …")
                return
            }
            switch found.kind {
            case .variable: ref.slot = found.slot
            case .function: error("cannot assign to function '\(ref.name)'", target.span, hint: "declare a variable with let")
            case .builtin: error("cannot assign to builtin '\(ref.name)'", target.span)
            }
        default:
            resolve(target)
        }
    }

    private func resolveFunction(_ decl: FunctionDecl) {
        let outer = scope
        outer.makesFunctions = true
        scope = Scope(parent: outer, isChunk: false)
        defer { scope = outer }
        var sawDefault = false
        for parameter in decl.parameters {
            if scope.blocks[0][parameter.name] != nil {
                error("duplicate parameter '\(parameter.name)'", parameter.span)
            }
            if let value = parameter.defaultValue {
                sawDefault = true
                resolve(value)
            } else if sawDefault {
                error("parameter '\(parameter.name)' without a default follows a parameter with one", parameter.span,
                      hint: "put parameters with defaults last")
            }
            scope.blocks[0][parameter.name] = Local(slot: scope.allocate(), kind: .variable)
        }
        // Parameters always occupy slots 0..<count, even duplicated ones.
        switch decl.body {
        case .block(let body): inBlock { resolveStatements(body) }
        case .expression(let expr): resolve(expr)
        }
        decl.frameSize = scope.slotCount
        if scope.makesFunctions {
            decl.releasedAtReturn = (0..<scope.slotCount).filter { !scope.captured.contains($0) }
        }
    }

    // MARK: - Expressions

    private func resolve(_ expr: Expr) {
        switch expr.kind {
        case .number, .string, .bool, .nilLiteral: break
        case .interpolation(let pieces):
            for case .expression(let e) in pieces { resolve(e) }
        case .name(let ref):
            if let found = lookup(ref.name, at: expr.span) { ref.slot = found.slot } else { undefined(ref.name, expr.span) }
        case .list(let items): items.forEach(resolve)
        case .matrix(let rows): rows.joined().forEach(resolve)
        case .record(let fields): fields.forEach { resolve($0.value) }
        case .negate(let e), .not(let e), .transpose(let e), .field(let e, _, _): resolve(e)
        case .binary(_, let a, let b), .range(let a, let b, _):
            resolve(a)
            resolve(b)
        case .call(let callee, let arguments):
            resolve(callee)
            arguments.forEach { resolve($0.value) }
            checkCall(callee, arguments, expr.span)
        case .index(let base, let items):
            resolve(base)
            for item in items {
                switch item {
                case .single(let e): resolve(e)
                case .slice(let lo, let hi, _):
                    if let lo { resolve(lo) }
                    if let hi { resolve(hi) }
                }
            }
        case .function(let decl):
            resolveFunction(decl)
        }
    }

    /// Checks arity and named arguments of a direct call to a known function or builtin.
    private func checkCall(_ callee: Expr, _ arguments: [ArgumentSyntax], _ span: Span) {
        guard case .name(let ref) = callee.kind, ref.slot != .unresolved,
              let found = lookupQuietly(ref.name), let signature = found.signature else { return }
        var labels: [String] = []
        for argument in arguments {
            guard let label = argument.label else { continue }
            if labels.contains(label) {
                error("argument '\(label)' is given twice", argument.labelSpan ?? span)
                return
            }
            labels.append(label)
        }
        let positional = arguments.count - labels.count
        if case .failure(let problem) = ArgumentBinding.bind(signature, name: ref.name, positional: positional, labels: labels) {
            error(problem.message, span, hint: problem.hint)
        }
    }

    private func lookupQuietly(_ name: String) -> Kind? {
        var current: Scope? = scope
        while let s = current {
            for block in s.blocks.reversed() { if let local = block[name] { return local.kind } }
            current = s.parent
        }
        return session.globals.bindings[name]?.kind
    }
}
