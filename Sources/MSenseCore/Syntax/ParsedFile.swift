/// A whole file parsed: its statements and every lexical and syntax error, in source order. The
/// statements are complete only when `diagnostics` is empty (the parser skips what it cannot read).
struct ParsedFile {
    let statements: [Stmt]
    let diagnostics: [Diagnostic]
}
