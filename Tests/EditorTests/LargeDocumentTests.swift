import Foundation
import Testing
@testable import MSenseCore
@testable import MSenseLSP

/// What lets the server answer a document of many lines, or one very long line, without
/// quadratic work (the symbol index's lookups by name, the one-pass position cursor, the JSON
/// writer's exact-type dispatch) gives the same answers as the direct computations.
@Suite struct LargeDocumentTests {
    private func analysis(_ text: String) -> EditorAnalysis {
        EditorAnalysis(text: text, path: "/tmp/large-document.msense", interpreter: LineBreakEditorTests.interpreter)
    }

    /// Surrogate pairs, a combining mark, two- and three-byte characters, and every line break.
    static let mixed = "\u{FEFF}let 𝔸 = \"😀é\" # 𝔸x\r\nlet e\u{301} = 1\rfn f(a) {\n    return a + 1  # ü\n}\r\rprint(f(a: 2))"

    @Test func cursorGivesEveryPositionAsTheFileDoes() throws {
        let file = try SourceFile.make(path: "<mixed>", bytes: Array(Self.mixed.utf8)).get()
        var forward = EditorPositionCursor(file: file)
        for offset in -2...(file.bytes.count + 2) {
            #expect(forward.position(of: offset) == file.editorPosition(of: offset), "offset \(offset)")
        }
        var generator = SplitMix64(state: 7)
        var jumping = EditorPositionCursor(file: file)
        for _ in 0..<500 {
            let offset = Int.random(in: 0...file.bytes.count, using: &generator)
            #expect(jumping.position(of: offset) == file.editorPosition(of: offset), "offset \(offset)")
        }
    }

    @Test func semanticTokensOfALongLineHaveTheirOwnRanges() {
        let text = "let x = 1" + String(repeating: " + 𝔸é", count: 3000) + " # 😀\nlet y = x"
        let a = analysis(text)
        let tokens = a.semanticTokens
        #expect(tokens.count > 6000)
        for token in tokens.prefix(200) + tokens.suffix(200) {
            #expect(token.range.start.line == token.range.end.line)
        }
        #expect(tokens.last?.range == EditorRange(start: .init(line: 1, character: 8), end: .init(line: 1, character: 9)))
        let comment = tokens.first { $0.type == .comment }
        let line = "let x = 1" + String(repeating: " + 𝔸é", count: 3000)
        let start = line.utf16.count + 1
        #expect(comment?.range == EditorRange(start: .init(line: 0, character: start), end: .init(line: 0, character: start + 4)))
    }

    @Test func manyGlobalsResolveAsBefore() throws {
        // 3000 functions, each global let assigned twice, and a block that re-declares a name.
        var lines: [String] = []
        for i in 0..<3000 {
            lines.append("fn f\(i)(a, b) => a * b + v\(max(0, i - 1))")
            lines.append("let v\(i) = \(i)")
            lines.append("let v\(i) = v\(i) + 1")
        }
        lines.append("print(f2999(a: 1, b: 2))")
        lines.append("if true { let w = 1\nlet w = w + 1\nprint(w) }")
        let a = analysis(lines.joined(separator: "\n"))
        #expect(a.diagnostics.isEmpty, "\(a.diagnostics.prefix(3))")
        // A second top-level let of v2999 (line 8999) is the same global, declared on line 8998.
        let uses = a.occurrences(at: EditorPosition(line: 8999, character: 6))
        #expect(uses.first?.range.start == EditorPosition(line: 8998, character: 4))
        #expect(uses.count == 3)
        // The last function's parameter is passed by its label at the call.
        guard case .success(let ranges) = a.rename(at: EditorPosition(line: 8997, character: 9), to: "p") else {
            Issue.record("parameter a of f2999 was not renamed")
            return
        }
        #expect(ranges.contains { $0.start == EditorPosition(line: 9000, character: 12) })
        // `w + 1` reads the first block-level w; `print(w)` the second.
        let first = a.definition(at: EditorPosition(line: 9002, character: 8))
        #expect(first.first?.range.start == EditorPosition(line: 9001, character: 14))
        let second = a.definition(at: EditorPosition(line: 9003, character: 6))
        #expect(second.first?.range.start == EditorPosition(line: 9002, character: 4))
    }

    @Test func repliesOfManyObjectsAreWrittenWhole() throws {
        let objects: [[String: Any]] = (0..<2000).map { ["name": "s\($0)", "kind": 12, "range": ["start": ["line": $0]]] }
        let mixed: [Any] = [1, "two", [3, 4], ["five": NSNull()], objects.prefix(2).map { $0 }]
        let bytes = try #require(JSONWriter.bytes(["result": objects, "mixed": mixed] as [String: Any]))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let result = try #require(parsed["result"] as? [[String: Any]])
        #expect(result.count == 2000)
        #expect(result.last?["name"] as? String == "s1999" && JSON.int(result.last?["kind"]) == 12)
        let back = try #require(parsed["mixed"] as? [Any])
        #expect(back.count == 5 && back[1] as? String == "two" && (back[3] as? [String: Any])?["five"] is NSNull)
    }
}
