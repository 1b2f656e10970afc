/// A place in a document as editors count it: 0-based line and 0-based column in UTF-16 code
/// units (the Language Server Protocol's default encoding).
package struct EditorPosition: Sendable, Equatable {
    package let line: Int
    package let character: Int
    package init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }
}

/// A half-open range of editor positions.
package struct EditorRange: Sendable, Equatable {
    package let start: EditorPosition
    package let end: EditorPosition
    package init(start: EditorPosition, end: EditorPosition) {
        self.start = start
        self.end = end
    }
}

/// A range in some file (a document, or a file it imports).
package struct EditorLocation: Sendable, Equatable {
    package let path: String
    package let range: EditorRange
}

extension SourceFile {
    /// The editor position of byte `offset` (clamped to the file; a position inside a UTF-8
    /// sequence counts as its start).
    func editorPosition(of offset: Int) -> EditorPosition {
        let line = self.line(of: offset)
        let lineStart = lineStarts[line - 1]
        let clamped = max(lineStart, min(offset, bytes.count))
        var units = 0, i = lineStart
        while i < clamped {
            let length = Self.sequenceLength(bytes[i])
            guard i + length <= clamped else { break }
            units += length == 4 ? 2 : 1
            i += length
        }
        return EditorPosition(line: line - 1, character: units)
    }

    /// The byte offset of an editor position, clamped: a line past the end is the end of the
    /// file, a column past the end of its line is the end of the line.
    func offset(of position: EditorPosition) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < lineStarts.count else { return bytes.count }
        var i = lineStarts[position.line]
        let end = lineEnd(position.line + 1)
        var units = 0
        while i < end, units < position.character {
            let length = Self.sequenceLength(bytes[i])
            units += length == 4 ? 2 : 1
            i = min(end, i + length)
        }
        return i
    }

    /// Bytes of the UTF-8 sequence that `lead` starts (4-byte sequences are 2 UTF-16 units).
    static func sequenceLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// The editor range of a byte span.
    func editorRange(_ span: Span) -> EditorRange {
        EditorRange(start: editorPosition(of: span.start), end: editorPosition(of: max(span.start, span.end)))
    }
}

/// Converts byte offsets of one file, given in increasing order, to editor positions in one
/// pass: each position is counted on from the previous one, where `editorPosition(of:)` counts
/// from the start of the line (for the many tokens of one long line, a quadratic cost).
struct EditorPositionCursor {
    private let file: SourceFile
    /// The 0-based line of `offset`, `offset` itself, and its UTF-16 column.
    private var line = 0, offset = 0, units = 0

    init(file: SourceFile) {
        self.file = file
    }

    /// The editor position of byte `target`, as `SourceFile.editorPosition(of:)` gives it.
    mutating func position(of target: Int) -> EditorPosition {
        let target = max(0, min(target, file.bytes.count))
        if target < offset {
            let position = file.editorPosition(of: target)
            (line, offset, units) = (position.line, file.lineStarts[position.line], 0)
        }
        while line + 1 < file.lineStarts.count, file.lineStarts[line + 1] <= target {
            line += 1
            (offset, units) = (file.lineStarts[line], 0)
        }
        while offset < target {
            let length = SourceFile.sequenceLength(file.bytes[offset])
            guard offset + length <= target else { break }
            units += length == 4 ? 2 : 1
            offset += length
        }
        return EditorPosition(line: line, character: units)
    }

    /// The editor range of a byte span starting at or after the previous one's end.
    mutating func range(_ span: Span) -> EditorRange {
        let start = position(of: span.start)
        return EditorRange(start: start, end: position(of: max(span.start, span.end)))
    }
}

/// Edits of a document's text in editor positions.
package enum EditorText {
    /// `text` with `range` replaced by `replacement` (positions clamped to the text). A range whose
    /// end comes before its start (which the protocol does not allow) replaces the text between
    /// the two positions, as its editor most likely meant, rather than inserting at one of them.
    package static func replacing(_ range: EditorRange, in text: String, with replacement: String) -> String {
        let bytes = Array(text.utf8)
        // A NUL byte (which analysis reports) is placed as a space: it is one column either way.
        let placed = bytes.map { $0 == 0 ? UInt8(ascii: " ") : $0 }
        guard case .success(let file) = SourceFile.make(path: "<edit>", bytes: placed) else {
            return text  // not reached: a Swift string is valid UTF-8, and NUL bytes are replaced
        }
        let one = file.offset(of: range.start), other = file.offset(of: range.end)
        let (start, end) = (min(one, other), max(one, other))
        let prefix = file.bytes.count == bytes.count ? 0 : bytes.count - file.bytes.count  // a byte order mark
        return String(decoding: bytes[..<(prefix + start)] + Array(replacement.utf8) + bytes[(prefix + end)...], as: UTF8.self)
    }
}
