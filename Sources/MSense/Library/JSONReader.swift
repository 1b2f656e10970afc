import MSenseCore

/// Reads JSON text into a script value for `load` (RFC 8259, any value at the top level), or
/// says where and why the text is malformed.
///
/// A recursive-descent pass over the bytes; the first error gives its line, its column (in
/// bytes, 1-based) and what was expected there, and what other readers let through (a trailing
/// comma) is refused, as Python's json refuses it. What it gives:
/// - an object is a record with its keys in the order of the text (a repeated key keeps its
///   first place and its last value, as Python's json does);
/// - a number is a number, except an integer a number cannot hold exactly (from 2⁵³ + 1 on, such as
///   most of a sweep table's 64-bit seeds, or beyond a double's range), which is its decimal
///   text: read as a number it would be silently rounded, and `seed(text)` takes it back;
/// - `null` is `nil`; strings are decoded (escapes and surrogate pairs) and must be UTF-8.
struct JSONReader {
    /// The first error: 1-based line and column, and a sentence saying what went wrong.
    struct Problem: Error, Equatable {
        let line: Int
        let column: Int
        let message: String
        var description: String { "line \(line), column \(column): \(message)" }
    }

    private let bytes: [UInt8]
    private var pos = 0

    /// The value of `bytes`, or the first syntax error in them.
    static func read(_ bytes: [UInt8]) -> Result<Value, Problem> {
        var reader = JSONReader(bytes: bytes)
        return reader.run()
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private struct Failure: Error {
        let offset: Int
        let message: String
    }

    private mutating func run() -> Result<Value, Problem> {
        do throws(Failure) {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
            skipSpace()
            guard pos < bytes.count else { throw Failure(offset: pos, message: "the file is empty; expected a JSON value") }
            let result = try value(depth: 0)
            skipSpace()
            if pos < bytes.count { throw Failure(offset: pos, message: "unexpected \(shown(pos)) after the end of the JSON value") }
            return .success(result)
        } catch {
            let location = JSONReader.lineAndColumn(of: error.offset, in: bytes)
            return .failure(Problem(line: location.line, column: location.column, message: error.message))
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> Value {
        guard depth < 512 else { throw Failure(offset: pos, message: "nested more than 512 levels deep") }
        guard pos < bytes.count else { throw Failure(offset: pos, message: "the text ends where a value was expected") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .nil
        default: throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> Value {
        let open = pos
        let record = ScriptRecord(names: [], values: [])
        pos += 1
        skipSpace()
        if peek == UInt8(ascii: "}") { pos += 1; return .record(record) }
        while true {
            skipSpace()
            guard pos < bytes.count else { throw unclosed("object", open, expected: "a key") }
            guard bytes[pos] == UInt8(ascii: "\"") else {
                throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected a key in double quotes")
            }
            let key = try string()
            skipSpace()
            guard pos < bytes.count else { throw unclosed("object", open, expected: "':'") }
            guard bytes[pos] == UInt8(ascii: ":") else { throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected ':' after the key") }
            pos += 1
            skipSpace()
            guard pos < bytes.count else { throw unclosed("object", open, expected: "a value") }
            record.set(key, try value(depth: depth + 1))
            skipSpace()
            guard pos < bytes.count else { throw unclosed("object", open, expected: "',' or '}'") }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .record(record) }
            guard bytes[pos] == UInt8(ascii: ",") else { throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected ',' or '}'") }
            pos += 1
            skipSpace()
            if peek == UInt8(ascii: "}") { throw Failure(offset: pos, message: "a trailing ',' before '}' is not allowed in JSON") }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> Value {
        let open = pos
        var items: [Value] = []
        pos += 1
        skipSpace()
        if peek == UInt8(ascii: "]") { pos += 1; return .list(ScriptList(items)) }
        while true {
            skipSpace()
            guard pos < bytes.count else { throw unclosed("array", open, expected: "a value") }
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard pos < bytes.count else { throw unclosed("array", open, expected: "',' or ']'") }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .list(ScriptList(items)) }
            guard bytes[pos] == UInt8(ascii: ",") else { throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected ',' or ']'") }
            pos += 1
            skipSpace()
            if peek == UInt8(ascii: "]") { throw Failure(offset: pos, message: "a trailing ',' before ']' is not allowed in JSON") }
        }
    }

    /// The string opened at `pos`, its escapes decoded.
    private mutating func string() throws(Failure) -> String {
        let open = pos
        var utf8: [UInt8] = []
        pos += 1
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw Failure(offset: open, message: "the string is not UTF-8 text")
                }
                return text
            }
            if c < 0x20 { throw Failure(offset: pos, message: "a control character (byte 0x\(String(c, radix: 16, uppercase: true))) inside a string; write it as an escape like \\n") }
            if c == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count else { break }
                switch bytes[pos] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    utf8.append(bytes[pos])
                    pos += 1
                case UInt8(ascii: "b"): utf8.append(0x08); pos += 1
                case UInt8(ascii: "f"): utf8.append(0x0C); pos += 1
                case UInt8(ascii: "n"): utf8.append(0x0A); pos += 1
                case UInt8(ascii: "r"): utf8.append(0x0D); pos += 1
                case UInt8(ascii: "t"): utf8.append(0x09); pos += 1
                case UInt8(ascii: "u"):
                    let escape = pos - 1
                    let unit = try codeUnit(at: pos)
                    pos += 5
                    // A UTF-16 surrogate stands for a character only as a high one followed by a low one.
                    if (0xD800...0xDBFF).contains(unit), pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"),
                       bytes[pos + 1] == UInt8(ascii: "u"), case let low = try codeUnit(at: pos + 1), (0xDC00...0xDFFF).contains(low) {
                        pos += 6
                        Self.appendUTF8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), to: &utf8)
                    } else if (0xD800...0xDFFF).contains(unit) {
                        throw Failure(offset: escape, message: "\\u\(String(unit, radix: 16, uppercase: true)) is half of a UTF-16 surrogate pair without its other half, not a character")
                    } else {
                        Self.appendUTF8(unit, to: &utf8)
                    }
                default:
                    throw Failure(offset: pos - 1, message: bytes[pos] >= 0x21 && bytes[pos] < 0x7F
                                  ? "unknown escape '\\\(Character(Unicode.Scalar(bytes[pos])))' in a string"
                                  : "unknown escape in a string: '\\' followed by \(shown(pos))")
                }
                continue
            }
            utf8.append(c)
            pos += 1
        }
        throw unclosed("string", open, expected: "the closing '\"'")
    }

    /// Appends the UTF-8 bytes of the scalar `code` (not a surrogate, at most 0x10FFFF).
    private static func appendUTF8(_ code: Int, to utf8: inout [UInt8]) {
        guard let scalar = Unicode.Scalar(UInt32(code)) else { return }
        utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
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

    /// The number at `pos`; an integer a Double cannot hold exactly is its decimal text.
    private mutating func number() throws(Failure) -> Value {
        let start = pos
        var integral = true
        if peek == UInt8(ascii: "-") { pos += 1 }
        guard let first = peek, isDigit(first) else { throw Failure(offset: pos, message: "a number needs a digit after '-'") }
        pos += 1
        if first == UInt8(ascii: "0"), let next = peek, isDigit(next) {
            throw Failure(offset: start, message: "a number cannot start with 0 followed by digits")
        }
        while let c = peek, isDigit(c) { pos += 1 }
        if peek == UInt8(ascii: ".") {
            integral = false
            pos += 1
            guard let c = peek, isDigit(c) else { throw Failure(offset: pos, message: "a number needs digits after '.'") }
            while let c = peek, isDigit(c) { pos += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            integral = false
            pos += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
            guard let c = peek, isDigit(c) else { throw Failure(offset: pos, message: "a number needs digits in its exponent") }
            while let c = peek, isDigit(c) { pos += 1 }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if integral, Double(text)?.isFinite == false { return .string(text) }
        guard let value = Double(text), value.isFinite else {
            throw Failure(offset: start, message: "the number \(text.count > 40 ? String(text.prefix(40)) + "…" : text) is beyond the range of a double (±1.8e308)")
        }
        if integral, abs(value) >= 0x1p53, !Self.isExact(value, text) { return .string(text) }
        return .number(value)
    }

    /// Whether the Double `value` (an integer, |value| ≥ 2⁵³) is exactly the integer written as
    /// `text` (digits without leading zeros, maybe after a `-`): the decimal digits of
    /// `m · 2ᵏ`, for its significand `m` and exponent `k ≥ 1`, formed in base-10⁹ limbs shifted
    /// up to 29 bits at a time, are the text's.
    private static func isExact(_ value: Double, _ text: String) -> Bool {
        let magnitude = abs(value), base: UInt64 = 1_000_000_000
        var left = Int(magnitude.exponent) - Double.significandBitCount
        var m = magnitude.significandBitPattern | (1 << UInt64(Double.significandBitCount))
        var limbs: [UInt64] = []
        while m > 0 { limbs.append(m % base); m /= base }
        while left > 0 {
            let shift = UInt64(min(left, 29))
            left -= Int(shift)
            var carry: UInt64 = 0
            for i in limbs.indices {
                let x = limbs[i] << shift + carry
                (limbs[i], carry) = (x % base, x / base)
            }
            while carry > 0 { limbs.append(carry % base); carry /= base }
        }
        var digits = String(limbs.last ?? 0)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            digits += String(repeating: "0", count: 9 - part.count) + part
        }
        return digits == (text.hasPrefix("-") ? String(text.dropFirst()) : text)
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let expected = Array(word.utf8)
        guard bytes.count - pos >= expected.count, Array(bytes[pos..<(pos + expected.count)]) == expected else {
            throw Failure(offset: pos, message: "unexpected \(shown(pos)); expected a value (did you mean \(word)?)")
        }
        pos += expected.count
    }

    private func unclosed(_ what: String, _ open: Int, expected: String) -> Failure {
        let location = JSONReader.lineAndColumn(of: open, in: bytes)
        return Failure(offset: bytes.count, message: "the text ends inside the \(what) opened at line \(location.line), column \(location.column); expected \(expected)")
    }

    /// Lines end as in source files (`\n`, `\r\n` or a lone `\r`); the column counts bytes, the
    /// first line's after a byte-order mark.
    private static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let starts = SourceFile.lineStarts(of: bytes)
        let line = starts.lastIndex { $0 <= offset } ?? 0
        let mark = line == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) && offset >= 3 ? 3 : 0
        return (line + 1, offset - starts[line] - mark + 1)
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
}
