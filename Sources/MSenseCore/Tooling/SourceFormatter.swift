/// `msense fmt`: the one canonical layout of msense code.
///
/// The formatter keeps the author's line breaks, tokens and comments and decides only the
/// white space, so it can never change what a script means (it re-lexes its output and refuses
/// if the tokens differ):
/// - indentation: 4 spaces per block `{ … }`; a line inside brackets `( [ {` opened on an
///   earlier line lines up with the first token after the bracket when the bracket's line goes
///   on, or is indented 4 from the bracket's line when the bracket ends it (a line starting with
///   the closing bracket goes back to the bracket's line); a line continuing a statement after
///   a trailing operator is indented 4 more;
/// - spaces: one around binary operators, `=`, `=>` and keywords; none inside brackets, before
///   `,` `;` `:` `)` `]`, around `.` `..` `..=` and slice colons, after unary `-`, before a call's
///   `(` or an index's `[`; one after `,` `;` and a named argument's `:`; one inside a block's
///   braces on one line (`{ return 0 }`);
/// - comments: a trailing comment keeps its column when the code leaves room, else follows the
///   code after two spaces; a comment line is indented like code there, or stays aligned under
///   the trailing comment of the line above when it was;
/// - no trailing spaces, at most one blank line in a row, none at the start or end, `\n` line
///   ends (a file with `\r\n` or lone `\r` line breaks, which the language reads alike, is
///   rewritten with `\n`), one final newline.
/// A file with syntax errors is refused (its diagnostics are returned), never rewritten.
package enum SourceFormatter {
    /// Spaces per indentation level.
    static let indentWidth = 4

    /// The canonical layout of `text`, or the syntax errors that prevent formatting.
    package static func format(_ text: String, path: String) -> Result<String, ScriptFailure> {
        format(bytes: Array(text.utf8), path: path)
    }

    /// The canonical layout of the script `bytes` (a leading byte order mark is kept), or the
    /// errors (invalid UTF-8, syntax) that prevent formatting.
    package static func format(bytes: [UInt8], path: String) -> Result<String, ScriptFailure> {
        let file: SourceFile
        switch SourceFile.make(path: path, bytes: bytes) {
        case .failure(let problem): return .failure(ScriptFailure(diagnostics: [problem.diagnostic]))
        case .success(let f): file = f
        }
        var diagnostics: [Diagnostic] = []
        do {
            try BigStack.run { diagnostics = Parser.parse(file).diagnostics }
        } catch {
            return .failure(ScriptFailure(diagnostics: [error.diagnostic(path: path)]))
        }
        guard diagnostics.isEmpty else { return .failure(ScriptFailure(diagnostics: diagnostics)) }
        var lexer = Lexer(file: file)
        let tokens = lexer.run()
        var layout = Layout(file: file, tokens: tokens)
        let output = layout.render()
        // The formatter only moves white space: the output must lex to the same tokens and comments.
        guard case .success(let check) = SourceFile.make(path: path, text: output),
              Self.fingerprint(check) == Self.fingerprint(file) else {
            return .failure(ScriptFailure(diagnostics: [Diagnostic(
                path: path, message: "the formatter would change the tokens of this file; it was left unchanged",
                hint: "please report this file as a formatter bug")]))
        }
        return .success((bytes.starts(with: SourceFile.byteOrderMark) ? "\u{FEFF}" : "") + output)
    }

    /// Comment texts and token spellings in order, with "\n" where statements are separated
    /// by a line break (the lexer's newline tokens, which comment lines do not split; none at the
    /// start or end of the file).
    static func fingerprint(_ file: SourceFile) -> [String] {
        var lexer = Lexer(file: file)
        let tokens = lexer.run()
        var out: [String] = []
        var previousEnd = 0, newline = false, sawToken = false
        for token in tokens {
            out += SourceComments.comments(in: file, from: previousEnd, to: token.span.start).map(\.text)
            previousEnd = token.span.end
            if token.kind == .newline { newline = true; continue }
            if token.kind == .end { break }
            if newline, sawToken { out.append("\n") }
            newline = false
            sawToken = true
            out.append(file.text(token.span))
        }
        return out
    }
}

/// The `#` comments of a file, found in the gaps the lexer leaves between tokens.
enum SourceComments {
    struct Comment {
        /// Byte offset of the `#`.
        let start: Int
        /// The comment from `#` to the end of its line (its line break excluded).
        let text: String
    }

    /// Comments between byte offsets `start` and `end` (a gap between two tokens).
    static func comments(in file: SourceFile, from start: Int, to end: Int) -> [Comment] {
        var found: [Comment] = []
        var i = max(0, start)
        let end = min(end, file.bytes.count)
        while i < end {
            if file.bytes[i] == UInt8(ascii: "#") {
                var j = i
                while j < end, !SourceFile.isLineBreak(file.bytes[j]) { j += 1 }
                found.append(Comment(start: i, text: file.text(Span(start: i, end: j))))
                i = j
            } else {
                i += 1
            }
        }
        return found
    }
}

/// The line-by-line rendering behind `SourceFormatter`.
private struct Layout {
    private enum BracketKind { case paren, bracket, record, block }

    /// A bracket still open: its kind, the indentation of its output line, and the output
    /// column of the first token after it on that line (nil when it ends its line).
    private struct OpenBracket {
        let kind: BracketKind
        let lineIndent: Int
        let line: Int
        var alignColumn: Int?
    }

    /// One line of the source: its tokens (newlines excluded) and its trailing comment.
    private struct SourceLine {
        var tokens: [Int] = []
        var comment: SourceComments.Comment?
        /// Column (scalars, 0-based) of the comment in the source.
        var commentColumn = 0
    }

    let file: SourceFile
    let tokens: [Token]
    private var stack: [OpenBracket] = []
    /// For each output line with code: its indentation, the number of brackets open at its
    /// start, and whether it continues a statement after a trailing operator.
    private var lineStarts: [(indent: Int, depth: Int, continuation: Bool)] = []

    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    private func sourceLines() -> [SourceLine] {
        var lines = [SourceLine](repeating: SourceLine(), count: file.lineStarts.count)
        var previousEnd = 0
        for (i, token) in tokens.enumerated() {
            for comment in SourceComments.comments(in: file, from: previousEnd, to: token.span.start) {
                let location = file.location(of: comment.start)
                lines[location.line - 1].comment = comment
                lines[location.line - 1].commentColumn = location.column - 1
            }
            previousEnd = token.span.end
            guard token.kind != .newline, token.kind != .end else { continue }
            lines[file.line(of: token.span.start) - 1].tokens.append(i)
        }
        return lines
    }

    mutating func render() -> String {
        var output: [String] = []
        var blankPending = false
        var previousLastToken: Int?
        /// Source and output columns of the trailing comment of the line just written.
        var previousComment: (source: Int, output: Int)?
        for line in sourceLines() {
            if line.tokens.isEmpty, line.comment == nil {
                blankPending = !output.isEmpty
                previousComment = nil
                continue
            }
            if blankPending { output.append("") }
            blankPending = false
            guard let first = line.tokens.first else {
                // A comment on a line of its own.
                let comment = line.comment?.text ?? ""
                if let above = previousComment, above.source == line.commentColumn {
                    output.append(String(repeating: " ", count: above.output) + comment)
                    previousComment = above
                } else {
                    let indent = indentation(startingWith: nil, after: previousLastToken)
                    output.append(String(repeating: " ", count: indent) + comment)
                    previousComment = nil
                }
                continue
            }
            let indent = indentation(startingWith: first, after: previousLastToken)
            let isContinuation = (stack.last == nil || stack.last?.kind == .block) && continues(previousLastToken) && !isCloser(first)
            lineStarts.append((indent, stack.count, isContinuation))
            var text = String(repeating: " ", count: indent)
            var column = indent
            let lineNumber = output.count
            for (k, index) in line.tokens.enumerated() {
                if k > 0, spaced(index - 1, index) { text += " "; column += 1 }
                if let top = stack.last, top.line == lineNumber, top.alignColumn == nil, !isCloser(index) {
                    stack[stack.count - 1].alignColumn = column
                }
                let spelling = file.text(tokens[index].span)
                text += spelling
                column += spelling.unicodeScalars.count
                track(index, lineIndent: indent, line: lineNumber)
            }
            previousComment = nil
            if let comment = line.comment {
                let commentColumn = line.commentColumn > column ? line.commentColumn : column + 2
                text += String(repeating: " ", count: commentColumn - column) + comment.text
                previousComment = (line.commentColumn, commentColumn)
            }
            output.append(text)
            previousLastToken = line.tokens.last
        }
        return output.isEmpty ? "" : output.joined(separator: "\n") + "\n"
    }

    // MARK: - Indentation

    private func isCloser(_ index: Int) -> Bool {
        [.rightParen, .rightBracket, .rightBrace].contains(tokens[index].kind)
    }

    /// Indentation of a line starting with token `first` (nil for a comment line).
    private func indentation(startingWith first: Int?, after previous: Int?) -> Int {
        guard let top = stack.last else {
            return continues(previous) ? SourceFormatter.indentWidth : 0
        }
        if let first, isCloser(first) { return top.lineIndent }
        switch top.kind {
        case .block:
            return top.lineIndent + SourceFormatter.indentWidth * (continues(previous) ? 2 : 1)
        case .paren, .bracket, .record:
            return top.alignColumn ?? top.lineIndent + SourceFormatter.indentWidth
        }
    }

    /// Whether the statement goes on after token `index` at the end of a line (a trailing
    /// binary operator, `=`, `=>`, `,`), so the next line is a continuation.
    private func continues(_ index: Int?) -> Bool {
        guard let index else { return false }
        switch tokens[index].kind {
        case .plus, .minus, .star, .slash, .percent, .caret, .at, .equal, .plusEqual, .minusEqual,
             .starEqual, .slashEqual, .equalEqual, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
             .kwAnd, .kwOr, .kwNot, .arrow, .comma, .dotDot, .dotDotEqual:
            return true
        default:
            return false
        }
    }

    private mutating func track(_ index: Int, lineIndent: Int, line: Int) {
        let kind: BracketKind
        switch tokens[index].kind {
        case .leftParen: kind = .paren
        case .leftBracket: kind = .bracket
        case .leftBrace: kind = opensBlock(index) ? .block : .record
        case .rightParen, .rightBracket, .rightBrace:
            if !stack.isEmpty { stack.removeLast() }
            return
        default:
            return
        }
        // A block belongs to the statement (or function literal) it ends: its body is indented
        // from the line where that construct started, not from a continuation line.
        let depth = stack.count
        let owner = kind == .block
            ? lineStarts.last { $0.depth <= depth && !$0.continuation }?.indent ?? lineIndent
            : lineIndent
        stack.append(OpenBracket(kind: kind, lineIndent: owner, line: line, alignColumn: nil))
    }

    // MARK: - Spacing

    /// The token before `index`, newlines skipped.
    private func previousToken(_ index: Int) -> TokenKind? {
        var i = index - 1
        while i >= 0, tokens[i].kind == .newline { i -= 1 }
        return i >= 0 ? tokens[i].kind : nil
    }

    /// Whether `kind` ends an operand (so a following `-` is binary, `(` a call, `[` an index).
    private static func endsOperand(_ kind: TokenKind?) -> Bool {
        switch kind {
        case .number, .string, .identifier, .rightParen, .rightBracket, .rightBrace, .kwTrue, .kwFalse,
             .kwNil, .quote:
            return true
        default:
            return false
        }
    }

    /// A `{` after an operand (`if x {`, `fn f() {`, `catch e {`), `else` or `try` opens a block;
    /// otherwise a record.
    private func opensBlock(_ index: Int) -> Bool {
        let before = previousToken(index)
        return Self.endsOperand(before) || before == .kwElse || before == .kwTry
    }

    private func isUnaryMinus(_ index: Int) -> Bool {
        tokens[index].kind == .minus && !Self.endsOperand(previousToken(index))
    }

    /// Whether one space separates tokens `a` and `b = a + 1` on one line.
    private func spaced(_ a: Int, _ b: Int) -> Bool {
        let left = tokens[a].kind, right = tokens[b].kind
        if left == .semicolon, right == .semicolon { return false }  // `;;`, an empty statement, stays one piece
        if left == .comma || left == .semicolon { return !isCloser(b) }
        switch right {
        case .comma, .semicolon, .rightParen, .rightBracket, .dot, .quote, .colon, .dotDot, .dotDotEqual:
            return false
        case .rightBrace:
            return stack.last?.kind == .block
        default: break
        }
        switch left {
        case .leftParen, .leftBracket, .dot, .dotDot, .dotDotEqual:
            return false
        case .leftBrace:
            return stack.last?.kind == .block
        case .colon:
            return stack.last?.kind != .bracket
        default: break
        }
        if isUnaryMinus(a) { return false }
        switch right {
        case .leftParen:
            return !(Self.endsOperand(left) || left == .kwFn)
        case .leftBracket:
            return !Self.endsOperand(left)
        default: break
        }
        return true
    }
}
