/// A value of the small subset of Python literal syntax that `.npy` headers use, and a parser for it.
///
/// Grammar (whitespace = space, tab, CR, LF allowed between tokens):
///
///     value  := dict | tuple-or-group | list | string | int | True | False | None
///     dict   := '{' [ string ':' value { ',' string ':' value } [','] ] '}'
///     tuple  := '(' ')' | '(' value ',' [ value { ',' value } [','] ] ')'   — `(v)` is just v
///     list   := '[' [ value { ',' value } [','] ] ']'
///     string := '…' or "…" with the escapes \\ \' \" \n \t
///     int    := ['-' | '+'] digit { digit }            (must fit in a 64-bit Int)
///
/// The parser never traps: every failure is a `ParseError` naming the character position, and
/// nesting deeper than 32 levels is refused so that hostile input cannot exhaust the stack.
indirect enum PythonLiteral: Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: String, value: PythonLiteral)])

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.none, .none): return true
        case let (.tuple(x), .tuple(y)), let (.list(x), .list(y)): return x == y
        case let (.dict(x), .dict(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// Why a text is not a literal, and at which character (0-based).
    struct ParseError: Error, Equatable {
        let position: Int
        let message: String
    }

    /// Parses `text`, which must hold exactly one literal surrounded only by whitespace.
    static func parse(_ text: String) throws(ParseError) -> PythonLiteral {
        var parser = Parser(chars: Array(text.unicodeScalars))
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.position < parser.chars.count {
            throw ParseError(position: parser.position, message: "unexpected text after the literal")
        }
        return value
    }

    private struct Parser {
        let chars: [Unicode.Scalar]
        var position = 0
        static let maxDepth = 32

        mutating func skipWhitespace() {
            while position < chars.count, [" ", "\t", "\n", "\r"].contains(chars[position]) { position += 1 }
        }

        func fail(_ message: String) -> ParseError { ParseError(position: position, message: message) }

        mutating func peek() throws(ParseError) -> Unicode.Scalar {
            skipWhitespace()
            guard position < chars.count else { throw fail("the text ends where a value or delimiter was expected") }
            return chars[position]
        }

        mutating func expect(_ c: Unicode.Scalar) throws(ParseError) {
            guard try peek() == c else { throw fail("expected '\(c)' but found '\(chars[position])'") }
            position += 1
        }

        mutating func value(depth: Int) throws(ParseError) -> PythonLiteral {
            guard depth < Self.maxDepth else { throw fail("values are nested more than \(Self.maxDepth) deep") }
            let c = try peek()
            switch c {
            case "{": return try dict(depth: depth)
            case "(": return try tupleOrGroup(depth: depth)
            case "[":
                position += 1
                return .list(try sequence(closing: "]", depth: depth))
            case "'", "\"": return .string(try string())
            case "-", "+", "0"..."9": return .int(try integer())
            default:
                let word = identifier()
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                case "None": return .none
                case "": throw fail("unexpected character '\(c)'")
                default: throw fail("unknown name '\(word)'")
                }
            }
        }

        mutating func dict(depth: Int) throws(ParseError) -> PythonLiteral {
            try expect("{")
            var entries: [(key: String, value: PythonLiteral)] = []
            while true {
                let c = try peek()
                if c == "}" { position += 1; return .dict(entries) }
                guard c == "'" || c == "\"" else { throw fail("expected a quoted key or '}' but found '\(c)'") }
                let key = try string()
                try expect(":")
                entries.append((key, try value(depth: depth + 1)))
                let next = try peek()
                if next == "," { position += 1; continue }
                guard next == "}" else { throw fail("expected ',' or '}' but found '\(next)'") }
            }
        }

        mutating func tupleOrGroup(depth: Int) throws(ParseError) -> PythonLiteral {
            try expect("(")
            if try peek() == ")" { position += 1; return .tuple([]) }
            let first = try value(depth: depth + 1)
            let c = try peek()
            if c == ")" { position += 1; return first }
            guard c == "," else { throw fail("expected ',' or ')' but found '\(c)'") }
            position += 1
            return .tuple([first] + (try sequence(closing: ")", depth: depth)))
        }

        /// Values separated by commas up to `closing` (a trailing comma is allowed); the opening
        /// delimiter has been consumed.
        mutating func sequence(closing: Unicode.Scalar, depth: Int) throws(ParseError) -> [PythonLiteral] {
            var items: [PythonLiteral] = []
            while true {
                if try peek() == closing { position += 1; return items }
                items.append(try value(depth: depth + 1))
                let c = try peek()
                if c == "," { position += 1; continue }
                guard c == closing else { throw fail("expected ',' or '\(closing)' but found '\(c)'") }
            }
        }

        mutating func string() throws(ParseError) -> String {
            let quote = chars[position]
            position += 1
            var out = String.UnicodeScalarView()
            while position < chars.count {
                let c = chars[position]
                position += 1
                if c == quote { return String(out) }
                if c == "\n" { throw fail("a string literal is not closed on its line") }
                if c == "\\" {
                    guard position < chars.count else { break }
                    let e = chars[position]
                    position += 1
                    switch e {
                    case "\\", "'", "\"": out.append(e)
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: throw fail("unsupported escape '\\\(e)' in a string literal")
                    }
                } else {
                    out.append(c)
                }
            }
            throw fail("a string literal is not closed")
        }

        mutating func integer() throws(ParseError) -> Int {
            var negative = false
            if chars[position] == "-" || chars[position] == "+" {
                negative = chars[position] == "-"
                position += 1
            }
            let start = position
            var magnitude = 0
            while position < chars.count, let d = digit(chars[position]) {
                let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(d)
                guard !o1, !o2 else { throw fail("an integer does not fit in 64 bits") }
                magnitude = s
                position += 1
            }
            guard position > start else { throw fail("expected digits after a sign") }
            if position < chars.count, isIdentifierCharacter(chars[position]) || chars[position] == "." {
                throw fail("only integers are allowed here, not '\(chars[position])'")
            }
            return negative ? -magnitude : magnitude
        }

        mutating func identifier() -> String {
            var out = String.UnicodeScalarView()
            while position < chars.count, isIdentifierCharacter(chars[position]) {
                out.append(chars[position])
                position += 1
            }
            return String(out)
        }

        func digit(_ c: Unicode.Scalar) -> Int? {
            c.value >= 48 && c.value <= 57 ? Int(c.value - 48) : nil
        }

        func isIdentifierCharacter(_ c: Unicode.Scalar) -> Bool {
            (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122) || c == "_" || digit(c) != nil
        }
    }
}
