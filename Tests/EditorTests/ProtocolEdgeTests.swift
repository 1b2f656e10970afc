import Foundation
import Testing
@testable import MSenseCore
@testable import MSenseLSP

/// The server at the edges of the protocol (Language Server Protocol 3.17, JSON-RPC 2.0): a
/// `Content-Length` that lies, ids that cannot be echoed, the order of the lifecycle messages,
/// and edits the client should not have sent.
@Suite struct ProtocolEdgeTests {
    typealias Harness = LanguageServerTests.Harness

    private func messages(_ events: [MessageStream.Event]) -> [String] {
        events.compactMap { if case .message(let body) = $0 { String(decoding: body, as: UTF8.self) } else { nil } }
    }

    @Test func aLengthThatLiesLosesOneMessage() {
        let first = #"{"jsonrpc":"2.0","id":1,"method":"a"}"#, second = #"{"id":2}"#, third = #"{"id":3}"#
        var stream = MessageStream()
        let short = Array("Content-Length: 10\r\n\r\n\(first)".utf8)
        let events = stream.append(short + MessageStream.frame(Array(second.utf8)) + MessageStream.frame(Array(third.utf8)))
        #expect(messages(events) == [String(first.prefix(10)), second, third])
        // A header ending in bare line feeds runs into the next header; that one is still read.
        var lineFeeds = MessageStream()
        let bare = Array("Content-Length: 2\n\n{}".utf8) + MessageStream.frame(Array(second.utf8))
        #expect(messages(lineFeeds.append(bare)) == [second])
    }

    @Test func aRequestWhoseIDCannotBeEchoedIsRefused() throws {
        let harness = Harness()
        for body in [#"{"jsonrpc":"2.0","id":[1],"method":"initialize"}"#, #"{"jsonrpc":"2.0","id":null,"method":"initialize"}"#,
                     #"{"jsonrpc":"2.0","id":{"n":1},"method":"shutdown"}"#] {
            harness.received.removeAll()
            harness.server.receive(Array(body.utf8))
            let reply = try #require(harness.received.first, "\(body)")
            #expect(harness.received.count == 1)
            #expect(reply["id"] is NSNull)
            #expect(JSON.int((reply["error"] as? [String: Any])?["code"]) == -32600)
        }
    }

    @Test func afterShutdownOnlyExitIsAccepted() throws {
        let harness = Harness()
        _ = harness.request(1, "initialize", [String: Any]())
        #expect(harness.request(2, "shutdown", NSNull())?["result"] is NSNull)
        for (id, method) in [(3, "initialize"), (4, "shutdown"), (5, "textDocument/hover")] {
            let reply = try #require(harness.request(id, method, [String: Any]()))
            #expect(JSON.int((reply["error"] as? [String: Any])?["code"]) == -32600, "\(method)")
        }
        harness.send(["jsonrpc": "2.0", "method": "exit"])
        #expect(harness.server.exitCode == 0)
    }

    @Test func aChangeOfADocumentThatIsNotOpenIsIgnored() throws {
        let harness = Harness()
        _ = harness.request(1, "initialize", [String: Any]())
        harness.received.removeAll()
        let uri = "file:///nowhere/closed.msense"
        harness.send(["jsonrpc": "2.0", "method": "textDocument/didChange",
                      "params": ["textDocument": ["uri": uri, "version": 2], "contentChanges": [["text": "let a = 1"]]]])
        #expect(harness.received.isEmpty)
        let hover = try #require(harness.request(2, "textDocument/hover", ["textDocument": ["uri": uri],
                                                                           "position": ["line": 0, "character": 4]]))
        #expect(JSON.int((hover["error"] as? [String: Any])?["code"]) == -32602)
    }

    @Test func renamingToTheSameNameChangesNothing() throws {
        let harness = Harness()
        let uri = "file:///nowhere/same.msense"
        harness.initializeAndOpen(uri, "fn f(x) => x + 1\nprint(f(x: 2))\n")
        let reply = try #require(harness.request(2, "textDocument/rename", ["textDocument": ["uri": uri], "newName": "x",
                                                                            "position": ["line": 0, "character": 5]]))
        let edits = try #require(((reply["result"] as? [String: Any])?["changes"] as? [String: Any])?[uri] as? [[String: Any]])
        #expect(edits.count == 3 && edits.allSatisfy { $0["newText"] as? String == "x" })
    }

    @Test func anEditLandsInADocumentWithANulByte() throws {
        let range = EditorRange(start: .init(line: 1, character: 6), end: .init(line: 1, character: 7))
        #expect(EditorText.replacing(range, in: "let a = 1\u{0}\nprint(a)\n", with: "zz") == "let a = 1\u{0}\nprint(zz)\n")
        let nulInLine = EditorRange(start: .init(line: 0, character: 10), end: .init(line: 0, character: 10))
        #expect(EditorText.replacing(nulInLine, in: "let a = 1\u{0}\u{0}b", with: "+") == "let a = 1\u{0}+\u{0}b")
    }

    @Test func aReversedRangeReplacesTheTextBetweenItsEnds() {
        let reversed = EditorRange(start: .init(line: 2, character: 0), end: .init(line: 0, character: 4))
        #expect(EditorText.replacing(reversed, in: "let a = 1\nlet b = 2\nlet c = 3\n", with: "QQ") == "let QQlet c = 3\n")
    }
}
