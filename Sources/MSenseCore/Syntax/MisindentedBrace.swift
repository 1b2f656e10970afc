/// Which `{` a missing `}` most likely belongs to, judged by indentation.
///
/// When a block is left open, the parser sees the error only where the braces run out (often at
/// the end of the file), and the innermost `{` still open there is an outer one: the `}` meant
/// for it closed an inner block instead. The telltale is a `}` first on its line whose
/// indentation differs from the line of the `{` it closed but equals the line of an enclosing
/// `{`: it was written for that enclosing block, and the `{` it closed is the one left open.
/// rustc points at the same mismatch ("this delimiter might not be properly closed…").
/// Consistently indented or unindented code gives no guess, and the innermost open bracket
/// stays the hint.
struct MisindentedBrace {
    /// The `{` probably left open.
    let open: Span
    /// The `}` that closed it but is indented for an enclosing block.
    let close: Span
    /// The line of that enclosing block's `{`, whose indentation the `}` shares.
    let enclosingLine: Int

    /// The first such `}` in `tokens[openIndex..<endIndex]`, where `tokens[openIndex]` is the
    /// `{` of the block still open at `endIndex`; nil when indentation suggests nothing.
    static func find(in file: SourceFile, tokens: [Token], openIndex: Int, endIndex: Int) -> MisindentedBrace? {
        guard openIndex < endIndex, endIndex <= tokens.count, tokens[openIndex].kind == .leftBrace else { return nil }
        var open: [(span: Span, indent: ArraySlice<UInt8>, line: Int)] = []
        for token in tokens[openIndex..<endIndex] {
            switch token.kind {
            case .leftBrace:
                let line = file.line(of: token.span.start)
                open.append((token.span, indentation(of: line, in: file), line))
            case .rightBrace:
                guard open.count > 1 else { return nil }
                let inner = open.removeLast()
                let line = file.line(of: token.span.start)
                let indent = indentation(of: line, in: file)
                guard file.lineStarts[line - 1] + indent.count == token.span.start, indent != inner.indent,
                      let enclosing = open.last(where: { $0.indent == indent }) else { continue }
                return MisindentedBrace(open: inner.span, close: token.span, enclosingLine: enclosing.line)
            default: continue
            }
        }
        return nil
    }

    /// The spaces and tabs that begin 1-based `line`.
    private static func indentation(of line: Int, in file: SourceFile) -> ArraySlice<UInt8> {
        let start = file.lineStarts[line - 1]
        var end = start
        while end < file.bytes.count, file.bytes[end] == UInt8(ascii: " ") || file.bytes[end] == UInt8(ascii: "\t") { end += 1 }
        return file.bytes[start..<end]
    }
}
