/// Finds where and why JSON text is malformed, for `load` messages: Foundation's parser only says
/// "the data is not in the correct format", and lets a trailing comma through. `load` runs this
/// check before the parser, so both are refused with a place.
///
/// A recursive-descent pass over the bytes (RFC 8259 grammar, any value at the top level);
/// the first error gives its line, its column (in bytes, 1-based) and what was expected there.
struct JSONSyntaxCheck {
    /// The first error: 1-based line and column, and a sentence saying what went wrong.
    struct Problem: Equatable {
        let line: Int
        let column: Int
        let message: String
        var description: String { "line \(line), column \(column): \(message)" }
    }

    private let bytes: [UInt8]
    private var pos = 0

    /// The first syntax error in `bytes`, or nil when they are one well-formed JSON value.
    static func problem(in bytes: [UInt8]) -> Problem? {
        var check = JSONSyntaxCheck(bytes: bytes)
        return check.run()
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private struct Failure: Error {
        let offset: Int
        let message: String
    }

    private mutating func run() -> Problem? {
        do throws(Failure) {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
            skipSpace()
            guard pos < bytes.count else { throw Failure(offset: pos, message: "the file is empty; expected a JSON value") }
            try value(depth: 0)
            skipSpace()
            if pos < bytes.count { throw Failure(offset: pos, message: "unexpected \(shown(pos)) after the end of the JSON value") }
            return nil
        } catch {
            let location = JSONSyntaxCheck.lineAndColumn(of: error.offset, in: bytes)
            return Problem(line: location.line, column: location.column, message: error.message)
        }
    }

    private mutating func value(depth: Int) throws(Failure) {
        guard depth < 512 else { throw Failure(offset: pos, message: "nested more than 512 levels deep") }
        guard pos < bytes.count else { throw Failure(offset: pos, message: "the text ends where a value was expected") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func object(depth: Int) throws(Failure) {
        let open = pos
        pos += 1
        skipSpace()
        if peek == UInt8(ascii: "}") { pos += 1; return }
        while true {
            skipSpace()
            guard pos < bytes.count else { throw unclosed("object", open, expected: "a key") }
            guard bytes[pos] == UInt8(ascii: "\"") else {
                throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected a key in double quotes")
            }
            try string()
            skipSpace()
            guard pos < bytes.count else { throw unclosed("object", open, expected: "':'") }
            guard bytes[pos] == UInt8(ascii: ":") else { throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected ':' after the key") }
            pos += 1
            skipSpace()
            guard pos < bytes.count else { throw unclosed("object", open, expected: "a value") }
            try value(depth: depth + 1)
            skipSpace()
            guard pos < bytes.count else { throw unclosed("object", open, expected: "',' or '}'") }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return }
            guard bytes[pos] == UInt8(ascii: ",") else { throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected ',' or '}'") }
            pos += 1
            skipSpace()
            if peek == UInt8(ascii: "}") { throw Failure(offset: pos, message: "a trailing ',' before '}' is not allowed in JSON") }
        }
    }

    private mutating func array(depth: Int) throws(Failure) {
        let open = pos
        pos += 1
        skipSpace()
        if peek == UInt8(ascii: "]") { pos += 1; return }
        while true {
            skipSpace()
            guard pos < bytes.count else { throw unclosed("array", open, expected: "a value") }
            try value(depth: depth + 1)
            skipSpace()
            guard pos < bytes.count else { throw unclosed("array", open, expected: "',' or ']'") }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return }
            guard bytes[pos] == UInt8(ascii: ",") else { throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected ',' or ']'") }
            pos += 1
            skipSpace()
            if peek == UInt8(ascii: "]") { throw Failure(offset: pos, message: "a trailing ',' before ']' is not allowed in JSON") }
        }
    }

    private mutating func string() throws(Failure) {
        let open = pos
        pos += 1
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") { pos += 1; return }
            if c < 0x20 { throw Failure(offset: pos, message: "a control character (byte 0x\(String(c, radix: 16, uppercase: true))) inside a string; write it as an escape like \\n") }
            if c == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count else { break }
                switch bytes[pos] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    pos += 1
                case UInt8(ascii: "u"):
                    let escape = pos - 1
                    let unit = try codeUnit(at: pos)
                    pos += 5
                    // A UTF-16 surrogate stands for a character only as a high one followed by a low one.
                    if (0xD800...0xDBFF).contains(unit), pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"),
                       bytes[pos + 1] == UInt8(ascii: "u"), (0xDC00...0xDFFF).contains(try codeUnit(at: pos + 1)) {
                        pos += 6
                    } else if (0xD800...0xDFFF).contains(unit) {
                        throw Failure(offset: escape, message: "\\u\(String(unit, radix: 16, uppercase: true)) is half of a UTF-16 surrogate pair without its other half, not a character")
                    }
                default:
                    throw Failure(offset: pos - 1, message: "unknown escape '\\\(shownCharacter(pos))' in a string")
                }
                continue
            }
            pos += 1
        }
        throw unclosed("string", open, expected: "the closing '\"'")
    }

    /// The 4 hexadecimal digits after the `u` at `offset`, as a UTF-16 code unit.
    private func codeUnit(at offset: Int) throws(Failure) -> Int {
        var unit = 0
        for k in 1...4 {
            guard offset + k < bytes.count, isHexDigit(bytes[offset + k]),
                  let digit = Int(String(UnicodeScalar(bytes[offset + k])), radix: 16) else {
                throw Failure(offset: offset - 1, message: "\\u must be followed by 4 hexadecimal digits")
            }
            unit = unit * 16 + digit
        }
        return unit
    }

    private mutating func number() throws(Failure) {
        let start = pos
        if peek == UInt8(ascii: "-") { pos += 1 }
        guard let first = peek, isDigit(first) else { throw Failure(offset: pos, message: "a number needs a digit after '-'") }
        pos += 1
        if first == UInt8(ascii: "0"), let next = peek, isDigit(next) {
            throw Failure(offset: start, message: "a number cannot start with 0 followed by digits")
        }
        while let c = peek, isDigit(c) { pos += 1 }
        if peek == UInt8(ascii: ".") {
            pos += 1
            guard let c = peek, isDigit(c) else { throw Failure(offset: pos, message: "a number needs digits after '.'") }
            while let c = peek, isDigit(c) { pos += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            pos += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
            guard let c = peek, isDigit(c) else { throw Failure(offset: pos, message: "a number needs digits in its exponent") }
            while let c = peek, isDigit(c) { pos += 1 }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw Failure(offset: start, message: "the number \(text.count > 40 ? String(text.prefix(40)) + "…" : text) is beyond the range of a double (±1.8e308)")
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let expected = Array(word.utf8)
        guard bytes.count - pos >= expected.count, Array(bytes[pos..<(pos + expected.count)]) == expected else {
            throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected a value (did you mean \(word)?)")
        }
        pos += expected.count
    }

    private func unclosed(_ what: String, _ open: Int, expected: String) -> Failure {
        let location = JSONSyntaxCheck.lineAndColumn(of: open, in: bytes)
        return Failure(offset: bytes.count, message: "the text ends inside the \(what) opened at line \(location.line), column \(location.column); expected \(expected)")
    }

    /// Lines end as in source files (`\n`, `\r\n` or a lone `\r`); the column counts bytes.
    private static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let starts = SourceFile.lineStarts(of: bytes)
        let line = starts.lastIndex { $0 <= offset } ?? 0
        return (line + 1, offset - starts[line] + 1)
    }

    private mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { pos += 1 }
    }

    private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
    }

    /// The character at `offset` as a message shows it: `'x'`, or the byte in hex when it is
    /// not printable ASCII.
    private func shown(_ offset: Int) -> String {
        guard offset < bytes.count else { return "end of text" }
        let c = bytes[offset]
        return c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16, uppercase: true))"
    }

    private func shownCharacter(_ offset: Int) -> String {
        let c = bytes[offset]
        return c >= 0x21 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : "\\u{\(String(c, radix: 16))}"
    }
}
