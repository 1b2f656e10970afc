/// Semantic highlighting: every token of the document classified with what the resolver's
/// scoping knows (a parameter, a local or global variable, a user function, a builtin).
extension EditorAnalysis {
    /// The token types, in the order of the legend sent to editors.
    package enum SemanticType: Int, CaseIterable {
        case keyword, number, string, comment, `operator`, function, variable, parameter, property

        package var name: String { "\(self)" }
    }

    /// Modifier bits, in the order of the legend.
    package enum SemanticModifier: Int, CaseIterable {
        case declaration, defaultLibrary

        package var name: String { "\(self)" }
        package var bit: Int { 1 << rawValue }
    }

    /// One classified token: a range on a single line.
    package struct SemanticToken: Equatable {
        package let range: EditorRange
        package let type: SemanticType
        package let modifiers: Int
    }

    /// Every token and comment of the document, classified, in document order.
    package var semanticTokens: [SemanticToken] {
        var found: [(span: Span, type: SemanticType, modifiers: Int)] = []
        let declarations = Dictionary(index.symbols.map { ($0.nameSpan.start, $0) }, uniquingKeysWith: { a, _ in a })
        let references = Dictionary(index.references.map { ($0.span.start, $0) }, uniquingKeysWith: { a, _ in a })
        let labels = Set(index.argumentLabels.map(\.start)), fields = Set(index.fieldNames.map(\.start))
        var previousEnd = 0
        for token in tokens {
            for comment in SourceComments.comments(in: file, from: previousEnd, to: token.span.start) {
                found.append((Span(start: comment.start, end: comment.start + comment.text.utf8.count), .comment, 0))
            }
            previousEnd = token.span.end
            let type: SemanticType, modifiers: Int
            switch token.kind {
            case .newline, .end:
                continue
            case .number:
                (type, modifiers) = (.number, 0)
            case .string:
                (type, modifiers) = (.string, 0)
            case .identifier:
                if let symbol = declarations[token.span.start] {
                    (type, modifiers) = (Self.semanticType(symbol.kind), SemanticModifier.declaration.bit)
                } else if let reference = references[token.span.start] {
                    if let symbol = reference.symbol {
                        (type, modifiers) = (Self.semanticType(index.symbols[symbol].kind), 0)
                    } else if builtins[reference.name] != nil {
                        (type, modifiers) = (.function, SemanticModifier.defaultLibrary.bit)
                    } else {
                        (type, modifiers) = (.variable, 0)
                    }
                } else if labels.contains(token.span.start) {
                    (type, modifiers) = (.parameter, 0)
                } else if fields.contains(token.span.start) {
                    (type, modifiers) = (.property, 0)
                } else {
                    (type, modifiers) = (.variable, 0)
                }
            default:
                if TokenKind.keywords.values.contains(token.kind) {
                    (type, modifiers) = (.keyword, 0)
                } else {
                    (type, modifiers) = (.operator, 0)
                }
            }
            found.append((token.span, type, modifiers))
        }
        for comment in SourceComments.comments(in: file, from: previousEnd, to: file.bytes.count) {
            found.append((Span(start: comment.start, end: comment.start + comment.text.utf8.count), .comment, 0))
        }
        var cursor = EditorPositionCursor(file: file)
        return found.map { SemanticToken(range: cursor.range($0.span), type: $0.type, modifiers: $0.modifiers) }
    }

    private static func semanticType(_ kind: SymbolIndex.SymbolKind) -> SemanticType {
        switch kind {
        case .function: .function
        case .parameter: .parameter
        case .variable, .loopVariable: .variable
        }
    }
}
