import Tensor

/// Recursive-descent parser following grammar/msense.ebnf production by production: the
/// function for production `xxx` is `parseXxx` (a test checks the correspondence).
///
/// Error recovery: a syntax error inside a statement is recorded and the parser skips to the
/// next statement boundary (newline or `;` outside brackets), so one run reports several
/// errors. Nesting deeper than `maxNesting` levels (every recursive production goes through
/// `nested`), or expressions higher than `maxHeight`, stop the parse with one error instead of
/// exhausting the stack.
final class Parser {
    /// Deepest nesting of brackets, blocks, `=>` bodies, interpolations and prefix operators accepted.
    static let maxNesting = 1000
    /// The error and hint for nesting deeper than `maxNesting` (also the lexer's, for strings
    /// nested in interpolations).
    static let tooDeepMessage = "nesting is too deep (more than \(maxNesting) levels of brackets, blocks, function bodies, interpolations or prefix operators)"
    static let tooDeepHint = "give inner parts names of their own: a variable for an inner expression, a function for an inner block"
    /// Highest expression tree accepted (long operator chains count one level per operator).
    static let maxHeight = 2000
    /// At most this many syntax errors are reported per file.
    static let maxErrors = 50

    private struct SyntaxError: Error {
        let diagnostic: Diagnostic
    }

    /// Unwinds the constructs a stopped parse (`fatal`) was inside: the error that stopped it
    /// is recorded already, and an unfinished block has nothing to add.
    private struct Abandoned: Error {}

    private let file: SourceFile
    private var tokens: [Token]
    private var index = 0
    /// Whether newlines are significant (statement level) or skipped (inside brackets).
    private var newlineSignificant: [Bool] = [true]
    /// True while parsing the condition of if/while or the iterable of for, where `{` starts the block.
    private var noRecordLiteral = false
    private var nesting: Int
    /// The open brackets `(`, `[`, `{` around the current token, innermost last, so that a
    /// missing closing bracket's error can point at the one left open.
    private var openBrackets: [(kind: TokenKind, span: Span)] = []
    private var fatal = false
    /// Whether the tokens are the code of one `\( … )`, whose end is the `)`, not the file's.
    private let inInterpolation: Bool
    private(set) var diagnostics: [Diagnostic] = []

    /// A parser over the tokens of `file` (or of one interpolation in it).
    init(file: SourceFile, tokens: [Token], nesting: Int = 0, inInterpolation: Bool = false) {
        self.file = file
        self.tokens = tokens
        self.nesting = nesting
        self.inInterpolation = inInterpolation
    }

    /// Lexes and parses a whole file; diagnostics hold every lexical and syntax error.
    static func parse(_ file: SourceFile) -> ParsedFile {
        var lexer = Lexer(file: file)
        let tokens = lexer.run()
        return parse(file, tokens: tokens, lexical: lexer.diagnostics)
    }

    /// Parses the `tokens` of a whole file that its caller has lexed (an editor keeps the tokens
    /// for highlighting); `lexical` holds the lexer's diagnostics.
    static func parse(_ file: SourceFile, tokens: [Token], lexical: [Diagnostic]) -> ParsedFile {
        let parser = Parser(file: file, tokens: tokens)
        let statements = parser.parseProgram()
        let all = (lexical + parser.diagnostics).sorted { $0.span.lowerBound < $1.span.lowerBound }
        return ParsedFile(statements: statements, diagnostics: all)
    }

    // MARK: - Token access

    private var current: Token {
        if newlineSignificant.last == false {
            while index < tokens.count - 1, tokens[index].kind == .newline { index += 1 }
        }
        return tokens[index]
    }

    private func at(_ kind: TokenKind) -> Bool { current.kind == kind }

    @discardableResult
    private func advance() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func accept(_ kind: TokenKind) -> Bool {
        if at(kind) { advance(); return true }
        return false
    }

    /// Consumes a token of `kind`, or fails with "expected `what`". The message is built only
    /// when it is reported: placing a line costs a search, and parses of well-formed scripts
    /// must not pay for messages they never show.
    @discardableResult
    private func expect(_ kind: TokenKind, _ what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil) throws -> Token {
        guard at(kind) else {
            throw error("expected \(what()), found \(describe(current))", current.span, hint: hint() ?? unclosedBracketHint(kind), found: current)
        }
        return advance()
    }

    /// For a missing closing bracket: where the innermost open bracket is, e.g. `close the '['
    /// opened at line 1, column 9`, or for a `{` the inner block that indentation says was left
    /// open (``MisindentedBrace``); nil for any other token.
    private func unclosedBracketHint(_ kind: TokenKind) -> String? {
        guard [.rightParen, .rightBracket, .rightBrace].contains(kind), let open = openBrackets.last else { return nil }
        if open.kind == .leftBrace,
           let guess = MisindentedBrace.find(in: file, tokens: tokens, openIndex: tokenIndex(at: open.span.start), endIndex: index) {
            let at = file.location(of: guess.open.start)
            return "the '{' at line \(at.line), column \(at.column) may be the one left open: "
                + "the '}' on line \(file.line(of: guess.close.start)) closes it but is indented like line \(guess.enclosingLine)"
        }
        let at = file.location(of: open.span.start)
        let bracket = switch open.kind { case .leftParen: "("; case .leftBracket: "["; default: "{" }
        return "close the '\(bracket)' opened at line \(at.line), column \(at.column)"
    }

    /// Index of the first token starting at or after byte `offset`.
    private func tokenIndex(at offset: Int) -> Int {
        var lo = 0, hi = tokens.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if tokens[mid].span.start < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Skips newlines where a construct obviously continues (after an operator, comma, `=`…).
    private func skipNewlines() {
        while tokens[index].kind == .newline, index < tokens.count - 1 { index += 1 }
    }

    /// A syntax error; when it is about the token `found` and that is the end of the file, it is
    /// identified as ``DiagnosticID/unexpectedEnd`` (more input could complete the source; more
    /// input cannot complete an interpolation, which ends at its `)`).
    private func error(_ message: String, _ span: Span, hint: String? = nil, found: Token? = nil) -> SyntaxError {
        SyntaxError(diagnostic: Diagnostic(file: file, span: span, message: message, hint: hint,
                                           id: found?.kind == .end && !inInterpolation ? .unexpectedEnd : .syntax))
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: return inInterpolation ? "the end of the interpolation \\( … )" : "the end of the file"
        case .newline: return "the end of the line"
        case .number: return "number '\(file.text(token.span))'"
        case .string: return "a string"
        case .identifier: return "name '\(token.text)'"
        default:
            let text = file.text(token.span)
            return TokenKind.keywords[text] != nil ? "keyword '\(text)'" : "'\(text)'"
        }
    }

    /// Runs `body` one nesting level deeper, refusing to go past `maxNesting`; `bracket` is the
    /// kind of the open bracket at `span` that starts the level (`(`, `[` or `{`), nil for a
    /// prefix operator.
    private func nested<T>(_ span: Span, bracket: TokenKind? = nil, _ body: () throws -> T) throws -> T {
        nesting += 1
        if let bracket { openBrackets.append((bracket, span)) }
        defer {
            nesting -= 1
            if bracket != nil { openBrackets.removeLast() }
        }
        guard nesting <= Parser.maxNesting else {
            fatal = true
            throw error(Parser.tooDeepMessage, span, hint: Parser.tooDeepHint)
        }
        return try body()
    }

    /// Runs `body` with newlines significant or not, restoring the previous mode afterwards.
    private func withNewlines<T>(significant: Bool, _ body: () throws -> T) rethrows -> T {
        let savedRecord = noRecordLiteral
        newlineSignificant.append(significant)
        noRecordLiteral = false
        defer {
            newlineSignificant.removeLast()
            noRecordLiteral = savedRecord
        }
        return try body()
    }

    /// Makes an expression node, computing its height and refusing trees that are too high.
    private func node(_ kind: ExprKind, _ span: Span) throws -> Expr {
        let height = 1 + Parser.childHeight(kind)
        guard height <= Parser.maxHeight else {
            fatal = true
            throw error("expression is too deeply nested (more than \(Parser.maxHeight) levels; each operator of a chain such as a + b + c is one)", span,
                        hint: "split the expression into several statements, e.g. sum a long chain in parts")
        }
        return Expr(kind, span, height: height)
    }

    private static func childHeight(_ kind: ExprKind) -> Int {
        switch kind {
        case .number, .string, .bool, .nilLiteral, .name: return 0
        case .interpolation(let pieces):
            return pieces.reduce(0) { if case .expression(let e) = $1 { max($0, e.height) } else { $0 } }
        case .list(let items): return items.reduce(0) { max($0, $1.height) }
        case .matrix(let rows): return rows.joined().reduce(0) { max($0, $1.height) }
        case .record(let fields): return fields.reduce(0) { max($0, $1.value.height) }
        case .negate(let e), .not(let e), .transpose(let e), .field(let e, _, _): return e.height
        case .binary(_, let a, let b), .range(let a, let b, _): return max(a.height, b.height)
        case .call(let callee, let args): return args.reduce(callee.height) { max($0, $1.value.height) }
        case .index(let base, let items):
            return items.reduce(base.height) {
                switch $1 {
                case .single(let e): max($0, e.height)
                case .slice(let lo, let hi, _): max($0, lo?.height ?? 0, hi?.height ?? 0)
                }
            }
        case .function(let decl):
            let defaults = decl.parameters.reduce(0) { max($0, $1.defaultValue?.height ?? 0) }
            switch decl.body {
            case .expression(let e): return max(defaults, e.height)
            case .block(let body): return max(defaults, blockHeight(body))
            }
        }
    }

    /// Expression height of a block: its statements' expressions, nested blocks one level higher.
    private static func blockHeight(_ body: [Stmt]) -> Int {
        var h = 0
        for s in body {
            switch s.kind {
            case .letBinding(let d): h = max(h, d.value.height)
            case .function(let d): h = max(h, 1 + childHeight(.function(d)))
            case .assign(let t, _, let v): h = max(h, t.height, v.height)
            case .ifChain(let clauses, let elseBody):
                for c in clauses { h = max(h, c.condition.height, 1 + blockHeight(c.body)) }
                if let e = elseBody { h = max(h, 1 + blockHeight(e)) }
            case .forLoop(let d): h = max(h, d.iterable.height, 1 + blockHeight(d.body))
            case .whileLoop(let c, let b): h = max(h, c.height, 1 + blockHeight(b))
            case .tryCatch(let d): h = max(h, 1 + blockHeight(d.body), 1 + blockHeight(d.handler))
            case .returnValue(let e): h = max(h, e?.height ?? 0)
            case .expression(let e): h = max(h, e.height)
            case .breakLoop, .continueLoop, .importFile: break
            }
        }
        return h
    }

    // MARK: - Statements

    /// program = { separator } { statement terminator } EOF
    func parseProgram() -> [Stmt] {
        while parseSeparator() {}
        let statements = statementList(untilBrace: false)
        return statements
    }

    /// Statements with error recovery, until `}` (inside a block) or the end of the file.
    private func statementList(untilBrace: Bool) -> [Stmt] {
        var statements: [Stmt] = []
        while !fatal, !at(.end), !(untilBrace && at(.rightBrace)) {
            let before = index
            do {
                let statement = try parseStatement()
                statements.append(statement)
                if !Parser.endsWithBlock(statement) || !(tokens[max(0, index - 1)].kind == .rightBrace) {
                    try parseTerminator()
                }
            } catch let e as SyntaxError {
                if !followsUnterminatedString(from: before) { record(e) }
                synchronize(untilBrace: untilBrace)
                if index == before, !at(.end) { advance() }
            } catch {}
            while parseSeparator() {}
        }
        return statements
    }

    /// Whether a string the lexer reported as unterminated lies between token `start` and the
    /// current one: an error there follows from it (the string took the rest of its line, the
    /// closing brackets with it), and the lexer's error says what to fix.
    private func followsUnterminatedString(from start: Int) -> Bool {
        tokens[min(start, index)...index].contains { $0.unterminated }
    }

    private func record(_ e: SyntaxError) {
        record(e.diagnostic)
    }

    private func record(_ diagnostic: Diagnostic) {
        if diagnostics.count < Parser.maxErrors { diagnostics.append(diagnostic) } else { fatal = true }
    }

    /// Skips tokens up to the next statement boundary at bracket depth 0.
    ///
    /// The newline mode is left alone: the `withNewlines` frames the error unwound through have
    /// already restored it to this statement list's (resetting it here would empty the stack of
    /// an enclosing block: `Tests/Scripts/errors/syntax/fuzz_block_in_call.msense`).
    ///
    /// An error found at a keyword that can only begin a statement, first on its line, leaves
    /// that statement to be parsed: after `let x = (1 +` the `let` on the next line is where the
    /// error shows, and the statement it begins gets its own diagnostics instead of being skipped.
    private func synchronize(untilBrace: Bool) {
        noRecordLiteral = false
        if index > 0, tokens[index - 1].kind == .newline, beginsOnlyStatements(at: index) { return }
        var depth = 0
        while !at(.end) {
            switch tokens[index].kind {
            case .newline, .semicolon:
                if depth == 0 { return }
            case .leftParen, .leftBracket, .leftBrace: depth += 1
            case .rightParen, .rightBracket: depth = max(0, depth - 1)
            case .rightBrace:
                if depth == 0 {
                    if untilBrace { return }
                } else { depth -= 1 }
            default: break
            }
            index += 1
        }
    }

    /// Whether the token at `i` can only begin a statement, never continue an expression: a
    /// statement keyword, or `fn` followed by a name (`fn (x) { … }` is a function literal).
    private func beginsOnlyStatements(at i: Int) -> Bool {
        switch tokens[i].kind {
        case .kwLet, .kwReturn, .kwFor, .kwWhile, .kwBreak, .kwContinue, .kwImport, .kwTry: return true
        case .kwFn: return i + 1 < tokens.count && tokens[i + 1].kind == .identifier
        default: return false
        }
    }

    /// Whether a statement ends with a block, after which the next statement may follow on the
    /// same line without a separator (`if x < 0 { return 0 } return x`).
    private static func endsWithBlock(_ statement: Stmt) -> Bool {
        switch statement.kind {
        case .ifChain, .forLoop, .whileLoop, .tryCatch: return true
        case .function(let decl): if case .block = decl.body { return true } else { return false }
        default: return false
        }
    }

    /// separator = NEWLINE | ";"  (consumes one; false when there is none)
    private func parseSeparator() -> Bool {
        let kind = tokens[index].kind
        if kind == .newline || kind == .semicolon { index += 1; return true }
        return false
    }

    /// terminator = separator { separator } | (before) "}" | EOF
    private func parseTerminator() throws {
        if parseSeparator() {
            while parseSeparator() {}
            return
        }
        if at(.rightBrace) || at(.end) { return }
        throw error("expected a newline or ';' after the statement, found \(describe(current))", current.span, found: current)
    }

    /// The advice for `if x = 3 {`: a comparison written with `=`.
    private static let comparisonHint = "to compare, write '==' ('=' assigns)"

    /// block = "{" { separator } { statement terminator } "}"
    ///
    /// `equalHint` is the advice when a `=` stands where the block should start (after a
    /// condition: a comparison written `=`; after a function's parameters: `=` for `=>`).
    private func parseBlock(equalHint: String? = nil) throws -> [Stmt] {
        let open = try expect(.leftBrace, "'{' to start a block", hint: at(.equal) ? equalHint : nil)
        return try nested(open.span, bracket: .leftBrace) {
            try withNewlines(significant: true) {
                while parseSeparator() {}
                let body = statementList(untilBrace: true)
                if fatal { throw Abandoned() }
                try expect(.rightBrace, "'}' to close the block opened on line \(file.line(of: open.span.start))")
                return body
            }
        }
    }

    /// statement = letStatement | fnStatement | ifStatement | … | assignmentOrExpression
    private func parseStatement() throws -> Stmt {
        switch current.kind {
        case .kwLet: return try parseLetStatement()
        case .kwFn where tokens[index + 1].kind == .identifier: return try parseFnStatement()
        case .kwIf: return try parseIfStatement()
        case .kwFor: return try parseForStatement()
        case .kwWhile: return try parseWhileStatement()
        case .kwReturn: return try parseReturnStatement()
        case .kwBreak: return try parseBreakStatement()
        case .kwContinue: return try parseContinueStatement()
        case .kwImport: return try parseImportStatement()
        case .kwTry: return try parseTryStatement()
        case .kwElse:
            throw error("'else' without a preceding 'if' block", current.span)
        case .kwCatch:
            throw error("'catch' without a preceding 'try' block", current.span, hint: "write try { … } catch e { … }")
        default: return try parseAssignmentOrExpression()
        }
    }

    /// letStatement = "let" IDENT "=" expression
    private func parseLetStatement() throws -> Stmt {
        let start = advance().span
        let name = try expect(.identifier, "a variable name after 'let'")
        try expect(.equal, "'=' after 'let \(name.text)'", hint: "every let needs a value, e.g. let x = 0")
        skipNewlines()
        let value = try parseExpression()
        return Stmt(.letBinding(LetDecl(name: name.text, nameSpan: name.span, value: value)), start.through(value.span))
    }

    /// fnStatement = "fn" IDENT parameterList ( "=>" expression | block )
    private func parseFnStatement() throws -> Stmt {
        let start = advance().span
        let name = try expect(.identifier, "a function name")
        let parameters = try parseParameterList()
        let body: FunctionBody
        if accept(.arrow) {
            skipNewlines()
            body = .expression(try nested(start) { try parseExpression() })
        } else {
            body = .block(try parseBlock(equalHint: "a function's body is '=> expression' or a block: fn \(name.text)(…) => …"))
        }
        let decl = FunctionDecl(name: name.text, nameSpan: name.span, parameters: parameters, body: body)
        return Stmt(.function(decl), start.through(tokens[max(0, index - 1)].span))
    }

    /// parameterList = "(" [ parameter { "," parameter } [ "," ] ] ")"
    private func parseParameterList() throws -> [ParameterDecl] {
        let open = try expect(.leftParen, "'(' to start the parameter list")
        return try nested(open.span, bracket: .leftParen) {
            try withNewlines(significant: false) {
                var parameters: [ParameterDecl] = []
                while !at(.rightParen) {
                    parameters.append(try parseParameter())
                    if !accept(.comma) { break }
                }
                try expect(.rightParen, "',' or ')' in the parameter list")
                return parameters
            }
        }
    }

    /// parameter = IDENT [ "=" expression ]
    private func parseParameter() throws -> ParameterDecl {
        let name = try expect(.identifier, "a parameter name")
        var defaultValue: Expr?
        if accept(.equal) {
            skipNewlines()
            defaultValue = try parseExpression()
        }
        return ParameterDecl(name: name.text, span: name.span, defaultValue: defaultValue)
    }

    /// Parses an expression where `{` must start the following block, not a record.
    private func conditionExpression() throws -> Expr {
        let saved = noRecordLiteral
        noRecordLiteral = true
        defer { noRecordLiteral = saved }
        return try parseExpression()
    }

    /// ifStatement = "if" expression block { "else" "if" expression block } [ "else" block ]
    private func parseIfStatement() throws -> Stmt {
        let start = advance().span
        var clauses = [ConditionalClause(condition: try conditionExpression(), body: try parseBlock(equalHint: Self.comparisonHint))]
        var elseBody: [Stmt]?
        while true {
            let save = index
            skipNewlines()
            guard at(.kwElse) else { index = save; break }
            advance()
            if accept(.kwIf) {
                clauses.append(ConditionalClause(condition: try conditionExpression(), body: try parseBlock(equalHint: Self.comparisonHint)))
            } else {
                elseBody = try parseBlock()
                break
            }
        }
        return Stmt(.ifChain(clauses, elseBody: elseBody), start.through(tokens[max(0, index - 1)].span))
    }

    /// forStatement = "for" IDENT "in" expression block
    private func parseForStatement() throws -> Stmt {
        let start = advance().span
        let name = try expect(.identifier, "a loop variable name after 'for'")
        try expect(.kwIn, "'in' after the loop variable", hint: "write for x in 0..10 { … }")
        let iterable = try conditionExpression()
        let body = try parseBlock()
        let decl = ForDecl(name: name.text, nameSpan: name.span, iterable: iterable, body: body)
        return Stmt(.forLoop(decl), start.through(tokens[max(0, index - 1)].span))
    }

    /// whileStatement = "while" expression block
    private func parseWhileStatement() throws -> Stmt {
        let start = advance().span
        let condition = try conditionExpression()
        let body = try parseBlock(equalHint: Self.comparisonHint)
        return Stmt(.whileLoop(condition: condition, body: body), start.through(tokens[max(0, index - 1)].span))
    }

    /// tryStatement = "try" block "catch" IDENT block
    private func parseTryStatement() throws -> Stmt {
        let start = advance().span
        let body = try parseBlock()
        skipNewlines()
        try expect(.kwCatch, "'catch' after the try block", hint: "write try { … } catch e { … }")
        let name = try expect(.identifier, "a name for the error after 'catch'", hint: "write catch e { … }; e.message says what went wrong")
        let handler = try parseBlock()
        let decl = TryDecl(body: body, name: name.text, nameSpan: name.span, handler: handler)
        return Stmt(.tryCatch(decl), start.through(tokens[max(0, index - 1)].span))
    }

    /// returnStatement = "return" [ expression ]
    private func parseReturnStatement() throws -> Stmt {
        let start = advance().span
        switch current.kind {
        case .newline, .semicolon, .rightBrace, .end:
            return Stmt(.returnValue(nil), start)
        default:
            let value = try parseExpression()
            return Stmt(.returnValue(value), start.through(value.span))
        }
    }

    /// breakStatement = "break"
    private func parseBreakStatement() throws -> Stmt {
        Stmt(.breakLoop, advance().span)
    }

    /// continueStatement = "continue"
    private func parseContinueStatement() throws -> Stmt {
        Stmt(.continueLoop, advance().span)
    }

    /// importStatement = "import" STRING
    private func parseImportStatement() throws -> Stmt {
        let start = advance().span
        let path = try expect(.string, "a file name in double quotes after 'import'", hint: "write import \"helpers.msense\"")
        guard path.pieces.count == 1, case .text(let text) = path.pieces[0] else {
            throw error("the file name of an import cannot contain interpolation", path.span)
        }
        return Stmt(.importFile(ImportDecl(path: text, pathSpan: path.span)), start.through(path.span))
    }

    /// assignmentOrExpression = expression [ assignOperator expression ]
    private func parseAssignmentOrExpression() throws -> Stmt {
        let target = try parseExpression()
        guard let op = parseAssignOperator() else {
            return Stmt(.expression(target), target.span)
        }
        switch target.kind {
        case .name, .index, .field: break
        default:
            throw error("cannot assign to this expression", target.span,
                        hint: "the left side of = must be a name, an element xs[i] or a field r.name")
        }
        skipNewlines()
        let value = try parseExpression()
        return Stmt(.assign(target: target, op: op, value: value), target.span.through(value.span))
    }

    /// assignOperator = "=" | "+=" | "-=" | "*=" | "/="
    private func parseAssignOperator() -> AssignOperator? {
        let op: AssignOperator
        switch current.kind {
        case .equal: op = .assign
        case .plusEqual: op = .add
        case .minusEqual: op = .subtract
        case .starEqual: op = .multiply
        case .slashEqual: op = .divide
        default: return nil
        }
        advance()
        return op
    }

    // MARK: - Expressions

    /// expression = orExpression
    func parseExpression() throws -> Expr {
        try parseOrExpression()
    }

    private func binary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr) throws -> Expr {
        try node(.binary(op, lhs, rhs), lhs.span.through(rhs.span))
    }

    /// orExpression = andExpression { "or" andExpression }
    private func parseOrExpression() throws -> Expr {
        var lhs = try parseAndExpression()
        while accept(.kwOr) {
            skipNewlines()
            lhs = try binary(.or, lhs, try parseAndExpression())
        }
        return lhs
    }

    /// andExpression = notExpression { "and" notExpression }
    private func parseAndExpression() throws -> Expr {
        var lhs = try parseNotExpression()
        while accept(.kwAnd) {
            skipNewlines()
            lhs = try binary(.and, lhs, try parseNotExpression())
        }
        return lhs
    }

    /// notExpression = "not" notExpression | comparison
    private func parseNotExpression() throws -> Expr {
        guard at(.kwNot) else { return try parseComparison() }
        let start = advance().span
        return try nested(start) {
            let operand = try parseNotExpression()
            return try node(.not(operand), start.through(operand.span))
        }
    }

    /// comparison = rangeExpression [ compareOperator rangeExpression ]
    private func parseComparison() throws -> Expr {
        let lhs = try parseRangeExpression()
        guard let op = parseCompareOperator() else { return lhs }
        skipNewlines()
        let rhs = try parseRangeExpression()
        let result = try binary(op, lhs, rhs)
        if parseCompareOperator() != nil {
            throw error("comparisons cannot be chained", result.span, hint: "write a < b and b < c")
        }
        return result
    }

    /// compareOperator = "==" | "!=" | "<" | "<=" | ">" | ">="
    private func parseCompareOperator() -> BinaryOperator? {
        let op: BinaryOperator
        switch current.kind {
        case .equalEqual: op = .equal
        case .notEqual: op = .notEqual
        case .less: op = .less
        case .lessEqual: op = .lessEqual
        case .greater: op = .greater
        case .greaterEqual: op = .greaterEqual
        default: return nil
        }
        advance()
        return op
    }

    /// rangeExpression = additive [ ( ".." | "..=" ) additive ]
    private func parseRangeExpression() throws -> Expr {
        let lhs = try parseAdditive()
        let inclusive: Bool
        if accept(.dotDot) { inclusive = false } else if accept(.dotDotEqual) { inclusive = true } else { return lhs }
        skipNewlines()
        let rhs = try parseAdditive()
        return try node(.range(lhs, rhs, inclusive: inclusive), lhs.span.through(rhs.span))
    }

    /// additive = multiplicative { ( "+" | "-" ) multiplicative }
    private func parseAdditive() throws -> Expr {
        var lhs = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            if accept(.plus) { op = .add } else if accept(.minus) { op = .subtract } else { return lhs }
            skipNewlines()
            lhs = try binary(op, lhs, try parseMultiplicative())
        }
    }

    /// multiplicative = matrixProduct { ( "*" | "/" | "%" ) matrixProduct }
    private func parseMultiplicative() throws -> Expr {
        var lhs = try parseMatrixProduct()
        while true {
            let op: BinaryOperator
            if accept(.star) { op = .multiply } else if accept(.slash) { op = .divide }
            else if accept(.percent) { op = .remainder } else { return lhs }
            skipNewlines()
            lhs = try binary(op, lhs, try parseMatrixProduct())
        }
    }

    /// matrixProduct = unary { "@" unary }
    private func parseMatrixProduct() throws -> Expr {
        var lhs = try parseUnary()
        while accept(.at) {
            skipNewlines()
            lhs = try binary(.matrixProduct, lhs, try parseUnary())
        }
        return lhs
    }

    /// unary = "-" unary | power
    private func parseUnary() throws -> Expr {
        guard at(.minus) else { return try parsePower() }
        let start = advance().span
        return try nested(start) {
            let operand = try parseUnary()
            if case .number(let value) = operand.kind {
                return try node(.number(-value), start.through(operand.span))
            }
            return try node(.negate(operand), start.through(operand.span))
        }
    }

    /// power = postfix [ "^" unary ]
    private func parsePower() throws -> Expr {
        let base = try parsePostfix()
        guard at(.caret) else { return base }
        let caret = advance().span
        skipNewlines()
        return try nested(caret) {
            try binary(.power, base, try parseUnary())
        }
    }

    /// postfix = primary { callSuffix | indexSuffix | fieldSuffix | "'" }
    private func parsePostfix() throws -> Expr {
        var expr = try parsePrimary()
        while true {
            switch current.kind {
            case .leftParen: expr = try parseCallSuffix(expr)
            case .leftBracket: expr = try parseIndexSuffix(expr)
            case .dot: expr = try parseFieldSuffix(expr)
            case .quote: expr = try node(.transpose(expr), expr.span.through(advance().span))
            default: return expr
            }
        }
    }

    /// callSuffix = "(" [ argument { "," argument } [ "," ] ] ")"
    private func parseCallSuffix(_ callee: Expr) throws -> Expr {
        let open = advance().span
        return try nested(open, bracket: .leftParen) {
            try withNewlines(significant: false) {
                var arguments: [ArgumentSyntax] = []
                while !at(.rightParen) {
                    let argument = try parseArgument()
                    let more = accept(.comma)
                    // An argument followed by neither `,` nor `)` (a call still being typed:
                    // `gd(p, init: x, st`) leaves the list unclosed: that error, with the place
                    // of the `(`, comes before what the argument's order would say.
                    if !more, !at(.rightParen) { break }
                    if argument.label == nil, let last = arguments.last, last.label != nil {
                        throw error("positional argument after a named argument", argument.value.span,
                                    hint: "put positional arguments first: f(1, 2, lr: 0.1)")
                    }
                    arguments.append(argument)
                    if !more { break }
                }
                let close = try expect(.rightParen, "',' or ')' in the argument list")
                return try node(.call(callee, arguments), callee.span.through(close.span))
            }
        }
    }

    /// argument = [ IDENT ":" ] expression
    private func parseArgument() throws -> ArgumentSyntax {
        if at(.identifier), tokens[index + 1].kind == .colon {
            let label = advance()
            advance()
            skipNewlines()
            return ArgumentSyntax(label: label.text, labelSpan: label.span, value: try parseExpression())
        }
        return ArgumentSyntax(label: nil, labelSpan: nil, value: try parseExpression())
    }

    /// indexSuffix = "[" indexItem { "," indexItem } "]"
    private func parseIndexSuffix(_ base: Expr) throws -> Expr {
        let open = advance().span
        return try nested(open, bracket: .leftBracket) {
            try withNewlines(significant: false) {
                var items = [try parseIndexItem()]
                while accept(.comma) { items.append(try parseIndexItem()) }
                let close = try expect(.rightBracket, "',' or ']' after the index",
                                       hint: at(.colon) ? "a slice has no step: xs[a:b] is items a to b − 1; every k-th is xs[range(a, b, k)]" : nil)
                return try node(.index(base, items), base.span.through(close.span))
            }
        }
    }

    /// indexItem = expression | [ expression ] ":" [ expression ]
    private func parseIndexItem() throws -> IndexItemSyntax {
        let start = current.span
        var lower: Expr?
        if !at(.colon) {
            let expr = try parseExpression()
            guard at(.colon) else { return .single(expr) }
            lower = expr
        }
        let colon = advance().span
        var upper: Expr?
        if !at(.comma), !at(.rightBracket) { upper = try parseExpression() }
        return .slice(lower: lower, upper: upper, span: start.through(upper?.span ?? colon))
    }

    /// fieldSuffix = "." IDENT
    private func parseFieldSuffix(_ base: Expr) throws -> Expr {
        advance()
        let name = try expect(.identifier, "a field name after '.'")
        return try node(.field(base, name: name.text, nameSpan: name.span), base.span.through(name.span))
    }

    /// primary = NUMBER | STRING | "true" | "false" | "nil" | IDENT | "(" expression ")"
    ///         | bracketLiteral | recordLiteral | functionLiteral
    private func parsePrimary() throws -> Expr {
        let token = current
        switch token.kind {
        case .number: advance(); return try node(.number(token.number), token.span)
        case .string: advance(); return try stringExpression(token)
        case .kwTrue: advance(); return try node(.bool(true), token.span)
        case .kwFalse: advance(); return try node(.bool(false), token.span)
        case .kwNil: advance(); return try node(.nilLiteral, token.span)
        case .identifier: advance(); return try node(.name(NameReference(token.text)), token.span)
        case .leftParen:
            advance()
            return try nested(token.span, bracket: .leftParen) {
                try withNewlines(significant: false) {
                    let inner = try parseExpression()
                    try expect(.rightParen, "')'")
                    return inner
                }
            }
        case .leftBracket: return try parseBracketLiteral()
        case .leftBrace where !noRecordLiteral: return try parseRecordLiteral()
        case .kwFn: return try parseFunctionLiteral()
        case .leftBrace:
            throw error("expected an expression before the block", token.span,
                        hint: "put a record literal in a condition in parentheses: ({a: 1})")
        default:
            throw error("expected an expression, found \(describe(token))", token.span,
                        hint: doubledOperatorHint(token) ?? comprehensionHint(token), found: token)
        }
    }

    /// Python's `**` and `//` parse as `*` (or `/`) followed by a second one where an expression
    /// belongs; the hint gives msense's spelling.
    private func doubledOperatorHint(_ token: Token) -> String? {
        guard token.kind == .star || token.kind == .slash,
              file.text(Span(start: token.span.start - 1, end: token.span.start)) == file.text(token.span) else { return nil }
        return token.kind == .star ? "msense writes powers with ^: x ^ 2 is Python's x ** 2" : "msense has no //: floor(a / b) is Python's a // b"
    }

    /// Python's list comprehension `[f(x) for x in xs]` (a `for` inside `[`): the hint gives the loop.
    private func comprehensionHint(_ token: Token) -> String? {
        guard token.kind == .kwFor, openBrackets.last?.kind == .leftBracket else { return nil }
        return "msense has no list comprehensions: let ys = [] then for x in xs { push(ys, f(x)) }"
    }

    /// A string literal: plain text, or text with `\( … )` pieces parsed as expressions.
    private func stringExpression(_ token: Token) throws -> Expr {
        if token.pieces.count == 1, case .text(let text) = token.pieces[0] {
            return try node(.string(text), token.span)
        }
        var pieces: [InterpolationPiece] = []
        for piece in token.pieces {
            switch piece {
            case .text(let text): pieces.append(.text(text))
            case .code(let span): pieces.append(try nested(span) { try interpolation(span) })
            }
        }
        return try node(.interpolation(pieces), token.span)
    }

    /// The expression of the `\( … )` whose code is `span`, read by a parser of its own. What
    /// that parser records (errors inside blocks of function literals) joins this parser's
    /// diagnostics; code the lexer refuses is reported by the lexer alone and read as "".
    private func interpolation(_ span: Span) throws -> InterpolationPiece {
        var lexer = Lexer(file: file, range: span.start..<span.end)
        let tokens = lexer.run()
        guard lexer.diagnostics.isEmpty else {
            lexer.diagnostics.forEach(record)
            return .text("")
        }
        let inner = Parser(file: file, tokens: tokens, nesting: nesting, inInterpolation: true)
        inner.newlineSignificant = [false]
        defer {
            inner.diagnostics.forEach(record)
            if inner.fatal { fatal = true }
        }
        if inner.at(.end) { throw error("empty interpolation \\( )", span) }
        let expr = try inner.parseExpression()
        guard inner.at(.end) else {
            throw error("unexpected \(inner.describe(inner.current)) in interpolation", inner.current.span)
        }
        return .expression(expr)
    }

    /// bracketLiteral = "[" [ expression { ( "," | ";" ) expression } [ "," | ";" ] ] "]"
    private func parseBracketLiteral() throws -> Expr {
        let open = advance().span
        return try nested(open, bracket: .leftBracket) {
            try withNewlines(significant: false) {
                var rows: [[Expr]] = []
                var row: [Expr] = []
                var isMatrix = false
                while !at(.rightBracket) {
                    row.append(try parseExpression())
                    if accept(.comma) { continue }
                    if accept(.semicolon) {
                        isMatrix = true
                        rows.append(row)
                        row = []
                        continue
                    }
                    break
                }
                let close = try expect(.rightBracket, "',', ';' or ']' in the list", hint: comprehensionHint(current))
                let span = open.through(close.span)
                if !isMatrix { return try node(.list(row), span) }
                if !row.isEmpty { rows.append(row) }
                for (i, r) in rows.enumerated() where r.count != rows[0].count {
                    let shown = r.first.map { $0.span.through(r[r.count - 1].span) } ?? span
                    throw error("matrix rows must have the same length: row \(i + 1) has \(counted(r.count, "element")) but row 1 has \(rows[0].count)", shown)
                }
                return try node(.matrix(rows), span)
            }
        }
    }

    /// recordLiteral = "{" [ recordField { "," recordField } [ "," ] ] "}"
    private func parseRecordLiteral() throws -> Expr {
        let open = advance().span
        return try nested(open, bracket: .leftBrace) {
            try withNewlines(significant: false) {
                var fields: [RecordFieldSyntax] = []
                while !at(.rightBrace) {
                    let field = try parseRecordField()
                    if fields.contains(where: { $0.name == field.name }) {
                        throw error("duplicate field '\(field.name)' in record", field.nameSpan)
                    }
                    fields.append(field)
                    if !accept(.comma) { break }
                }
                let close = try expect(.rightBrace, "',' or '}' in the record")
                return try node(.record(fields), open.through(close.span))
            }
        }
    }

    /// recordField = IDENT ":" expression
    private func parseRecordField() throws -> RecordFieldSyntax {
        let name = try expect(.identifier, "a field name", hint: "records look like {lr: 0.05, steps: 100}")
        try expect(.colon, "':' after the field name '\(name.text)'")
        skipNewlines()
        return RecordFieldSyntax(name: name.text, nameSpan: name.span, value: try parseExpression())
    }

    /// functionLiteral = "fn" parameterList ( "=>" expression | block )
    private func parseFunctionLiteral() throws -> Expr {
        let start = advance().span
        let parameters = try parseParameterList()
        let body: FunctionBody
        if accept(.arrow) {
            skipNewlines()
            body = .expression(try nested(start) { try parseExpression() })
        } else if at(.leftBrace) {
            body = .block(try parseBlock())
        } else {
            throw error("expected '=>' or '{' after the parameters, found \(describe(current))", current.span,
                        hint: at(.equal) ? "a function's body is '=> expression' or a block: fn(…) => …" : nil, found: current)
        }
        let decl = FunctionDecl(name: nil, nameSpan: start, parameters: parameters, body: body)
        return try node(.function(decl), start.through(tokens[max(0, index - 1)].span))
    }
}
