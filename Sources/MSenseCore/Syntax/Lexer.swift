/// Turns the bytes of a source file (or of one `\( … )` inside a string) into tokens.
///
/// Comments are dropped; runs of newlines become one `.newline` token (the parser decides
/// where newlines matter). Errors are collected, the bad character skipped, and lexing goes on,
/// so one run reports every lexical error.
struct Lexer {
    private let file: SourceFile
    private let bytes: [UInt8]
    private var pos: Int
    private let end: Int
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: [Diagnostic] = []

    /// A lexer over `range` of `file` (the whole file by default).
    init(file: SourceFile, range: Range<Int>? = nil) {
        self.file = file
        self.bytes = file.bytes
        self.pos = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? file.bytes.count
    }

    /// Lexes everything; the last token is always `.end`.
    mutating func run() -> [Token] {
        while pos < end { lexOne() }
        tokens.append(Token(kind: .end, span: Span(start: end, end: end)))
        return tokens
    }

    private func peek(_ k: Int = 0) -> UInt8 { pos + k < end ? bytes[pos + k] : 0 }

    private mutating func add(_ kind: TokenKind, from start: Int) {
        tokens.append(Token(kind: kind, span: Span(start: start, end: pos)))
    }

    private mutating func error(_ message: String, _ span: Span, hint: String? = nil) {
        diagnostics.append(Diagnostic(file: file, span: span, message: message, hint: hint, id: .syntax))
    }

    private mutating func lexOne() {
        let start = pos
        let c = bytes[pos]
        switch c {
        case UInt8(ascii: " "), UInt8(ascii: "\t"):
            pos += 1
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            // `\n`, `\r\n` and a lone `\r` all end a line (``SourceFile/isLineBreak(_:)``).
            pos += 1
            if tokens.last?.kind != .newline { add(.newline, from: start) }
        case UInt8(ascii: "#"):
            while pos < end, !SourceFile.isLineBreak(bytes[pos]) { pos += 1 }
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            lexNumber()
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            while pos < end, Lexer.isIdentifierByte(bytes[pos]) { pos += 1 }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            var token = Token(kind: TokenKind.keywords[text] ?? .identifier, span: Span(start: start, end: pos))
            token.text = text
            tokens.append(token)
        case UInt8(ascii: "\""):
            lexString()
        default:
            lexPunctuation(c, start)
        }
    }

    static func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func lexPunctuation(_ c: UInt8, _ start: Int) {
        let next = peek(1)
        let two: TokenKind?
        switch (c, next) {
        case (UInt8(ascii: "="), UInt8(ascii: "=")): two = .equalEqual
        case (UInt8(ascii: "="), UInt8(ascii: ">")): two = .arrow
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): two = .notEqual
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): two = .lessEqual
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): two = .greaterEqual
        case (UInt8(ascii: "+"), UInt8(ascii: "=")): two = .plusEqual
        case (UInt8(ascii: "-"), UInt8(ascii: "=")): two = .minusEqual
        case (UInt8(ascii: "*"), UInt8(ascii: "=")): two = .starEqual
        case (UInt8(ascii: "/"), UInt8(ascii: "=")): two = .slashEqual
        case (UInt8(ascii: "."), UInt8(ascii: ".")):
            pos += 2
            if peek() == UInt8(ascii: "=") { pos += 1; add(.dotDotEqual, from: start) } else { add(.dotDot, from: start) }
            return
        default: two = nil
        }
        if let two { pos += 2; add(two, from: start); return }
        let one: TokenKind?
        switch c {
        case UInt8(ascii: "("): one = .leftParen
        case UInt8(ascii: ")"): one = .rightParen
        case UInt8(ascii: "["): one = .leftBracket
        case UInt8(ascii: "]"): one = .rightBracket
        case UInt8(ascii: "{"): one = .leftBrace
        case UInt8(ascii: "}"): one = .rightBrace
        case UInt8(ascii: ","): one = .comma
        case UInt8(ascii: ":"): one = .colon
        case UInt8(ascii: ";"): one = .semicolon
        case UInt8(ascii: "."): one = .dot
        case UInt8(ascii: "'"): one = .quote
        case UInt8(ascii: "+"): one = .plus
        case UInt8(ascii: "-"): one = .minus
        case UInt8(ascii: "*"): one = .star
        case UInt8(ascii: "/"): one = .slash
        case UInt8(ascii: "%"): one = .percent
        case UInt8(ascii: "^"): one = .caret
        case UInt8(ascii: "@"): one = .at
        case UInt8(ascii: "="): one = .equal
        case UInt8(ascii: "<"): one = .less
        case UInt8(ascii: ">"): one = .greater
        default: one = nil
        }
        if let one { pos += 1; add(one, from: start); return }
        // C's `&&`, `||` and `!x`: reported once, and read as `and`, `or`, `not` so that the
        // parser reads on without errors of its own.
        if let (word, kind) = Lexer.cOperators[c], c == UInt8(ascii: "!") || (pos + 1 < end && bytes[pos + 1] == c) {
            pos += c == UInt8(ascii: "!") ? 1 : 2
            let span = Span(start: start, end: pos)
            let startsLine = tokens.last.map { $0.kind == .newline } ?? true
            error("unexpected '\(file.text(span))'", span, hint: c == UInt8(ascii: "!") && startsLine
                  ? "msense writes negation `not`; a line starting with '!' is a shell command in IPython, which msense does not have"
                  : "msense writes it \(word)")
            add(kind, from: start)
            return
        }
        // An unknown character: skip the whole UTF-8 sequence and report it once.
        pos += 1
        while pos < end, bytes[pos] & 0xC0 == 0x80 { pos += 1 }
        let span = Span(start: start, end: pos)
        let text = file.text(span)
        if let scalar = text.unicodeScalars.first, !scalar.isASCII, ASCIIName.isWordScalar(scalar),
           scalar.properties.isAlphabetic || tokens.last.map({ $0.kind == .identifier && $0.span.end == start }) == true {
            lexNonASCIIName(from: start)
            return
        }
        let hint: String? = c == UInt8(ascii: "&") || c == UInt8(ascii: "|") ? "use `and` / `or`" : nil
        if let scalar = text.unicodeScalars.first, Lexer.isInvisible(scalar) {
            error("unexpected invisible character \(Lexer.codePoint(scalar))", span,
                  hint: "delete it; editors and copy-paste sometimes insert such characters")
        } else if let scalar = text.unicodeScalars.first, Lexer.isUnquotable(scalar) {
            error("unexpected character \(Lexer.codePoint(scalar))", span, hint: hint)
        } else {
            error("unexpected character '\(text)'", span, hint: hint)
        }
    }

    /// The logical operators other languages spell with symbols: the word msense writes, and its token.
    private static let cOperators: [UInt8: (String, TokenKind)] = [
        UInt8(ascii: "&"): ("`and`", .kwAnd), UInt8(ascii: "|"): ("`or`", .kwOr), UInt8(ascii: "!"): ("`not`", .kwNot),
    ]

    /// A name with letters or digits beyond ASCII (`α`, `λ_max`, `x₁`, `café`), from its first
    /// such character at `start` (joined to the identifier just before it, when adjacent):
    /// reported once with its ASCII spelling as the hint, and kept as one identifier token so
    /// that the parser reads on without errors of its own.
    private mutating func lexNonASCIIName(from start: Int) {
        var wordStart = start
        if let last = tokens.last, last.kind == .identifier, last.span.end == start {
            wordStart = last.span.start
            tokens.removeLast()
        }
        pos = start
        while pos < end {
            if Lexer.isIdentifierByte(bytes[pos]) { pos += 1; continue }
            guard bytes[pos] >= 0x80 else { break }
            var next = pos + 1
            while next < end, bytes[next] & 0xC0 == 0x80 { next += 1 }
            guard let scalar = file.text(Span(start: pos, end: next)).unicodeScalars.first,
                  ASCIIName.isWordScalar(scalar) else { break }
            pos = next
        }
        let span = Span(start: wordStart, end: pos)
        let word = file.text(span)
        let hint = ASCIIName.spelling(of: word).map { "write '\($0)'; names use a–z, A–Z, 0–9 and _" }
            ?? "names use a–z, A–Z, 0–9 and _"
        error("'\(word)' cannot be a name: names are written in ASCII", span, hint: hint)
        var token = Token(kind: .identifier, span: span)
        token.text = word
        tokens.append(token)
    }

    /// Whether `scalar` shows nothing on screen: format characters (Cf: U+200B, U+FEFF, …),
    /// control characters (Cc), and separators (Zs other than the ASCII space, Zl, Zp).
    /// Marks, private-use and unassigned code points are not called invisible (a combining
    /// accent shows on the character before it); `isUnquotable` covers them.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .control, .lineSeparator, .paragraphSeparator:
            return true
        case .spaceSeparator:
            return scalar != " "
        default:
            return false
        }
    }

    /// Whether `scalar` cannot be shown on its own between quotes in a message: combining
    /// marks (Mn, Mc, Me) would combine with the quote, private-use and unassigned code points
    /// have no agreed glyph. Such characters are reported by code point (`codePoint`).
    static func isUnquotable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .privateUse, .unassigned, .surrogate:
            return true
        default:
            return false
        }
    }

    /// `U+XXXX` (at least four hex digits) and, when Unicode names it, ` (NAME)`.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return code + (scalar.properties.name.map { " (\($0))" } ?? "")
    }

    private mutating func scanDigits() -> Bool {
        guard Lexer.isDigit(peek()) else { return false }
        while pos < end {
            if Lexer.isDigit(bytes[pos]) { pos += 1 }
            else if bytes[pos] == UInt8(ascii: "_"), Lexer.isDigit(peek(1)) { pos += 2 }
            else { break }
        }
        return true
    }

    private mutating func lexNumber() {
        let start = pos
        _ = scanDigits()
        if peek() == UInt8(ascii: "."), Lexer.isDigit(peek(1)) {
            pos += 1
            _ = scanDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let save = pos
            pos += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { pos += 1 }
            if !scanDigits() { pos = save }
        }
        let span = Span(start: start, end: pos)
        if pos < end, Lexer.isIdentifierByte(bytes[pos]) {
            while pos < end, Lexer.isIdentifierByte(bytes[pos]) { pos += 1 }
            error("malformed number '\(file.text(Span(start: start, end: pos)))'", Span(start: start, end: pos))
            return
        }
        let digits = String(decoding: bytes[start..<pos].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        var token = Token(kind: .number, span: span)
        if let value = Double(digits), value.isFinite {
            token.number = value
        } else {
            error("number literal '\(file.text(span))' is too large", span)
        }
        tokens.append(token)
    }

    /// Lexes a string literal starting at the opening quote into text pieces and code spans.
    ///
    /// A string left open ends at the end of its line, one error, and is still a string token
    /// (marked `unterminated`), so that the parser reads its statement as complete there and
    /// the next line as the next statement.
    private mutating func lexString() {
        let start = pos
        pos += 1
        var pieces: [StringPiece] = []
        var buffer: [UInt8] = []
        var unterminated = false
        func flush() {
            if !buffer.isEmpty { pieces.append(.text(String(decoding: buffer, as: UTF8.self))); buffer = [] }
        }
        scan: while true {
            guard pos < end, !SourceFile.isLineBreak(bytes[pos]) else {
                error("unterminated string", Span(start: start, end: pos), hint: "strings end with \" on the same line")
                unterminated = true
                break scan
            }
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") { pos += 1; break }
            if c != UInt8(ascii: "\\") { buffer.append(c); pos += 1; continue }
            let escStart = pos
            pos += 1
            switch peek() {
            case UInt8(ascii: "n"): buffer.append(10); pos += 1
            case UInt8(ascii: "t"): buffer.append(9); pos += 1
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\"")); pos += 1
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); pos += 1
            case UInt8(ascii: "u"):
                pos += 1
                if let scalar = lexUnicodeEscape(escStart) { buffer.append(contentsOf: Array(String(scalar).utf8)) }
            case UInt8(ascii: "("):
                pos += 1
                let codeStart = pos
                if skipInterpolation(from: start) {
                    flush()
                    pieces.append(.code(Span(start: codeStart, end: pos - 1)))
                } else if pos >= end || SourceFile.isLineBreak(bytes[pos]) {
                    // Reported: the interpolation ran to the end of the line.
                    unterminated = true
                    break scan
                }
            default:
                error("unknown escape sequence in string", Span(start: escStart, end: min(pos + 1, end)),
                      hint: "valid escapes are \\n \\t \\\" \\\\ \\u{…} and \\( … )")
                if pos < end { pos += 1 }
            }
        }
        flush()
        var token = Token(kind: .string, span: Span(start: start, end: pos))
        token.pieces = pieces.isEmpty ? [.text("")] : pieces
        token.unterminated = unterminated
        tokens.append(token)
    }

    /// Reads `{HEX…}` after `\u`; reports and returns nil on a malformed or invalid scalar.
    private mutating func lexUnicodeEscape(_ escStart: Int) -> Unicode.Scalar? {
        guard peek() == UInt8(ascii: "{") else {
            error("\\u must be followed by {hex digits}", Span(start: escStart, end: pos), hint: "write \\u{41} for A")
            return nil
        }
        pos += 1
        var value: UInt32 = 0, count = 0
        while pos < end, let digit = Lexer.hexValue(bytes[pos]) {
            if count < 8 { value = value * 16 + digit }
            count += 1; pos += 1
        }
        let closed = peek() == UInt8(ascii: "}")
        if closed { pos += 1 }
        let span = Span(start: escStart, end: pos)
        guard closed, count >= 1, count <= 6, let scalar = Unicode.Scalar(value), value != 0 else {
            error("invalid unicode escape '\(file.text(span))'", span,
                  hint: "write 1 to 6 hex digits of a Unicode scalar other than 0, e.g. \\u{41}")
            return nil
        }
        return scalar
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Skips the code of an interpolation (just after `\(`) up to and past its closing `)`,
    /// stepping over nested parentheses and nested strings with interpolations of their own.
    /// A loop with one count of open parentheses per interpolation open (outermost first), so
    /// that nesting costs no stack; more than `Parser.maxNesting` interpolations inside one
    /// another is the parser's "nesting is too deep", reported here once (the parser would
    /// otherwise lex the inner code again at every level). False after reporting an error.
    private mutating func skipInterpolation(from stringStart: Int) -> Bool {
        var open = [1]
        var inString = false  // inside a string literal within the innermost interpolation
        var tooDeep = false
        while pos < end, !SourceFile.isLineBreak(bytes[pos]) {
            let c = bytes[pos]
            pos += 1
            if inString {
                if c == UInt8(ascii: "\"") {
                    inString = false
                } else if c == UInt8(ascii: "\\"), peek() == UInt8(ascii: "(") {
                    pos += 1
                    open.append(1)
                    inString = false
                    if open.count > Parser.maxNesting, !tooDeep {
                        tooDeep = true
                        error(Parser.tooDeepMessage, Span(start: pos - 2, end: pos), hint: Parser.tooDeepHint)
                    }
                } else if c == UInt8(ascii: "\\"), pos < end, !SourceFile.isLineBreak(bytes[pos]) {
                    pos += 1
                }
            } else if c == UInt8(ascii: "(") {
                open[open.count - 1] += 1
            } else if c == UInt8(ascii: ")") {
                open[open.count - 1] -= 1
                if open[open.count - 1] == 0 {
                    open.removeLast()
                    if open.isEmpty { return !tooDeep }
                    inString = true  // back in the string that held the interpolation just closed
                }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            }
        }
        if !tooDeep {
            error("unterminated interpolation \\( … ) in string", Span(start: stringStart, end: pos),
                  hint: "close the interpolation with ) before the end of the line")
        }
        return false
    }
}
