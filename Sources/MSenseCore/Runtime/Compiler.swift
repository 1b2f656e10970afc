import Tensor

/// Turns a resolved syntax tree into a tree of Swift closures, so that running a script does
/// no name lookup, no AST switching and no allocation beyond what values need.
///
/// Every variable access goes straight to its slot; number arithmetic and comparisons have
/// fast paths; conditions compile to closures returning `Bool`; statements return a `Flow`
/// instead of throwing for break/continue/return.
final class Compiler {
    let runtime: Runtime
    private let source: SourceBox
    /// Index of the hidden return slot of the function being compiled (its frame size).
    var returnSlot = 0

    init(runtime: Runtime, source: SourceBox) {
        self.runtime = runtime
        self.source = source
    }

    func site(_ span: Span) -> Site { Site(source: source, span: span) }

    // MARK: - Modules

    /// Compiles a module's top level: functions are defined first (hoisted), then the
    /// statements run in order; the result is the value of a final expression statement.
    func compile(module: Module) -> () throws -> Value {
        var hoisted: [Exec] = []
        var body: [Exec] = []
        let last = LastValue()
        for (i, statement) in module.statements.enumerated() {
            if case .function(let decl) = statement.kind {
                hoisted.append(functionStatement(decl))
            } else if case .expression(let expr) = statement.kind, i == module.statements.count - 1 {
                let eval = expression(expr)
                body.append { f in last.value = try eval(f); return .normal }
            } else {
                body.append(self.statement(statement))
            }
        }
        let code = hoisted + body
        let size = module.chunkFrameSize
        return {
            let frame = Frame.make(size: size, parent: nil)
            last.value = .nil
            for statement in code { _ = try statement(frame) }
            let result = last.value
            last.value = .nil
            return result
        }
    }

    private final class LastValue {
        var value: Value = .nil
    }

    // MARK: - Variables

    /// Reading a variable. Frame variables go through ``Frame/recall(_:)`` (a function kept in
    /// its own frame gets its environment back); a call's callee skips that (Compiler+Calls).
    private func load(_ slot: VariableSlot, _ name: String, _ span: Span) -> Eval {
        switch slot {
        case .local(let i):
            return { f in f.recall(f.slots[i]) }
        case .enclosing(1, let i):
            return { f in
                guard let frame = f.parent else { return .nil }
                return frame.recall(frame.slots[i])
            }
        case .enclosing(let depth, let i):
            return { f in
                guard let frame = f.ancestor(depth) else { return .nil }
                return frame.recall(frame.slots[i])
            }
        case .global(let g):
            runtime.globals.grow(to: g + 1)
            let cell = runtime.globals.cells[g]
            let site = site(span)
            return { _ in
                guard cell.pointee.assigned else {
                    throw RuntimeFailure("'\(name)' is used before it is defined", hint: "run its let (or import) first", at: site)
                }
                return cell.pointee.value
            }
        case .unresolved:
            let site = site(span)
            return { _ in throw RuntimeFailure("'\(name)' is not defined", at: site) }
        }
    }

    /// Writing a variable; frame variables go through ``Frame/keep(_:)``.
    func store(_ slot: VariableSlot) -> (Frame, Value) -> Void {
        switch slot {
        case .local(let i):
            return { f, v in f.slots[i] = f.keep(v) }
        case .enclosing(let depth, let i):
            return { f, v in
                if let frame = f.ancestor(depth) { frame.slots[i] = frame.keep(v) }
            }
        case .global(let g):
            runtime.globals.grow(to: g + 1)
            let cell = runtime.globals.cells[g]
            return { _, v in
                cell.pointee.value = v
                cell.pointee.assigned = true
            }
        case .unresolved:
            return { _, _ in }
        }
    }

    // MARK: - Statements

    // Closures are never taken back out of arrays or optionals on hot paths: Swift would wrap
    // them in reabstraction thunks, doubling the cost of every call. Lists of closures are
    // stored in these concrete boxes instead.
    private struct ExecBox { let run: Exec }
    struct EvalBox { let run: Eval }

    func block(_ statements: [Stmt]) -> Exec {
        switch statements.count {
        case 0: return { _ in .normal }
        case 1: return statement(statements[0])
        case 2:
            let a = statement(statements[0]), b = statement(statements[1])
            return { f in
                let flow = try a(f)
                if flow != .normal { return flow }
                return try b(f)
            }
        default:
            let code = statements.map { ExecBox(run: statement($0)) }
            return { f in
                for s in code {
                    let flow = try s.run(f)
                    if flow != .normal { return flow }
                }
                return .normal
            }
        }
    }

    private func statement(_ statement: Stmt) -> Exec {
        switch statement.kind {
        case .letBinding(let decl):
            let value = expression(decl.value), set = store(decl.slot)
            return { f in set(f, try value(f)); return .normal }
        case .function(let decl):
            return functionStatement(decl)
        case .assign(let target, let op, let value):
            return assignment(target, op, value, statement.span)
        case .ifChain(let clauses, let elseBody):
            return ifChain(clauses, elseBody)
        case .forLoop(let decl):
            return forLoop(decl, statement.span)
        case .tryCatch(let decl):
            return tryCatch(decl, site(statement.span))
        case .whileLoop(let condition, let body):
            let test = self.condition(condition), run = block(body), rt = runtime, site = site(statement.span)
            return { f in
                while try test(f) {
                    let flow = try run(f)
                    if flow == .breakLoop { break }
                    if flow == .returned { return .returned }
                    try rt.checkCancelled(site)
                }
                return .normal
            }
        case .breakLoop:
            return { _ in .breakLoop }
        case .continueLoop:
            return { _ in .continueLoop }
        case .returnValue(let value):
            let slot = returnSlot
            guard let value else { return { f in f.slots[slot] = .nil; return .returned } }
            let eval = expression(value)
            return { f in f.slots[slot] = try eval(f); return .returned }
        case .importFile(let decl):
            guard let module = decl.module else { return { _ in .normal } }
            return { _ in
                if !module.started, let run = module.run {
                    module.started = true
                    _ = try run()
                }
                return .normal
            }
        case .expression(let expr):
            let eval = expression(expr)
            return { f in _ = try eval(f); return .normal }
        }
    }

    private struct ClauseBox {
        let test: (Frame) throws -> Bool
        let body: Exec
    }

    private func ifChain(_ clauses: [ConditionalClause], _ elseBody: [Stmt]?) -> Exec {
        if clauses.count == 1 {
            let test = condition(clauses[0].condition), body = block(clauses[0].body)
            if let elseBody {
                let otherwise = block(elseBody)
                return { f in try test(f) ? try body(f) : try otherwise(f) }
            }
            return { f in try test(f) ? try body(f) : .normal }
        }
        let compiled = clauses.map { ClauseBox(test: condition($0.condition), body: block($0.body)) }
        let otherwise = block(elseBody ?? [])
        return { f in
            for clause in compiled where try clause.test(f) { return try clause.body(f) }
            return try otherwise(f)
        }
    }

    private func forLoop(_ decl: ForDecl, _ span: Span) -> Exec {
        let iterable = expression(decl.iterable), body = block(decl.body), rt = runtime
        let site = site(decl.iterable.span), loopSite = self.site(span)
        guard case .local(let slot) = decl.slot else { return { _ in .normal } }
        return { f in
            /// Runs the body once; returns the flow that must leave the loop, if any.
            @inline(__always) func step(_ value: Value) throws -> Flow? {
                f.slots[slot] = f.keep(value)
                let flow = try body(f)
                if flow == .breakLoop { return .normal }
                if flow == .returned { return .returned }
                try rt.checkCancelled(loopSite)
                return nil
            }
            switch try iterable(f) {
            case .range(let lower, let upper):
                var k = lower
                while k < upper {
                    if let exit = try step(.number(Double(k))) { return exit }
                    k += 1
                }
            case .list(let list):
                for item in list.items { if let exit = try step(item) { return exit } }
            case .matrix(let m):
                if m.rows == 1 || m.cols == 1 {
                    for x in m.elements { if let exit = try step(.number(x)) { return exit } }
                } else {
                    for i in 0..<m.rows {
                        let row = Array(m.rowElements(i))
                        if let exit = try step(.matrix(.init(uncheckedRows: 1, cols: m.cols, elements: row))) { return exit }
                    }
                }
            case .string(let s):
                for ch in s { if let exit = try step(.string(String(ch))) { return exit } }
            case let other:
                throw RuntimeFailure("cannot iterate over \(withArticle(other.typeName))",
                                     hint: other.kind == .record ? "iterate over keys(r)" : "for loops go over ranges, lists, matrices and strings", at: site)
            }
            return .normal
        }
    }

    // MARK: - Assignment

    private func assignment(_ target: Expr, _ op: AssignOperator, _ value: Expr, _ span: Span) -> Exec {
        let rhs = expression(value), site = site(span)
        let combine: ((Value, Value) throws -> Value)? = op.binary.map { binary in
            { a, b in
                if case .number(let x) = a, case .number(let y) = b { return .number(try Operators.scalar(binary, x, y, site)) }
                return try Operators.arithmetic(binary, a, b, site)
            }
        }
        switch target.kind {
        case .name(let ref):
            let set = store(ref.slot)
            guard let combine else { return { f in set(f, try rhs(f)); return .normal } }
            let get = load(ref.slot, ref.name, target.span)
            return { f in set(f, try combine(try get(f), try rhs(f))); return .normal }
        case .index(let base, let items):
            let container = expression(base), indices = indexItems(items)
            let writeBack = setter(base), targetSite = self.site(target.span)
            return { f in
                let c = try container(f), idx = try indices(f)
                var v = try rhs(f)
                if let combine { v = try combine(try Indexing.get(c, idx, targetSite), v) }
                if let updated = try Indexing.set(c, idx, v, targetSite) {
                    guard let writeBack else {
                        throw RuntimeFailure("cannot assign into a temporary matrix", hint: "store it in a variable first", at: targetSite)
                    }
                    try writeBack(f, updated)
                }
                return .normal
            }
        case .field(let base, let name, _):
            let container = expression(base), targetSite = self.site(target.span)
            return { f in
                let c = try container(f)
                var v = try rhs(f)
                if let combine { v = try combine(try Indexing.field(c, name, targetSite), v) }
                try Indexing.setField(c, name, v, targetSite)
                return .normal
            }
        default:
            return { _ in throw RuntimeFailure("cannot assign to this expression", at: site) }
        }
    }

    /// Code that stores a new value into `expr` when it is assignable (for matrices updated in place).
    private func setter(_ expr: Expr) -> ((Frame, Value) throws -> Void)? {
        switch expr.kind {
        case .name(let ref):
            let set = store(ref.slot)
            return { f, v in set(f, v) }
        case .index(let base, let items):
            let container = expression(base), indices = indexItems(items), site = site(expr.span)
            let outer = setter(base)
            return { f, v in
                if let updated = try Indexing.set(try container(f), try indices(f), v, site) {
                    guard let outer else { throw RuntimeFailure("cannot assign into a temporary matrix", at: site) }
                    try outer(f, updated)
                }
            }
        case .field(let base, let name, _):
            let container = expression(base), site = site(expr.span)
            return { f, v in try Indexing.setField(try container(f), name, v, site) }
        default:
            return nil
        }
    }

    private func indexItems(_ items: [IndexItemSyntax]) -> (Frame) throws -> [IndexArgument] {
        let code: [(Frame) throws -> IndexArgument] = items.map { item in
            switch item {
            case .single(let e):
                let eval = expression(e)
                return { f in .single(try eval(f)) }
            case .slice(let lo, let hi, _):
                let lower = lo.map(expression), upper = hi.map(expression)
                return { f in .slice(try lower?(f), try upper?(f)) }
            }
        }
        if code.count == 1 {
            let only = code[0]
            return { f in [try only(f)] }
        }
        return { f in try code.map { try $0(f) } }
    }

    // MARK: - Conditions

    private static func mustBeBool(_ value: Value, _ what: String, _ site: Site) throws -> Bool {
        guard case .bool(let b) = value else {
            throw RuntimeFailure("\(what) must be a bool, got \(value.typeName)",
                                 hint: "compare explicitly, e.g. x != 0 or len(xs) > 0", at: site)
        }
        return b
    }

    /// Compiles an expression used as a condition to code returning `Bool`.
    private func condition(_ expr: Expr) -> (Frame) throws -> Bool {
        let site = site(expr.span)
        switch expr.kind {
        case .bool(let b):
            return { _ in b }
        case .binary(let op, let lhs, let rhs) where [.less, .lessEqual, .greater, .greaterEqual].contains(op):
            let l = expression(lhs)
            if case .number(let c) = rhs.kind {
                return { f in
                    let a = try l(f)
                    if case .number(let x) = a { return Operators.ordered(op, x, c) }
                    return try Operators.compare(op, a, .number(c), site)
                }
            }
            let r = expression(rhs)
            return { f in
                let a = try l(f), b = try r(f)
                if case .number(let x) = a, case .number(let y) = b { return Operators.ordered(op, x, y) }
                return try Operators.compare(op, a, b, site)
            }
        case .binary(.equal, let lhs, let rhs), .binary(.notEqual, let lhs, let rhs):
            let l = expression(lhs), r = expression(rhs)
            let negated: Bool = if case .binary(.notEqual, _, _) = expr.kind { true } else { false }
            return { f in
                let a = try l(f), b = try r(f)
                if case .number(let x) = a, case .number(let y) = b { return (x == y) != negated }
                return try Operators.equal(a, b, at: site) != negated
            }
        case .binary(.and, let lhs, let rhs):
            let l = condition(lhs), r = condition(rhs)
            return { f in try l(f) && r(f) }
        case .binary(.or, let lhs, let rhs):
            let l = condition(lhs), r = condition(rhs)
            return { f in try l(f) || r(f) }
        case .not(let operand):
            let c = condition(operand)
            return { f in try !c(f) }
        default:
            let eval = expression(expr)
            return { f in try Compiler.mustBeBool(try eval(f), "a condition", site) }
        }
    }

    // MARK: - Expressions

    func expression(_ expr: Expr) -> Eval {
        let site = site(expr.span)
        switch expr.kind {
        case .number(let x):
            let v = Value.number(x)
            return { _ in v }
        case .string(let s):
            let v = Value.string(s)
            return { _ in v }
        case .bool(let b):
            let v = Value.bool(b)
            return { _ in v }
        case .nilLiteral:
            return { _ in .nil }
        case .interpolation(let pieces):
            // Each part's text, and the bytes of it still to charge: formatting a value charges
            // the text it writes; literal text and strings are copied as they are.
            let parts: [(Frame) throws -> (text: String, copied: Int)] = pieces.map { piece in
                switch piece {
                case .text(let t): return { _ in (t, t.utf8.count) }
                case .expression(let e):
                    let eval = expression(e)
                    return { f in
                        let value = try eval(f)
                        if case .string(let s) = value { return (s, s.utf8.count) }
                        do {
                            return (try Operators.tensor(site) { try Formatting.displayString(value) }, 0)
                        } catch let problem as ScriptError {
                            throw RuntimeFailure(problem.message, hint: problem.hint, at: site)
                        }
                    }
                }
            }
            return { f in
                let written = try parts.map { try $0(f) }
                let bytes = written.reduce(0) { $0 + $1.text.utf8.count }
                if let problem = LengthLimits.stringProblem(bytes) { throw RuntimeFailure(problem, at: site) }
                let copied = written.reduce(0) { $0 + $1.copied }
                try Operators.tensor(site) { try WorkTally.charge(copied, for: "a string of \(bytes) bytes") }
                return .string(written.map(\.text).joined())
            }
        case .name(let ref):
            return load(ref.slot, ref.name, expr.span)
        case .list(let items):
            let code = items.map(expression)
            return { f in .list(ScriptList(try code.map { try $0(f) })) }
        case .matrix(let rows):
            return matrixLiteral(rows, site)
        case .record(let fields):
            let names = fields.map(\.name), code = fields.map { expression($0.value) }
            return { f in .record(ScriptRecord(names: names, values: try code.map { try $0(f) })) }
        case .negate(let operand):
            let eval = expression(operand)
            return { f in
                let v = try eval(f)
                if case .number(let x) = v { return .number(-x) }
                return try Operators.negate(v, site)
            }
        case .not(let operand):
            let c = condition(operand)
            return { f in .bool(try !c(f)) }
        case .binary(let op, let lhs, let rhs):
            return binary(op, lhs, rhs, expr, site)
        case .range(let lhs, let rhs, let inclusive):
            let l = expression(lhs), r = expression(rhs)
            return { f in try Operators.range(try l(f), try r(f), inclusive: inclusive, site) }
        case .call(let callee, let arguments):
            return call(callee, arguments, site)
        case .index(let base, let items):
            let container = expression(base), indices = indexItems(items)
            if items.count == 1, case .single(let indexExpr) = items[0] {
                let index = expression(indexExpr)
                return { f in
                    let c = try container(f), i = try index(f)
                    if case .list(let list) = c, case .number(let x) = i, let k = Int(exactly: x), k >= 0, k < list.items.count {
                        return list.items[k]
                    }
                    return try Indexing.get(c, [.single(i)], site)
                }
            }
            return { f in try Indexing.get(try container(f), try indices(f), site) }
        case .field(let base, let name, _):
            let container = expression(base)
            return { f in try Indexing.field(try container(f), name, site) }
        case .transpose(let operand):
            let eval = expression(operand)
            return { f in try Operators.transpose(try eval(f), site) }
        case .function(let decl):
            let code = function(decl)
            return { f in .function(ScriptFunction(code: code, captured: f)) }
        }
    }

    private func matrixLiteral(_ rows: [[Expr]], _ site: Site) -> Eval {
        let code = rows.map { $0.map(expression) }
        let cols = rows.first?.count ?? 0
        return { f in
            var elements: [Double] = []
            elements.reserveCapacity(code.count * cols)
            for row in code {
                for element in row {
                    let v = try element(f)
                    guard case .number(let x) = v else {
                        throw RuntimeFailure("matrix literal elements must be numbers, got \(v.typeName)", at: site)
                    }
                    elements.append(x)
                }
            }
            return .matrix(.init(uncheckedRows: code.count, cols: cols, elements: elements))
        }
    }

    private func binary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, _ expr: Expr, _ site: Site) -> Eval {
        switch op {
        case .less, .lessEqual, .greater, .greaterEqual:
            return orderingValue(op, lhs, rhs, site)
        case .and, .or, .equal, .notEqual:
            let c = condition(expr)
            return { f in .bool(try c(f)) }
        default:
            break
        }
        let l = expression(lhs)
        if case .number(let c) = rhs.kind, op != .matrixProduct {
            switch op {
            case .add: return { f in
                let a = try l(f)
                if case .number(let x) = a { return .number(x + c) }
                return try Operators.arithmetic(op, a, .number(c), site)
            }
            case .subtract: return { f in
                let a = try l(f)
                if case .number(let x) = a { return .number(x - c) }
                return try Operators.arithmetic(op, a, .number(c), site)
            }
            case .multiply: return { f in
                let a = try l(f)
                if case .number(let x) = a { return .number(x * c) }
                return try Operators.arithmetic(op, a, .number(c), site)
            }
            default: break
            }
        }
        let r = expression(rhs)
        switch op {
        case .add: return { f in
            let a = try l(f), b = try r(f)
            if case .number(let x) = a, case .number(let y) = b { return .number(x + y) }
            return try Operators.arithmetic(op, a, b, site)
        }
        case .subtract: return { f in
            let a = try l(f), b = try r(f)
            if case .number(let x) = a, case .number(let y) = b { return .number(x - y) }
            return try Operators.arithmetic(op, a, b, site)
        }
        case .multiply: return { f in
            let a = try l(f), b = try r(f)
            if case .number(let x) = a, case .number(let y) = b { return .number(x * y) }
            return try Operators.arithmetic(op, a, b, site)
        }
        default: return { f in
            let a = try l(f), b = try r(f)
            if case .number(let x) = a, case .number(let y) = b, op != .matrixProduct {
                return .number(try Operators.scalar(op, x, y, site))
            }
            return try Operators.arithmetic(op, a, b, site)
        }
        }
    }
}
