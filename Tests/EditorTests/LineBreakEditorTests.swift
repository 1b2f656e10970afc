import Foundation
import Testing
import MSense
@testable import MSenseCore
@testable import MSenseLSP

/// The formatter and the language server count `\n`, `\r\n` and a lone `\r` as line breaks,
/// as the Language Server Protocol (3.17, "Text Documents") and editors do.
@Suite struct LineBreakEditorTests {
    static let interpreter = Interpreter(output: { _ in })

    private func analysis(_ text: String) -> EditorAnalysis {
        EditorAnalysis(text: text, path: "/tmp/line-breaks.msense", interpreter: Self.interpreter)
    }

    /// Lines: 0 `let rate = 0.5`, 1 `fn f(a) {`, 2 `    return a * rate`, 3 `}`, 4 `print(f(rate))`.
    static let mixed = "let rate = 0.5\rfn f(a) {\r\n    return a * rate\n}\rprint(f(rate))\r"

    @Test func diagnosticsAreOnTheEditorsLine() {
        let a = analysis("let x = 1\rlet y = 2\r\nprint(x +)\r")
        #expect(a.diagnostics.count == 1)
        #expect(a.diagnostics.first.map(a.range(of:)) == EditorRange(start: .init(line: 2, character: 9), end: .init(line: 2, character: 10)))
        let b = analysis("let learning = 1\rprint(lerning)\r")
        #expect(b.diagnostics.first.map(b.range(of:)) == EditorRange(start: .init(line: 1, character: 6), end: .init(line: 1, character: 13)))
    }

    @Test func hoverDefinitionRenameAndTokensFollowCarriageReturns() throws {
        let a = analysis(Self.mixed)
        #expect(a.diagnostics.isEmpty, "\(a.diagnostics)")
        let hover = try #require(a.hover(at: EditorPosition(line: 2, character: 16)))
        #expect(hover.markdown.contains("let rate = 0.5") && hover.markdown.contains("line 1"))
        #expect(hover.range == EditorRange(start: .init(line: 2, character: 15), end: .init(line: 2, character: 19)))
        let definition = a.definition(at: EditorPosition(line: 4, character: 9))
        #expect(definition.first?.range == EditorRange(start: .init(line: 0, character: 4), end: .init(line: 0, character: 8)))
        guard case .success(let ranges) = a.rename(at: EditorPosition(line: 1, character: 5), to: "x") else {
            Issue.record("parameter a was not renamed")
            return
        }
        #expect(ranges.map(\.start).sorted { ($0.line, $0.character) < ($1.line, $1.character) }
                == [EditorPosition(line: 1, character: 5), EditorPosition(line: 2, character: 11)])
        let tokens = a.semanticTokens
        func type(at line: Int, _ character: Int) -> EditorAnalysis.SemanticType? {
            tokens.first { $0.range.start == EditorPosition(line: line, character: character) }?.type
        }
        #expect(type(at: 1, 0) == .keyword && type(at: 1, 3) == .function && type(at: 2, 4) == .keyword)
        #expect(type(at: 4, 0) == .function && type(at: 4, 6) == .function)
    }

    @Test func aCommentEndsAtACarriageReturn() {
        let tokens = analysis("# note\rlet n = 1\r").semanticTokens
        #expect(tokens.first { $0.type == .comment }?.range == EditorRange(start: .init(line: 0, character: 0), end: .init(line: 0, character: 6)))
        #expect(tokens.contains { $0.range.start == EditorPosition(line: 1, character: 0) && $0.type == .keyword })
    }

    @Test func positionsPastALineEndStopBeforeItsBreak() {
        // Replacing up to character 99 of line 0 replaces "let a = 1", not the "\r" after it.
        let edited = EditorText.replacing(EditorRange(start: .init(line: 0, character: 4), end: .init(line: 0, character: 99)),
                                          in: "let a = 1\rlet b = 2\r", with: "z = 3")
        #expect(edited == "let z = 3\rlet b = 2\r")
        let crlf = EditorText.replacing(EditorRange(start: .init(line: 1, character: 0), end: .init(line: 1, character: 3)),
                                        in: "x\r\nlet b\r\n", with: "var")
        #expect(crlf == "x\r\nvar b\r\n")
    }

    @Test func theFormatterWritesNewlines() {
        let formatted = SourceFormatter.format("let x=1\rprint( x )\r\n# c\r\r\rfn f(a) {\rreturn a\r}", path: "t")
        #expect((try? formatted.get()) == "let x = 1\nprint(x)\n# c\n\nfn f(a) {\n    return a\n}\n")
    }

    @Test func theServerPublishesAndEditsOnCarriageReturnLines() throws {
        let harness = LanguageServerTests.Harness()
        _ = harness.request(1, "initialize", [String: Any]())
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                      "params": ["textDocument": ["uri": "file:///nowhere/cr.msense", "version": 1, "text": "let x = 1\rprint(y)\r"]]])
        let published = try #require(harness.received.last { $0["method"] as? String == "textDocument/publishDiagnostics" })
        let diagnostic = try #require(((published["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]])?.first)
        let start = try #require((diagnostic["range"] as? [String: Any])?["start"] as? [String: Any])
        #expect(JSON.int(start["line"]) == 1 && JSON.int(start["character"]) == 6)
        harness.received.removeAll()
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didChange",
                      "params": ["textDocument": ["uri": "file:///nowhere/cr.msense", "version": 2],
                                 "contentChanges": [["range": ["start": ["line": 1, "character": 6], "end": ["line": 1, "character": 7]],
                                                     "text": "x"]]]])
        let republished = try #require(harness.received.last { $0["method"] as? String == "textDocument/publishDiagnostics" })
        #expect(((republished["params"] as? [String: Any])?["diagnostics"] as? [Any])?.isEmpty == true)
    }
}
