/// The text of one script, with what is needed to turn byte offsets into lines and columns.
///
/// The lexer works on UTF-8 bytes; the constructor refuses bytes that are not valid UTF-8 or
/// that contain NUL, so every later stage may assume well-formed text.
public struct SourceFile: Sendable {
    /// The path shown in diagnostics (`<eval>`, `<stdin>` or a file path).
    public let path: String
    /// The UTF-8 bytes of the whole file.
    let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    let lineStarts: [Int]

    /// A source file over `bytes`, or the diagnostic saying why the bytes are not a script.
    /// A leading UTF-8 byte order mark (EF BB BF) is dropped, as Python does.
    static func make(path: String, bytes: [UInt8]) -> Result<SourceFile, SourceProblem> {
        let bytes = bytes.starts(with: byteOrderMark) ? Array(bytes.dropFirst(byteOrderMark.count)) : bytes
        let file = SourceFile(path: path, bytes: bytes)
        if let bad = SourceFile.firstInvalidByte(in: bytes) {
            let byte = "byte 0x\(String(bytes[bad], radix: 16, uppercase: true))"
            let message = bytes[bad] == 0
                ? "the file contains a NUL byte"
                : (0xC2...0xF4).contains(bytes[bad])
                ? "the file is not valid UTF-8 (\(byte) starts a character that the next bytes do not complete)"
                : "the file is not valid UTF-8 (\(byte))"
            return .failure(SourceProblem(diagnostic: Diagnostic(
                file: file, span: Span(start: bad, end: bad + 1), message: message,
                hint: "msense scripts are UTF-8 text files")))
        }
        return .success(file)
    }

    /// The UTF-8 byte order mark some editors put at the start of a file.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A source file over `text`, which Swift guarantees is valid UTF-8 (NUL is still checked).
    static func make(path: String, text: String) -> Result<SourceFile, SourceProblem> {
        make(path: path, bytes: Array(text.utf8))
    }

    private init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        self.lineStarts = SourceFile.lineStarts(of: bytes)
    }

    /// Whether `byte` is part of a line break. A line ends at `\n`, `\r\n` or a lone `\r`, as
    /// the Language Server Protocol (3.17, "Text Documents") and editors count lines; every
    /// stage (lexer, diagnostics, formatter, language server) splits lines here.
    static func isLineBreak(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// Offsets at which lines start: 0, and one past every `\n` and every `\r` not followed by `\n`
    /// (also how data files such as JSON count their lines in error messages).
    package static func lineStarts(of bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (i, b) in bytes.enumerated() {
            let endsLine = b == UInt8(ascii: "\n")
                || (b == UInt8(ascii: "\r") && (i + 1 == bytes.count || bytes[i + 1] != UInt8(ascii: "\n")))
            if endsLine { starts.append(i + 1) }
        }
        return starts
    }

    /// The offset just past the last character of 1-based `line`, before its line break
    /// (`\n`, `\r\n` or `\r`); `line` must be in `1...lineStarts.count`.
    func lineEnd(_ line: Int) -> Int {
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return end
    }

    /// The 1-based line and column (in Unicode scalars) of byte `offset`.
    func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        let line = line(of: clamped)
        let column = SourceFile.scalarCount(bytes[lineStarts[line - 1]..<clamped]) + 1
        return SourceLocation(line: line, column: column)
    }

    /// The 1-based line of byte `offset` (clamped to the file), without counting its column:
    /// what a caller placing every token of a long line needs, at no cost per column.
    func line(of offset: Int) -> Int {
        let clamped = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {  // last line start <= clamped
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// The text of 1-based `line` without its line terminator (invalid bytes replaced).
    func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        return String(decoding: bytes[lineStarts[line - 1]..<lineEnd(line)], as: UTF8.self)
    }

    /// The source text of `span` (invalid bytes replaced).
    func text(_ span: Span) -> String {
        let s = max(0, min(span.start, bytes.count)), e = max(s, min(span.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }

    /// Number of Unicode scalars in valid UTF-8 `slice` (continuation bytes are not counted).
    static func scalarCount(_ slice: ArraySlice<UInt8>) -> Int {
        slice.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    /// Offset of the first byte that is NUL or breaks UTF-8 well-formedness, if any: for a
    /// multi-byte character cut short, the offset of its first byte.
    static func firstInvalidByte(in bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0 { return i }
            if b < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            guard i + length <= n else { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                let (lo, hi) = k == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                if c < lo || c > hi { return i }
            }
            i += length
        }
        return nil
    }
}

/// A 1-based line and column in a source file; columns count Unicode scalars.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number.
    public let line: Int
    /// 1-based column, counted in Unicode scalars.
    public let column: Int
    public var description: String { "\(line):\(column)" }
}

/// A half-open range of byte offsets `start..<end` in one source file.
public struct Span: Sendable, Equatable {
    /// Offset of the first byte.
    public let start: Int
    /// Offset one past the last byte.
    public let end: Int
    /// The span from the start of `self` to the end of `other`.
    func through(_ other: Span) -> Span { Span(start: start, end: max(end, other.end)) }
}

/// Why bytes could not become a `SourceFile` (invalid UTF-8 or a NUL byte).
struct SourceProblem: Error {
    let diagnostic: Diagnostic
}
