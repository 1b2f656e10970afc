import Tensor

/// One document as an editor sees it: its syntax and name errors and the answers to an
/// editor's questions (completion, hover, signature, definition, symbols, rename, highlighting,
/// formatting), from the interpreter's own lexer, parser and resolver. Nothing is run; imported
/// files are only read.
///
/// Every query takes any position (clamped to the document) and never fails on any text.
package final class EditorAnalysis {
    package let path: String
    let file: SourceFile
    let tokens: [Token]
    let index: SymbolIndex
    let builtins: [String: Builtin]
    /// Syntax and name-resolution errors (and errors of imported files).
    package let diagnostics: [Diagnostic]
    /// The files this document imports, read on first need (as saved, unless
    /// ``readImports(asOpen:generation:)`` gave the open documents).
    lazy var workspace = WorkspaceIndex()
    /// The generation of the open documents `workspace` reads (``readImports(asOpen:generation:)``).
    private var openGeneration: Int?

    /// Analyses `text`, whose file is `path` (imports are relative to it), with the builtins of
    /// `interpreter`.
    package init(text: String, path: String, interpreter: Interpreter) {
        self.path = path
        builtins = interpreter.registered
        let (source, problems) = Self.sourceFile(path: path, bytes: Array(text.utf8))
        file = source
        var tokens: [Token] = [], index: SymbolIndex?, checked: [Diagnostic] = []
        // One lexing and one parse serve the index, the highlighting and the interpreter's check;
        // without the stack they need, the document is analysed as empty and the error reported.
        var unavailable: [Diagnostic] = []
        do {
            try BigStack.run {
                var lexer = Lexer(file: source)
                tokens = lexer.run()
                let parsed = Parser.parse(source, tokens: tokens, lexical: lexer.diagnostics)
                index = SymbolIndex(file: source, tokens: tokens, statements: parsed.statements)
                if problems.isEmpty { checked = interpreter.check(source, parsed: parsed) }
            }
        } catch {
            unavailable = [error.diagnostic(path: path)]
        }
        self.tokens = tokens
        self.index = index ?? SymbolIndex(file: source, tokens: [], statements: [])
        diagnostics = unavailable + (problems.isEmpty ? checked : problems)
    }

    /// Follows imports into the files of `open` (the editor's open documents) as the editor holds
    /// them, saved or not, and into other files as saved, for definition, hover, highlighting,
    /// completion and signatures from now on. `generation` counts the editor's changes to its
    /// open documents: given the same generation as the last time, the files already read are
    /// kept (completion asks on every keystroke); otherwise they are read again when needed.
    package func readImports(asOpen open: [EditorAnalysis], generation: Int) {
        guard generation != openGeneration else { return }
        openGeneration = generation
        workspace = WorkspaceIndex(open: WorkspaceIndex.documents(of: open))
    }

    /// Whether the document imports any file.
    package var importsFiles: Bool { !index.imports.isEmpty }

    /// A source file over `bytes` and the problem with them: a NUL byte (the only thing a
    /// Swift string can hold that a script cannot) is reported and analysed as a space.
    private static func sourceFile(path: String, bytes: [UInt8]) -> (SourceFile, [Diagnostic]) {
        var bytes = bytes, problems: [Diagnostic] = []
        while true {
            switch SourceFile.make(path: path, bytes: bytes) {
            case .success(let file): return (file, Array(problems.prefix(1)))
            case .failure(let problem):
                problems.append(problem.diagnostic)
                let bad = problem.diagnostic.span.lowerBound
                if bad >= 0, bad < bytes.count { bytes[bad] = UInt8(ascii: " ") } else { bytes = [] }
            }
        }
    }

    /// The editor range of a diagnostic of this document.
    package func range(of diagnostic: Diagnostic) -> EditorRange {
        file.editorRange(Span(start: diagnostic.span.lowerBound, end: diagnostic.span.upperBound))
    }

    /// The range of the whole document.
    package var wholeRange: EditorRange {
        file.editorRange(Span(start: 0, end: file.bytes.count))
    }

    // MARK: - Tokens and names at a position

    /// The token whose span contains `offset` (or ends at it), newlines and the end excluded.
    func token(at offset: Int) -> Token? {
        tokens.last { $0.kind != .newline && $0.kind != .end && $0.span.start <= offset && offset <= $0.span.end }
    }

    /// The identifier token at `offset`.
    func identifier(at offset: Int) -> Token? {
        guard let token = token(at: offset), token.kind == .identifier else { return nil }
        return token
    }

    /// The builtin a name at `offset` refers to (when no declaration of the file shadows it).
    func builtin(named name: String, at offset: Int) -> Builtin? {
        let shadowed = index.visibleSymbols(at: offset).contains { index.symbols[$0].name == name }
        return shadowed ? nil : builtins[name]
    }

    /// Whether `offset` is inside a comment or a string, where no completion is offered.
    func inCommentOrString(_ offset: Int) -> Bool {
        if tokens.contains(where: { $0.kind == .string && $0.span.start < offset && offset < $0.span.end }) { return true }
        let lineStart = file.lineStarts[file.line(of: offset) - 1]
        let before = tokens.last { $0.span.end <= offset && $0.span.end >= lineStart && $0.kind != .newline }
        return !SourceComments.comments(in: file, from: before?.span.end ?? lineStart, to: offset).isEmpty
    }

    // MARK: - Definition

    /// Where the name (or import path) at `position` is defined: in this file or in an
    /// imported one.
    package func definition(at position: EditorPosition) -> [EditorLocation] {
        let offset = file.offset(of: position)
        if let entry = index.imports.first(where: { $0.span.start <= offset && offset <= $0.span.end }) {
            guard let path = workspace.canonicalPath(entry.path, importedBy: path),
                  workspace.document(at: path) != nil else { return [] }
            return [EditorLocation(path: path, range: EditorRange(start: .init(line: 0, character: 0), end: .init(line: 0, character: 0)))]
        }
        guard let token = identifier(at: offset) else { return [] }
        if let symbol = index.symbol(at: offset) {
            return [EditorLocation(path: path, range: file.editorRange(index.symbols[symbol].nameSpan))]
        }
        // A label or a `.field` names a parameter or a field, never a global of an imported file.
        if index.argumentLabels.contains(where: { $0 == token.span }) || index.fieldNames.contains(where: { $0 == token.span }) {
            return []
        }
        guard let found = workspace.global(named: token.text, importedBy: path, imports: index.imports.map(\.path)) else { return [] }
        return [EditorLocation(path: found.path, range: found.file.editorRange(found.symbol.nameSpan))]
    }

    // MARK: - Hover

    /// Markdown describing the name at `position`: a builtin's signature and documentation, or
    /// the line that defines a variable or function (with the comment above a function).
    package func hover(at position: EditorPosition) -> (markdown: String, range: EditorRange)? {
        let offset = file.offset(of: position)
        guard let token = identifier(at: offset) else { return nil }
        let range = file.editorRange(token.span)
        if let symbol = index.symbol(at: offset) {
            return (Self.describe(index.symbols[symbol], in: file, where: nil), range)
        }
        if index.argumentLabels.contains(where: { $0 == token.span }) || index.fieldNames.contains(where: { $0 == token.span }) {
            return nil
        }
        if let builtin = builtin(named: token.text, at: offset) {
            return (Self.describe(builtin), range)
        }
        if let found = workspace.global(named: token.text, importedBy: path, imports: index.imports.map(\.path)) {
            return (Self.describe(found.symbol, in: found.file, where: found.path), range)
        }
        return nil
    }

    /// A builtin's usage, documentation and parameters, as Markdown.
    static func describe(_ builtin: Builtin) -> String {
        var text = "```msense\n\(builtin.usage)\n```\n\n\(builtin.doc)"
        let documented = builtin.parameters.filter { !$0.doc.isEmpty }
        if !documented.isEmpty {
            text += "\n\n" + documented.map { "- `\($0.name)`: \($0.doc)" }.joined(separator: "\n")
        }
        return text
    }

    /// A declaration's source line (and the comment lines just above a function), as Markdown.
    static func describe(_ symbol: SymbolIndex.Symbol, in file: SourceFile, where path: String?) -> String {
        let line = file.line(of: symbol.nameSpan.start)
        var text = "```msense\n\(file.lineText(line).trimmingLeadingSpaces)\n```\n\n"
        let kind: String
        switch symbol.kind {
        case .function: kind = "function"
        case .variable: kind = symbol.isGlobal ? "global variable" : "local variable"
        case .parameter: kind = "parameter"
        case .loopVariable: kind = "loop variable"
        }
        text += "\(kind), defined on line \(line)" + (path.map { " of `\($0)`" } ?? "")
        if symbol.kind == .function {
            var comments: [String] = []
            var above = line - 1
            while above >= 1, case let l = file.lineText(above).trimmingLeadingSpaces, l.hasPrefix("#") {
                comments.insert(String(l.dropFirst()).trimmingLeadingSpaces, at: 0)
                above -= 1
            }
            if !comments.isEmpty { text += "\n\n" + comments.joined(separator: "\n") }
        }
        return text
    }

    // MARK: - Document symbols

    /// A function or top-level variable of the document.
    package struct Symbol {
        package let name: String
        package let isFunction: Bool
        package let range: EditorRange
        package let selectionRange: EditorRange
        package let detail: String
    }

    /// The document's functions (at any depth) and top-level lets, in source order.
    package var symbols: [Symbol] {
        index.symbols.filter { $0.isGlobal || $0.kind == .function }
            .sorted { $0.nameSpan.start < $1.nameSpan.start }
            .map { symbol in
                let detail = symbol.kind == .function
                    ? "(" + symbol.parameters.map { p in p.defaultText.map { "\(p.name) = \($0)" } ?? p.name }.joined(separator: ", ") + ")"
                    : ""
                return Symbol(name: symbol.name, isFunction: symbol.kind == .function,
                              range: file.editorRange(symbol.declarationSpan), selectionRange: file.editorRange(symbol.nameSpan),
                              detail: detail)
            }
    }

    // MARK: - References

    /// One place where a name of this file appears.
    package struct Occurrence: Equatable {
        package enum Kind: Equatable {
            /// Where the name is declared (`let`, `fn`, a parameter, a loop or catch variable).
            case declaration
            /// Where it is read or assigned.
            case use
            /// A named argument's label that passes the parameter (`f(x: …)`).
            case label
        }

        package let range: EditorRange
        package let kind: Kind
    }

    /// Every place in this file that refers to the declaration of the name at `position`
    /// (the declaration first, then in source order). For a global of an imported file, its
    /// uses in this file (its declaration is in the other file); empty for a builtin, a label of
    /// a builtin or an undefined name.
    package func occurrences(at position: EditorPosition) -> [Occurrence] {
        let offset = file.offset(of: position)
        guard let symbol = index.symbol(at: offset) else {
            guard let reference = importedReference(at: offset) else { return [] }
            return index.undeclaredUses(of: reference.name).map { Occurrence(range: file.editorRange($0), kind: .use) }
        }
        let uses = index.uses(of: symbol).map { ($0, Occurrence.Kind.use) }
            + index.labels(of: symbol).map { ($0, Occurrence.Kind.label) }
        return [Occurrence(range: file.editorRange(index.symbols[symbol].nameSpan), kind: .declaration)]
            + uses.sorted { $0.0.start < $1.0.start }.map { Occurrence(range: file.editorRange($0.0), kind: $0.1) }
    }

    /// The use at `offset` of a name this file does not declare but an imported file does.
    private func importedReference(at offset: Int) -> SymbolIndex.Reference? {
        guard let reference = index.reference(at: offset), reference.symbol == nil,
              workspace.global(named: reference.name, importedBy: path, imports: index.imports.map(\.path)) != nil else { return nil }
        return reference
    }

    // MARK: - Rename

    /// The ranges to replace with `newName` to rename the local name at `position` (for a
    /// parameter, with the labels of the calls in this file that pass it by name), or why it
    /// cannot be renamed.
    package func rename(at position: EditorPosition, to newName: String) -> Result<[EditorRange], RenameRefusal> {
        let offset = file.offset(of: position)
        guard let symbolIndex = index.symbol(at: offset) else {
            return .failure(RenameRefusal(message: "there is no variable, parameter or function of this file here"))
        }
        let symbol = index.symbols[symbolIndex]
        guard !symbol.isGlobal else {
            return .failure(RenameRefusal(message: "'\(symbol.name)' is a top-level name, which files importing this one may use; only local names can be renamed"))
        }
        guard Self.isIdentifier(newName) else {
            return .failure(RenameRefusal(message: "'\(newName)' is not a name: use letters, digits and _, not starting with a digit, and not a keyword"))
        }
        let uses = index.uses(of: symbolIndex)
        // Its own name changes nothing (editors send it when the rename box is confirmed as is).
        if newName == symbol.name { return .success(([symbol.nameSpan] + uses + index.labels(of: symbolIndex)).map(file.editorRange)) }
        // The new name must not capture or be captured: no other declaration of it may be
        // visible where the symbol is declared or used, and no builtin of that name used there.
        for place in [symbol.nameSpan] + uses {
            let clash = index.visibleSymbols(at: place.start).contains { index.symbols[$0].name == newName && $0 != symbolIndex }
            if clash { return .failure(RenameRefusal(message: "'\(newName)' is already defined where '\(symbol.name)' is used")) }
        }
        if let scope = index.scopes.firstIndex(where: { $0.names.contains { $0.symbol == symbolIndex } }) {
            let extent = index.scopes[scope].extent
            let captured = index.references.contains { $0.name == newName && $0.span.start >= extent.start && $0.span.end <= extent.end }
            let declared = index.symbols.contains { $0.name == newName && $0.nameSpan.start >= extent.start && $0.nameSpan.end <= extent.end }
            if captured || declared {
                return .failure(RenameRefusal(message: "'\(newName)' is already used where '\(symbol.name)' is visible"))
            }
        }
        // A parameter's name is also the label of the named arguments that pass it.
        return .success(([symbol.nameSpan] + uses + index.labels(of: symbolIndex)).map(file.editorRange))
    }

    /// Why a rename was refused.
    package struct RenameRefusal: Error {
        package let message: String
    }

    static func isIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
              bytes.allSatisfy(Lexer.isIdentifierByte) else { return false }
        return TokenKind.keywords[name] == nil
    }

    /// The range of the name at `position` when it can be renamed.
    package func renameRange(at position: EditorPosition) -> EditorRange? {
        let offset = file.offset(of: position)
        guard let symbol = index.symbol(at: offset), !index.symbols[symbol].isGlobal,
              let token = identifier(at: offset) else { return nil }
        return file.editorRange(token.span)
    }

    // MARK: - Formatting

    /// The canonical layout of the document, or nil when it has syntax errors.
    package func formatted() -> String? {
        guard case .success(let text) = SourceFormatter.format(bytes: file.bytes, path: path) else { return nil }
        return text
    }
}

extension String {
    /// The string without its leading spaces and tabs.
    var trimmingLeadingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" })
    }
}
