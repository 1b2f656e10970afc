import Foundation
import MSense
import MSenseCore

/// `msense lsp`: a Language Server Protocol server for msense documents (docs/editors.md).
///
/// JSON-RPC 2.0 messages arrive through `receive` (framed by `MessageStream`); replies and
/// notifications leave through `send`. Documents are synchronised whole; every answer comes
/// from `EditorAnalysis` (the interpreter's lexer, parser and resolver; nothing is run).
/// No message, however malformed, and no document text stops the server: a bad message gets a
/// JSON-RPC error reply (or is dropped when it cannot be answered), unknown methods get
/// "method not found", and positions outside a document are clamped.
public final class LanguageServer {
    private let send: ([UInt8]) -> Void
    private let interpreter = Interpreter(output: { _ in })
    private var documents: [String: (text: String, version: Int)] = [:]
    private var analyses: [String: EditorAnalysis] = [:]
    /// Counts changes to the open documents (opened, changed, closed), so that an analysis keeps
    /// the imported files it read while none changed.
    private var generation = 0
    /// The open documents' text, which imports read instead of the saved files.
    private let openSources = OpenSources()
    /// How imports are found, as the interpreter finds them; `interpreter` reads through
    /// `openSources` over it.
    private let files: ModuleLoader
    private var initialized = false
    private var shutdownRequested = false
    /// Set when the client sent `exit`: 0 after a `shutdown` request, else 1.
    public private(set) var exitCode: Int32?

    /// A server writing each framed message with `send`.
    public init(send: @escaping ([UInt8]) -> Void) {
        self.send = send
        files = ModuleLoader.files(interpreter.fileAccess)
        interpreter.moduleLoader = openSources.loader(over: files)
    }

    // MARK: - Protocol constants

    private enum ErrorCode {
        static let parseError = -32700, invalidRequest = -32600, methodNotFound = -32601
        static let invalidParams = -32602, serverNotInitialized = -32002, requestFailed = -32803
    }

    private struct Failure: Error {
        let code: Int
        let message: String
    }

    // MARK: - Messages

    /// Handles one message body.
    public func receive(_ body: [UInt8]) {
        guard let message = JSON.object(body) else {
            reply(id: NSNull(), error: Failure(code: ErrorCode.parseError, message: "the message is not a JSON object"))
            return
        }
        let id = message["id"].flatMap { $0 is String || $0 is NSNumber ? $0 : nil }
        guard let method = message["method"] as? String else {
            if message["id"] != nil, message["result"] != nil || message["error"] != nil { return }  // a reply to us
            reply(id: id ?? NSNull(), error: Failure(code: ErrorCode.invalidRequest, message: "the message has no method"))
            return
        }
        if message["id"] != nil, id == nil {  // a request whose id cannot be echoed back
            reply(id: NSNull(), error: Failure(code: ErrorCode.invalidRequest, message: "the id of a request is a number or a string"))
            return
        }
        let params = message["params"] as? [String: Any] ?? [:]
        guard let id else {
            notification(method, params)
            return
        }
        do {
            reply(id: id, result: try request(method, params))
        } catch let failure as Failure {
            reply(id: id, error: failure)
        } catch {
            reply(id: id, error: Failure(code: ErrorCode.requestFailed, message: "\(error)"))
        }
    }

    private func reply(id: Any, result: Any) {
        send(MessageStream.frame(JSON.data(["jsonrpc": "2.0", "id": id, "result": result])))
    }

    private func reply(id: Any, error: Failure) {
        send(MessageStream.frame(JSON.data(["jsonrpc": "2.0", "id": id,
                                            "error": ["code": error.code, "message": error.message]])))
    }

    private func notify(_ method: String, _ params: Any) {
        send(MessageStream.frame(JSON.data(["jsonrpc": "2.0", "method": method, "params": params])))
    }

    private func notification(_ method: String, _ params: [String: Any]) {
        switch method {
        case "exit":
            exitCode = shutdownRequested ? 0 : 1
        case "textDocument/didOpen":
            guard let document = params["textDocument"] as? [String: Any], let uri = document["uri"] as? String,
                  let text = document["text"] as? String else { return }
            update(uri, text: text, version: JSON.int(document["version"]) ?? 0)
        case "textDocument/didChange":
            // A change of a document that is not open has nothing to apply to (the client must open it first).
            guard let document = params["textDocument"] as? [String: Any], let uri = document["uri"] as? String,
                  let changes = params["contentChanges"] as? [[String: Any]], var text = documents[uri]?.text else { return }
            for change in changes {
                guard let newText = change["text"] as? String else { continue }
                if let range = (change["range"] as? [String: Any]).flatMap(Self.range) {
                    text = EditorText.replacing(range, in: text, with: newText)
                } else {
                    text = newText
                }
            }
            update(uri, text: text, version: JSON.int(document["version"]) ?? 0)
        case "textDocument/didClose":
            guard let uri = (params["textDocument"] as? [String: Any])?["uri"] as? String else { return }
            documents[uri] = nil
            analyses[uri] = nil
            notify("textDocument/publishDiagnostics", ["uri": uri, "diagnostics": [Any]()])
            sourceChanged(uri, text: nil)
        default:
            break  // initialized, didSave, $/cancelRequest, $/setTrace and unknown notifications
        }
    }

    private func update(_ uri: String, text: String, version: Int) {
        documents[uri] = (text, version)
        analyses[uri] = nil
        publishDiagnostics(uri)
        sourceChanged(uri, text: text)
    }

    /// Keeps the text of the file at `uri` (nil: closed) for imports, and checks again every
    /// other open document that imports anything, since its imports may lead to this file.
    private func sourceChanged(_ uri: String, text: String?) {
        generation += 1
        let path = Self.path(forURI: uri)
        guard !path.hasPrefix("<"), let name = try? files.locate(path, "<editor>") else { return }
        openSources.set(name, text.map { Array($0.utf8) })
        for other in documents.keys.sorted() where other != uri {
            guard analyses[other]?.importsFiles != false else { continue }
            analyses[other] = nil
            publishDiagnostics(other)
        }
    }

    // MARK: - Requests

    private func request(_ method: String, _ params: [String: Any]) throws -> Any {
        guard !shutdownRequested else { throw Failure(code: ErrorCode.invalidRequest, message: "the server is shutting down") }
        if method == "initialize" {
            initialized = true
            return initializeResult
        }
        guard initialized else { throw Failure(code: ErrorCode.serverNotInitialized, message: "initialize first") }
        switch method {
        case "shutdown":
            shutdownRequested = true
            return NSNull()
        case "textDocument/completion":
            let (analysis, position) = try located(params)
            return ["isIncomplete": false, "items": analysis.completions(at: position).map(Self.completionItem)]
        case "textDocument/hover":
            let (analysis, position) = try located(params)
            guard let hover = analysis.hover(at: position) else { return NSNull() }
            return ["contents": ["kind": "markdown", "value": hover.markdown], "range": Self.json(hover.range)]
        case "textDocument/signatureHelp":
            let (analysis, position) = try located(params)
            guard let help = analysis.signatureHelp(at: position) else { return NSNull() }
            let parameters = help.parameters.map { p in
                ["label": [p.label.lowerBound, p.label.upperBound], "documentation": p.documentation] as [String: Any]
            }
            return ["signatures": [["label": help.label, "documentation": help.documentation, "parameters": parameters]],
                    "activeSignature": 0, "activeParameter": help.activeParameter]
        case "textDocument/definition":
            let (analysis, position) = try located(params)
            return analysis.definition(at: position).map { ["uri": Self.uri(forPath: $0.path), "range": Self.json($0.range)] }
        case "textDocument/documentSymbol":
            let analysis = try document(params)
            return analysis.symbols.map { symbol in
                ["name": symbol.name, "detail": symbol.detail, "kind": symbol.isFunction ? 12 : 13,
                 "range": Self.json(symbol.range), "selectionRange": Self.json(symbol.selectionRange)] as [String: Any]
            }
        case "textDocument/references":
            // Across the open documents and the files they import (WorkspaceReferences).
            let (_, position) = try located(params)
            let uri = try documentURI(params)
            let withDeclaration = ((params["context"] as? [String: Any])?["includeDeclaration"] as? Bool) ?? true
            return WorkspaceReferences(open: openAnalyses()).references(at: position, in: uri)
                .filter { withDeclaration || $0.kind != .declaration }
                .map { ["uri": Self.uri(of: $0.source), "range": Self.json($0.range)] as [String: Any] }
        case "textDocument/documentHighlight":
            // DocumentHighlightKind: 3 (Write) where the name is declared, 1 (Text) elsewhere.
            let (analysis, position) = try located(params)
            return analysis.occurrences(at: position).map { ["range": Self.json($0.range), "kind": $0.kind == .declaration ? 3 : 1] as [String: Any] }
        case "textDocument/prepareRename":
            let (analysis, position) = try located(params)
            return analysis.renameRange(at: position).map(Self.json) ?? NSNull()
        case "textDocument/rename":
            let (analysis, position) = try located(params)
            guard let newName = params["newName"] as? String else { throw Failure(code: ErrorCode.invalidParams, message: "newName is missing") }
            switch analysis.rename(at: position, to: newName) {
            case .failure(let refusal): throw Failure(code: ErrorCode.requestFailed, message: refusal.message)
            case .success(let ranges):
                let uri = try documentURI(params)
                return ["changes": [uri: ranges.map { ["range": Self.json($0), "newText": newName] }]]
            }
        case "textDocument/semanticTokens/full":
            return ["data": Self.encode(try document(params).semanticTokens)]
        case "textDocument/formatting":
            let analysis = try document(params)
            guard let formatted = analysis.formatted() else { return NSNull() }
            let uri = try documentURI(params)
            guard formatted != documents[uri]?.text else { return [Any]() }
            return [["range": Self.json(analysis.wholeRange), "newText": formatted]]
        default:
            throw Failure(code: ErrorCode.methodNotFound, message: "unknown method '\(method)'")
        }
    }

    private var initializeResult: [String: Any] {
        [
            "capabilities": [
                "textDocumentSync": ["openClose": true, "change": 1],
                "completionProvider": ["triggerCharacters": ["."], "resolveProvider": false],
                "hoverProvider": true,
                "signatureHelpProvider": ["triggerCharacters": ["(", ","]],
                "definitionProvider": true,
                "referencesProvider": true,
                "documentHighlightProvider": true,
                "documentSymbolProvider": true,
                "renameProvider": ["prepareProvider": true],
                "semanticTokensProvider": [
                    "legend": ["tokenTypes": EditorAnalysis.SemanticType.allCases.map(\.name),
                               "tokenModifiers": EditorAnalysis.SemanticModifier.allCases.map(\.name)],
                    "full": true,
                ] as [String: Any],
                "documentFormattingProvider": true,
            ] as [String: Any],
            "serverInfo": ["name": "msense", "version": MSenseVersion.string],
        ]
    }

    private func documentURI(_ params: [String: Any]) throws -> String {
        guard let uri = (params["textDocument"] as? [String: Any])?["uri"] as? String else {
            throw Failure(code: ErrorCode.invalidParams, message: "textDocument.uri is missing")
        }
        return uri
    }

    /// The analysis of the document named in `params` (made on first need after a change).
    private func document(_ params: [String: Any]) throws -> EditorAnalysis {
        let uri = try documentURI(params)
        if let analysis = analyses[uri] { return analysis }
        guard let text = documents[uri]?.text else {
            throw Failure(code: ErrorCode.invalidParams, message: "the document \(uri) is not open")
        }
        let analysis = EditorAnalysis(text: text, path: Self.path(forURI: uri), interpreter: interpreter)
        analyses[uri] = analysis
        return analysis
    }

    /// The analyses of every open document, by URI.
    private func openAnalyses() -> [String: EditorAnalysis] {
        var result: [String: EditorAnalysis] = [:]
        for uri in documents.keys {
            result[uri] = try? document(["textDocument": ["uri": uri]])
        }
        return result
    }

    /// The analysis of the document named in `params`, following imports into the open
    /// documents as the editor holds them, and the position in it.
    private func located(_ params: [String: Any]) throws -> (EditorAnalysis, EditorPosition) {
        guard let position = (params["position"] as? [String: Any]).flatMap(Self.position) else {
            throw Failure(code: ErrorCode.invalidParams, message: "position is missing or not {line, character}")
        }
        let analysis = try document(params)
        // Sorted by URI, as references takes them: two URIs of one file resolve the same way.
        analysis.readImports(asOpen: openAnalyses().sorted { $0.key < $1.key }.map(\.value), generation: generation)
        return (analysis, position)
    }

    private func publishDiagnostics(_ uri: String) {
        guard let analysis = try? document(["textDocument": ["uri": uri]]) else { return }
        let diagnostics = analysis.diagnostics.map { diagnostic -> [String: Any] in
            let own = diagnostic.path == analysis.path
            let range = own ? analysis.range(of: diagnostic)
                : EditorRange(start: .init(line: 0, character: 0), end: .init(line: 0, character: 0))
            let message = own ? diagnostic.message
                : "in \(diagnostic.path)\(diagnostic.line > 0 ? ":\(diagnostic.line):\(diagnostic.column)" : ""): \(diagnostic.message)"
            var json: [String: Any] = ["range": Self.json(range), "severity": Self.severity(diagnostic.severity),
                                       "source": "msense", "message": message]
            if let hint = diagnostic.hint {
                json["relatedInformation"] = [["location": ["uri": uri, "range": Self.json(range)], "message": "hint: \(hint)"]]
            }
            return json
        }
        var params: [String: Any] = ["uri": uri, "diagnostics": diagnostics]
        if let version = documents[uri]?.version { params["version"] = version }
        notify("textDocument/publishDiagnostics", params)
    }

    // MARK: - Conversions

    private static func severity(_ severity: Diagnostic.Severity) -> Int {
        switch severity {
        case .error: 1
        case .warning: 2
        case .note: 3
        }
    }

    private static func position(_ json: [String: Any]) -> EditorPosition? {
        guard let line = JSON.int(json["line"]), let character = JSON.int(json["character"]) else { return nil }
        return EditorPosition(line: line, character: character)
    }

    private static func range(_ json: [String: Any]) -> EditorRange? {
        guard let start = (json["start"] as? [String: Any]).flatMap(position),
              let end = (json["end"] as? [String: Any]).flatMap(position) else { return nil }
        return EditorRange(start: start, end: end)
    }

    private static func json(_ position: EditorPosition) -> [String: Any] {
        ["line": position.line, "character": position.character]
    }

    private static func json(_ range: EditorRange) -> [String: Any] {
        ["start": json(range.start), "end": json(range.end)]
    }

    private static func completionItem(_ completion: EditorAnalysis.Completion) -> [String: Any] {
        let kind: Int
        switch completion.kind {
        case .function: kind = 3
        case .variable, .parameter: kind = 6
        case .keyword: kind = 14
        case .field: kind = 5
        }
        var item: [String: Any] = ["label": completion.label, "kind": kind, "detail": completion.detail,
                                   "sortText": completion.sortKey, "insertText": completion.insertText]
        if !completion.documentation.isEmpty { item["documentation"] = ["kind": "markdown", "value": completion.documentation] }
        return item
    }

    /// The LSP encoding: five integers per token, line and start relative to the previous token.
    static func encode(_ tokens: [EditorAnalysis.SemanticToken]) -> [Int] {
        var data: [Int] = [], line = 0, character = 0
        for token in tokens where token.range.start.line == token.range.end.line {
            let deltaLine = token.range.start.line - line
            let deltaStart = deltaLine == 0 ? token.range.start.character - character : token.range.start.character
            data += [deltaLine, deltaStart, token.range.end.character - token.range.start.character,
                     token.type.rawValue, token.modifiers]
            line = token.range.start.line
            character = token.range.start.character
        }
        return data
    }

    /// The file path of a `file:` URI; other documents (`untitled:`) are unsaved, named `<untitled>`
    /// (their imports are relative to the working directory, as for `<stdin>`).
    static func path(forURI uri: String) -> String {
        guard let url = URL(string: uri), url.isFileURL, !url.path.isEmpty else { return "<untitled>" }
        return url.path
    }

    static func uri(forPath path: String) -> String {
        URL(fileURLWithPath: path).absoluteString
    }

    /// The URI of a file searched for references: an open document's own, or a file's path's.
    static func uri(of source: WorkspaceReferences.Source) -> String {
        switch source {
        case .open(let uri): uri
        case .file(let path): uri(forPath: path)
        }
    }
}
