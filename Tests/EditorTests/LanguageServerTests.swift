import Foundation
import Testing
@testable import MSenseLSP

/// The server's protocol handling in process: framing, replies, and robustness to any input.
@Suite struct LanguageServerTests {
    /// A server whose output is parsed back into messages.
    final class Harness {
        var stream = MessageStream()
        var received: [[String: Any]] = []
        lazy var server = LanguageServer(send: { [unowned self] bytes in
            for case .message(let body) in self.stream.append(bytes) {
                if let message = JSON.object(body) { self.received.append(message) }
            }
        })

        func send(_ message: [String: Any]) {
            server.receive(JSON.data(message))
        }

        func request(_ id: Int, _ method: String, _ params: Any) -> [String: Any]? {
            received.removeAll()
            send(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
            return received.first { JSON.int($0["id"]) == id }
        }

        /// Initializes the server and opens `text` as the document `uri`.
        func initializeAndOpen(_ uri: String, _ text: String) {
            _ = request(1, "initialize", [String: Any]())
            send(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                  "params": ["textDocument": ["uri": uri, "version": 1, "text": text]]])
        }
    }

    @Test func framingSurvivesSplitsAndBadHeaders() {
        var stream = MessageStream()
        let good = MessageStream.frame(Array("{}".utf8))
        let bytes = Array("Content-Length: nope\r\n\r\n".utf8) + good + Array("Content-Length: 99999999999\r\n\r\n".utf8) + good
        var events: [MessageStream.Event] = []
        for byte in bytes { events += stream.append([byte]) }
        #expect(events.filter { if case .message = $0 { true } else { false } }.count == 1)
        #expect(events.count == 3)  // the bad header, the message, the oversized one (waiting for its bytes)
    }

    @Test func answersEveryRequestAndSurvivesBadMessages() throws {
        let harness = Harness()
        let initialize = try #require(harness.request(1, "initialize", [String: Any]()))
        #expect((initialize["result"] as? [String: Any])?["capabilities"] != nil)
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                      "params": ["textDocument": ["uri": "file:///nowhere/a.msense", "version": 1, "text": "let x = )\nprint(y)\n"]]])
        let published = try #require(harness.received.first { $0["method"] as? String == "textDocument/publishDiagnostics" })
        #expect(((published["params"] as? [String: Any])?["diagnostics"] as? [Any])?.count == 1)
        for body in ["", "{", "[]", "null", "{\"id\": 5}", String(repeating: "[", count: 100_000), "{\"id\": {}, \"method\": 3}"] {
            harness.received.removeAll()
            harness.server.receive(Array(body.utf8))
            #expect(harness.received.count == 1, "\(body.prefix(20))")
            #expect(harness.received.first?["error"] != nil)
        }
        let unknown = try #require(harness.request(9, "textDocument/unknown", [String: Any]()))
        #expect(JSON.int((unknown["error"] as? [String: Any])?["code"]) == -32601)
        let missing = try #require(harness.request(10, "textDocument/hover", ["textDocument": ["uri": "file:///other.msense"],
                                                                              "position": ["line": 0, "character": 0]]))
        #expect(missing["error"] != nil)
        #expect(harness.request(11, "shutdown", NSNull())?["result"] is NSNull)
        harness.send(["jsonrpc": "2.0", "method": "exit"])
        #expect(harness.server.exitCode == 0)
    }

    @Test func referencesAndHighlightsOfAParameter() throws {
        let harness = Harness()
        let uri = "file:///nowhere/refs.msense"
        harness.initializeAndOpen(uri, "fn f(a) => a + 1\nprint(f(a: 2))\n")
        let at: [String: Any] = ["textDocument": ["uri": uri], "position": ["line": 0, "character": 5]]
        func lines(_ reply: [String: Any]?) -> [Int] {
            ((reply?["result"] as? [[String: Any]]) ?? []).compactMap { JSON.int((($0["range"] as? [String: Any])?["start"] as? [String: Any])?["line"]) }
        }
        var withDeclaration = at
        withDeclaration["context"] = ["includeDeclaration": true]
        #expect(lines(harness.request(2, "textDocument/references", withDeclaration)) == [0, 0, 1])
        var without = at
        without["context"] = ["includeDeclaration": false]
        #expect(lines(harness.request(3, "textDocument/references", without)) == [0, 1])
        let highlights = (harness.request(4, "textDocument/documentHighlight", at)?["result"] as? [[String: Any]]) ?? []
        #expect(highlights.compactMap { JSON.int($0["kind"]) } == [3, 1, 1])
    }

    @Test func referencesAcrossOpenDocuments() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("msense-lsp-refs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("lib"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = folder.appendingPathComponent("lib/common.msense"), script = folder.appendingPathComponent("run.msense")
        try "fn helper(x) => x\n".write(to: library, atomically: true, encoding: .utf8)
        let harness = Harness()
        harness.initializeAndOpen(script.absoluteString, "import \"lib/common.msense\"\nprint(helper(1))\n")
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                      "params": ["textDocument": ["uri": library.absoluteString, "version": 1, "text": "fn helper(x) => x\n"]]])
        func places(_ reply: [String: Any]?) -> [String] {
            ((reply?["result"] as? [[String: Any]]) ?? []).map { place in
                let start = (place["range"] as? [String: Any])?["start"] as? [String: Any]
                let name = (((place["uri"] as? String) ?? "") as NSString).lastPathComponent
                return "\(name):\(JSON.int(start?["line"]) ?? -1)"
            }
        }
        let fromLibrary: [String: Any] = ["textDocument": ["uri": library.absoluteString], "position": ["line": 0, "character": 4],
                                          "context": ["includeDeclaration": true]]
        #expect(places(harness.request(2, "textDocument/references", fromLibrary)) == ["common.msense:0", "run.msense:1"])
        let fromScript: [String: Any] = ["textDocument": ["uri": script.absoluteString], "position": ["line": 1, "character": 7],
                                         "context": ["includeDeclaration": false]]
        #expect(places(harness.request(3, "textDocument/references", fromScript)) == ["run.msense:1"])
        let highlights = (harness.request(4, "textDocument/documentHighlight", fromScript)?["result"] as? [[String: Any]]) ?? []
        #expect(highlights.compactMap { JSON.int($0["kind"]) } == [1])
    }

    /// A fresh folder holding the saved library `common.msense` (`fn helper(x) => x`), and the
    /// URLs of that library and of a script `run.msense` beside it (not written).
    private func folderWithLibrary() throws -> (folder: URL, library: URL, script: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("msense-lsp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let library = folder.appendingPathComponent("common.msense")
        try "fn helper(x) => x\n".write(to: library, atomically: true, encoding: .utf8)
        return (folder, library, folder.appendingPathComponent("run.msense"))
    }

    @Test func definitionAndHoverFollowAnOpenLibraryAsTheEditorHoldsIt() throws {
        let (folder, library, script) = try folderWithLibrary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let harness = Harness()
        harness.initializeAndOpen(script.absoluteString, "import \"common.msense\"\nprint(helper(1))\n")
        let atUse: [String: Any] = ["textDocument": ["uri": script.absoluteString], "position": ["line": 1, "character": 7]]
        func definitionLine() -> Int? {
            let result = harness.request(2, "textDocument/definition", atUse)?["result"] as? [[String: Any]]
            return JSON.int(((result?.first?["range"] as? [String: Any])?["start"] as? [String: Any])?["line"])
        }
        func hover() -> String {
            (((harness.request(3, "textDocument/hover", atUse)?["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String) ?? ""
        }
        #expect(definitionLine() == 0 && hover().contains("fn helper(x)"), "the saved library")
        // The library opened and edited, not saved: two lines above, another parameter.
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                      "params": ["textDocument": ["uri": library.absoluteString, "version": 1, "text": "# tools\n\nfn helper(y) => y\n"]]])
        #expect(definitionLine() == 2 && hover().contains("fn helper(y)"), "the library as the editor holds it")
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didChange",
                      "params": ["textDocument": ["uri": library.absoluteString, "version": 2],
                                 "contentChanges": [["text": "\n\n\n\nfn helper(z) => z\n"]]]])
        #expect(definitionLine() == 4 && hover().contains("fn helper(z)"), "and after each change")
        // Completion offers the unsaved library's names too.
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didChange",
                      "params": ["textDocument": ["uri": library.absoluteString, "version": 3],
                                 "contentChanges": [["text": "fn helper(z) => z\nlet unsaved_rate = 0.5\n"]]]])
        let afterParenthesis: [String: Any] = ["textDocument": ["uri": script.absoluteString], "position": ["line": 1, "character": 6]]
        let items = ((harness.request(4, "textDocument/completion", afterParenthesis)?["result"] as? [String: Any])?["items"] as? [[String: Any]]) ?? []
        let labels = Set(items.compactMap { $0["label"] as? String })
        #expect(labels.isSuperset(of: ["unsaved_rate", "helper"]), "completion after print(: \(labels.sorted().prefix(8))")
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didClose", "params": ["textDocument": ["uri": library.absoluteString]]])
        #expect(definitionLine() == 0, "closed without saving: the file on disk again")
    }

    @Test func diagnosticsFollowAnOpenLibraryAsTheEditorHoldsIt() throws {
        let (folder, library, script) = try folderWithLibrary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let harness = Harness()
        /// The messages of the last diagnostics published for the script.
        func scriptDiagnostics() -> [String] {
            let published = harness.received.filter {
                ($0["method"] as? String) == "textDocument/publishDiagnostics"
                    && (($0["params"] as? [String: Any])?["uri"] as? String) == script.absoluteString
            }
            let last = (published.last?["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] ?? []
            return last.compactMap { $0["message"] as? String }
        }
        harness.initializeAndOpen(script.absoluteString, "import \"common.msense\"\nprint(helper2(1))\n")
        #expect(scriptDiagnostics().contains { $0.contains("helper2") }, "the saved library has no helper2")
        harness.received.removeAll()
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                      "params": ["textDocument": ["uri": library.absoluteString, "version": 1,
                                                  "text": "fn helper(x) => x\nfn helper2(x) => 2 * x\n"]]])
        #expect(scriptDiagnostics().isEmpty, "the library as the editor holds it defines helper2, unsaved")
        harness.received.removeAll()
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didClose", "params": ["textDocument": ["uri": library.absoluteString]]])
        #expect(scriptDiagnostics().contains { $0.contains("helper2") }, "closed without saving: the file on disk again")
    }

    /// Random edits of the examples, queried at random positions with every method, and random
    /// messages: every request gets exactly one reply and nothing stops the server.
    @Test func randomDocumentsAndMessages() throws {
        var random = SplitMix64(state: 2026)
        let harness = Harness()
        _ = harness.request(0, "initialize", [String: Any]())
        let sources = try EditorPaths.scripts(under: "examples").prefix(4).map { try String(contentsOf: $0, encoding: .utf8) }
            + ["", "\u{FEFF}let x = \"\\(", "fn f(a, a) { return }\nf(b:", "\"😀\" + é\u{0}x", "{[(" + String(repeating: "(", count: 3000)]
        let methods = ["textDocument/completion", "textDocument/hover", "textDocument/signatureHelp", "textDocument/definition",
                       "textDocument/documentSymbol", "textDocument/prepareRename", "textDocument/rename",
                       "textDocument/references", "textDocument/documentHighlight",
                       "textDocument/semanticTokens/full", "textDocument/formatting"]
        var id = 1
        for round in 0..<60 {
            var text = Array(sources[round % sources.count].unicodeScalars)
            for _ in 0..<Int.random(in: 0...6, using: &random) where !text.isEmpty {
                let at = Int.random(in: 0..<text.count, using: &random)
                switch Int.random(in: 0...2, using: &random) {
                case 0: text.remove(at: at)
                case 1: text.insert(["(", ")", "{", "}", "\"", ".", ",", ":", "\n", "é", "let ", "fn"].randomElement(using: &random)!.unicodeScalars.first!, at: at)
                default: text.insert(text[Int.random(in: 0..<text.count, using: &random)], at: at)
                }
            }
            let uri = "file:///tmp/random-\(round % 3).msense"
            harness.send(["jsonrpc": "2.0", "method": round % 2 == 0 ? "textDocument/didOpen" : "textDocument/didChange",
                          "params": ["textDocument": ["uri": uri, "version": round, "text": String(String.UnicodeScalarView(text))],
                                     "contentChanges": [["text": String(String.UnicodeScalarView(text))]]]])
            for method in methods {
                id += 1
                let position = ["line": Int.random(in: -2...60, using: &random), "character": Int.random(in: -2...120, using: &random)]
                let reply = harness.request(id, method, ["textDocument": ["uri": uri], "position": position, "newName": "renamed",
                                                         "options": ["tabSize": 4, "insertSpaces": true]])
                #expect(reply != nil, "\(method) got no reply")
            }
            var garbage = [UInt8](repeating: 0, count: Int.random(in: 0...64, using: &random))
            for i in garbage.indices { garbage[i] = UInt8.random(in: 0...255, using: &random) }
            harness.server.receive(garbage)
        }
    }
}
