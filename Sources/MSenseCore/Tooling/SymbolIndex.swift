/// Where every name of one file is declared and used, and which names each place can see: what
/// an editor needs for go to definition, rename, hover, completion and highlighting.
///
/// Built from the parser's tree (also the partial tree of a file with syntax errors) by a walk
/// that follows the resolver's scoping rules: top-level functions and lets are globals visible
/// everywhere (functions from the start, lets from their statement on, at top level); a
/// function's parameters and a block's lets, functions and `for` variable are visible from
/// their declaration to the end of their block; a name refers to the innermost such
/// declaration. Names found nowhere are builtins, or globals of an imported file
/// (`WorkspaceIndex` looks there), or undefined.
struct SymbolIndex {
    enum SymbolKind: Equatable {
        case variable, function, parameter, loopVariable
    }

    /// What a `let` was initialised with, when that tells the value's kind: a call of a named
    /// function (`let run = gd(…)`) or a field (`let t = run.trace`).
    enum Origin: Equatable {
        case call(String)
        case field(String)
    }

    struct Symbol {
        let name: String
        let kind: SymbolKind
        let nameSpan: Span
        /// The whole declaring statement (or function literal, parameter, loop header).
        let declarationSpan: Span
        /// Whether it is a global of the file (top-level function or let).
        let isGlobal: Bool
        /// Parameter names and default texts, for functions.
        var parameters: [(name: String, defaultText: String?)] = []
        var origin: Origin?
        /// For a parameter: the function it belongs to (a named function, or the variable a
        /// function literal is bound to), whose calls may pass it by name.
        var owner: Int?
    }

    /// A named argument `label: value` of a call whose callee is a name.
    struct NamedArgument {
        let label: String
        let span: Span
        /// The symbol the callee's name refers to; nil for a builtin, imported or undefined name.
        let callee: Int?
    }

    struct Reference {
        let span: Span
        let name: String
        /// Index into `symbols`, or nil for a builtin, an imported or an undefined name.
        let symbol: Int?
    }

    /// A region of the file where some names are visible.
    struct Scope {
        let parent: Int?
        let extent: Span
        /// Symbols declared in this scope, visible from the offset given on.
        var names: [(symbol: Int, from: Int)] = []
        /// The entries of `names` by name, in declaration order (so a lookup reads only its own name's).
        var byName: [String: [(symbol: Int, from: Int)]] = [:]
        let isFunction: Bool
    }

    let file: SourceFile
    private(set) var symbols: [Symbol] = []
    private(set) var references: [Reference] = []
    private(set) var scopes: [Scope] = []
    /// Import paths as written, with the span of the path string.
    private(set) var imports: [(path: String, span: Span)] = []
    /// `label:` spans of named arguments, and `.name` spans of fields (for highlighting).
    private(set) var argumentLabels: [Span] = []
    private(set) var fieldNames: [Span] = []
    /// Named arguments of calls of named callees: how a parameter is used at a call site.
    private(set) var namedArguments: [NamedArgument] = []

    /// The parameter symbol declared at each parameter name's offset (to give it its owner).
    private var parameterAt: [Int: Int] = [:]
    /// The first global symbol of each name (a later top-level `let` of it assigns that global).
    private var firstGlobal: [String: Int] = [:]
    /// The hoisted top-level function declared at each name's offset.
    private var hoistedAt: [Int: Int] = [:]

    /// Closing offset of the block opened by the `{` token starting at each offset.
    private let blockEnds: [Int: Int]
    private let braceStarts: [Int]
    private var current = 0

    /// Indexes `statements`, the tree of `file` lexed as `tokens`. Call on a big stack.
    init(file: SourceFile, tokens: [Token], statements: [Stmt]) {
        self.file = file
        var ends: [Int: Int] = [:], open: [Int] = [], starts: [Int] = []
        for token in tokens {
            if token.kind == .leftBrace { open.append(token.span.start); starts.append(token.span.start) }
            if token.kind == .rightBrace, let start = open.popLast() { ends[start] = token.span.end }
        }
        for start in open { ends[start] = file.bytes.count }
        blockEnds = ends
        braceStarts = starts
        scopes = [Scope(parent: nil, extent: Span(start: 0, end: file.bytes.count), isFunction: false)]
        hoistGlobals(statements)
        walk(statements, topLevel: true)
    }

    // MARK: - Queries

    /// The innermost scope containing `offset`.
    func scope(at offset: Int) -> Int {
        var best = 0
        for (i, scope) in scopes.enumerated()
        where scope.extent.start <= offset && offset <= scope.extent.end && scope.extent.end - scope.extent.start
            <= scopes[best].extent.end - scopes[best].extent.start {
            best = i
        }
        return best
    }

    /// The symbols visible at `offset`, innermost first, one per name.
    func visibleSymbols(at offset: Int) -> [Int] {
        var seen = Set<String>(), result: [Int] = []
        var current: Int? = scope(at: offset)
        var insideFunction = false
        while let s = current {
            let scope = scopes[s]
            insideFunction = insideFunction || scope.isFunction
            for entry in scope.names.reversed() {
                let symbol = symbols[entry.symbol]
                let visible = entry.from <= offset || (s == 0 && insideFunction)
                if visible, seen.insert(symbol.name).inserted { result.append(entry.symbol) }
            }
            current = scope.parent
        }
        return result
    }

    /// The symbol declared at or referred to by the name covering `offset`; a named argument's
    /// label refers to the parameter of that name of the called function.
    func symbol(at offset: Int) -> Int? {
        if let i = symbols.firstIndex(where: { $0.nameSpan.start <= offset && offset <= $0.nameSpan.end }) { return i }
        if let argument = namedArguments.first(where: { $0.span.start <= offset && offset <= $0.span.end }) {
            return parameter(named: argument.label, of: argument.callee)
        }
        return reference(at: offset)?.symbol
    }

    /// The parameter `name` of the function symbol `function`.
    func parameter(named name: String, of function: Int?) -> Int? {
        guard let function else { return nil }
        return symbols.firstIndex { $0.kind == .parameter && $0.owner == function && $0.name == name }
    }

    /// The labels of the named arguments that pass parameter `index` at calls of its function.
    func labels(of index: Int) -> [Span] {
        let symbol = symbols[index]
        guard symbol.kind == .parameter, let owner = symbol.owner else { return [] }
        return namedArguments.filter { $0.callee == owner && $0.label == symbol.name }.map(\.span)
    }

    /// The reference covering `offset`.
    func reference(at offset: Int) -> Reference? {
        references.first { $0.span.start <= offset && offset <= $0.span.end }
    }

    /// Every use of symbol `index`.
    func uses(of index: Int) -> [Span] {
        references.filter { $0.symbol == index }.map(\.span)
    }

    /// The uses of `name` where no declaration of this file is visible, in source order: all
    /// refer to one thing (a global of an imported file, a builtin, or nothing).
    func undeclaredUses(of name: String) -> [Span] {
        references.filter { $0.symbol == nil && $0.name == name }.map(\.span).sorted { $0.start < $1.start }
    }

    // MARK: - Walk

    private mutating func declare(_ symbol: Symbol, from offset: Int) -> Int {
        let index = symbols.count
        symbols.append(symbol)
        scopes[current].names.append((index, offset))
        scopes[current].byName[symbol.name, default: []].append((index, offset))
        if symbol.isGlobal, firstGlobal[symbol.name] == nil { firstGlobal[symbol.name] = index }
        return index
    }

    private mutating func inScope(_ extent: Span, function: Bool = false, _ body: (inout SymbolIndex) -> Void) {
        let outer = current
        scopes.append(Scope(parent: outer, extent: extent, isFunction: function))
        current = scopes.count - 1
        body(&self)
        current = outer
    }

    /// The extent of the block whose `{` is the first at or after `offset`.
    private func block(after offset: Int, until end: Int) -> Span {
        var lo = 0, hi = braceStarts.count  // the first brace at or after `offset` (they are in source order)
        while lo < hi {
            let mid = (lo + hi) / 2
            if braceStarts[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        guard lo < braceStarts.count, case let start = braceStarts[lo], start <= end,
              let close = blockEnds[start] else { return Span(start: offset, end: end) }
        return Span(start: start, end: close)
    }

    /// Top-level functions are visible from the start of the file, as the resolver hoists them.
    private mutating func hoistGlobals(_ statements: [Stmt]) {
        for statement in statements {
            guard case .function(let decl) = statement.kind, let name = decl.name else { continue }
            var symbol = Symbol(name: name, kind: .function, nameSpan: decl.nameSpan, declarationSpan: statement.span, isGlobal: true)
            symbol.parameters = parameters(of: decl)
            let index = declare(symbol, from: 0)
            if hoistedAt[decl.nameSpan.start] == nil { hoistedAt[decl.nameSpan.start] = index }
        }
    }

    private func parameters(of decl: FunctionDecl) -> [(name: String, defaultText: String?)] {
        decl.parameters.map { ($0.name, $0.defaultValue.map { file.text($0.span) }) }
    }

    private mutating func walk(_ statements: [Stmt], topLevel: Bool = false) {
        for statement in statements { walk(statement, topLevel: topLevel) }
    }

    private mutating func walk(_ statement: Stmt, topLevel: Bool) {
        switch statement.kind {
        case .letBinding(let decl):
            walk(decl.value)
            var symbol = Symbol(name: decl.name, kind: .variable, nameSpan: decl.nameSpan,
                                declarationSpan: statement.span, isGlobal: topLevel && current == 0)
            switch decl.value.kind {
            case .call(let callee, _): if case .name(let ref) = callee.kind { symbol.origin = .call(ref.name) }
            case .field(_, let name, _): symbol.origin = .field(name)
            default: break
            }
            let bound: Int
            if symbol.isGlobal, let existing = firstGlobal[decl.name] {
                // A second top-level `let` of a name assigns the same global.
                references.append(Reference(span: decl.nameSpan, name: decl.name, symbol: existing))
                bound = existing
            } else {
                bound = declare(symbol, from: statement.span.end)
            }
            if case .function(let literal) = decl.value.kind { own(literal.parameters, by: bound) }
        case .function(let decl):
            var function: Int?
            if !(topLevel && current == 0), let name = decl.name {
                var symbol = Symbol(name: name, kind: .function, nameSpan: decl.nameSpan, declarationSpan: statement.span, isGlobal: false)
                symbol.parameters = parameters(of: decl)
                function = declare(symbol, from: statement.span.start)
            } else {
                function = hoistedAt[decl.nameSpan.start].flatMap { symbols[$0].nameSpan == decl.nameSpan ? $0 : nil }
            }
            walkFunction(decl, statement.span)
            if let function { own(decl.parameters, by: function) }
        case .assign(let target, _, let value):
            walk(value)
            walk(target)
        case .ifChain(let clauses, let elseBody):
            var after = statement.span.start
            for clause in clauses {
                walk(clause.condition)
                let extent = block(after: clause.condition.span.end, until: statement.span.end)
                inScope(extent) { $0.walk(clause.body) }
                after = extent.end
            }
            if let elseBody {
                inScope(block(after: after, until: statement.span.end)) { $0.walk(elseBody) }
            }
        case .forLoop(let decl):
            walk(decl.iterable)
            inScope(block(after: decl.iterable.span.end, until: statement.span.end)) { index in
                let symbol = Symbol(name: decl.name, kind: .loopVariable, nameSpan: decl.nameSpan,
                                    declarationSpan: Span(start: statement.span.start, end: decl.iterable.span.end), isGlobal: false)
                _ = index.declare(symbol, from: index.scopes[index.current].extent.start)
                index.walk(decl.body)
            }
        case .whileLoop(let condition, let body):
            walk(condition)
            inScope(block(after: condition.span.end, until: statement.span.end)) { $0.walk(body) }
        case .tryCatch(let decl):
            inScope(block(after: statement.span.start, until: decl.nameSpan.start)) { $0.walk(decl.body) }
            inScope(block(after: decl.nameSpan.end, until: statement.span.end)) { index in
                let symbol = Symbol(name: decl.name, kind: .variable, nameSpan: decl.nameSpan,
                                    declarationSpan: decl.nameSpan, isGlobal: false)
                _ = index.declare(symbol, from: index.scopes[index.current].extent.start)
                index.walk(decl.handler)
            }
        case .breakLoop, .continueLoop:
            break
        case .returnValue(let value):
            if let value { walk(value) }
        case .importFile(let decl):
            imports.append((decl.path, decl.pathSpan))
        case .expression(let expr):
            walk(expr)
        }
    }

    private mutating func walkFunction(_ decl: FunctionDecl, _ span: Span) {
        inScope(span, function: true) { index in
            for parameter in decl.parameters {
                if let value = parameter.defaultValue { index.walk(value) }
                let symbol = Symbol(name: parameter.name, kind: .parameter, nameSpan: parameter.span,
                                    declarationSpan: parameter.span, isGlobal: false)
                index.parameterAt[parameter.span.start] = index.declare(symbol, from: parameter.span.start)
            }
            switch decl.body {
            case .block(let body): index.walk(body)
            case .expression(let expr): index.walk(expr)
            }
        }
    }

    /// Marks the parameter symbols declared for `parameters` as those of function symbol `function`.
    private mutating func own(_ parameters: [ParameterDecl], by function: Int) {
        for parameter in parameters {
            if let i = parameterAt[parameter.span.start] { symbols[i].owner = function }
        }
    }

    /// The innermost visible declaration of `name` at `offset`.
    private func lookup(_ name: String, at offset: Int) -> Int? {
        var scope: Int? = current
        while let s = scope {
            if let entry = scopes[s].byName[name]?.last(where: { $0.from <= offset || s == 0 }) {
                return entry.symbol
            }
            scope = scopes[s].parent
        }
        return nil
    }

    private mutating func walk(_ expr: Expr) {
        switch expr.kind {
        case .number, .string, .bool, .nilLiteral:
            break
        case .interpolation(let pieces):
            for case .expression(let e) in pieces { walk(e) }
        case .name(let ref):
            references.append(Reference(span: expr.span, name: ref.name, symbol: lookup(ref.name, at: expr.span.start)))
        case .list(let items):
            for item in items { walk(item) }
        case .matrix(let rows):
            for item in rows.joined() { walk(item) }
        case .record(let fields):
            for field in fields {
                argumentLabels.append(field.nameSpan)
                walk(field.value)
            }
        case .negate(let e), .not(let e), .transpose(let e):
            walk(e)
        case .field(let e, _, let nameSpan):
            walk(e)
            fieldNames.append(nameSpan)
        case .binary(_, let a, let b), .range(let a, let b, _):
            walk(a)
            walk(b)
        case .call(let callee, let arguments):
            walk(callee)
            var calleeSymbol: Int?
            if case .name = callee.kind { calleeSymbol = references.last?.symbol }
            for argument in arguments {
                if let label = argument.labelSpan {
                    argumentLabels.append(label)
                    if let name = argument.label { namedArguments.append(NamedArgument(label: name, span: label, callee: calleeSymbol)) }
                }
                walk(argument.value)
            }
        case .index(let base, let items):
            walk(base)
            for item in items {
                switch item {
                case .single(let e): walk(e)
                case .slice(let lo, let hi, _):
                    if let lo { walk(lo) }
                    if let hi { walk(hi) }
                }
            }
        case .function(let decl):
            walkFunction(decl, expr.span)
        }
    }
}
