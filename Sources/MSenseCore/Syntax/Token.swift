/// The kinds of token the lexer produces.
enum TokenKind: Equatable {
    case number, string, identifier
    // keywords
    case kwLet, kwFn, kwReturn, kwIf, kwElse, kwFor, kwIn, kwWhile, kwBreak, kwContinue
    case kwTrue, kwFalse, kwNil, kwAnd, kwOr, kwNot, kwImport, kwTry, kwCatch
    // punctuation
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, colon, semicolon, dot, dotDot, dotDotEqual, arrow, quote
    case plus, minus, star, slash, percent, caret, at
    case equal, plusEqual, minusEqual, starEqual, slashEqual
    case equalEqual, notEqual, less, lessEqual, greater, greaterEqual
    case newline, end

    /// Keyword kinds by spelling.
    static let keywords: [String: TokenKind] = [
        "let": .kwLet, "fn": .kwFn, "return": .kwReturn, "if": .kwIf, "else": .kwElse,
        "for": .kwFor, "in": .kwIn, "while": .kwWhile, "break": .kwBreak,
        "continue": .kwContinue, "true": .kwTrue, "false": .kwFalse, "nil": .kwNil,
        "and": .kwAnd, "or": .kwOr, "not": .kwNot, "import": .kwImport,
        "try": .kwTry, "catch": .kwCatch,
    ]
}

/// One piece of a string literal: literal text, or the byte range of an interpolated `\( … )`.
enum StringPiece: Equatable {
    case text(String)
    case code(Span)
}

/// A token: its kind, where it is, and its value for literals and identifiers.
struct Token {
    let kind: TokenKind
    let span: Span
    /// Identifier name, or the source spelling of other tokens.
    var text: String = ""
    /// Value of a number literal.
    var number: Double = 0
    /// Pieces of a string literal (a single `.text` when there is no interpolation).
    var pieces: [StringPiece] = []
    /// Whether this string literal ran to the end of its line without its closing quote (or
    /// with an interpolation left open): the lexer reported it, and the parser does not report
    /// what follows from it.
    var unterminated = false
}
