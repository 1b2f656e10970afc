import Foundation
import Tensor

/// The files a document imports, read (never run) to find where their globals are defined.
///
/// Import paths are resolved as the interpreter resolves them (relative to the importing
/// file's folder, or to the working directory for an unsaved document); each file is read and
/// indexed once, and imports of imports are followed, each file at most once (cycles end).
/// Files are read as saved, except the documents given to ``init(open:)`` (the open documents,
/// as the editor holds them, saved or not: ``EditorAnalysis/readImports(asOpen:generation:)``).
final class WorkspaceIndex {
    struct Document {
        let file: SourceFile
        let index: SymbolIndex
    }

    /// A global found in an imported file.
    struct Found {
        let path: String
        let file: SourceFile
        let symbol: SymbolIndex.Symbol
    }

    private var documents: [String: Document?] = [:]

    /// An index that reads the files at the canonical paths of `open` from those documents.
    init(open: [String: Document] = [:]) {
        documents = open.mapValues { $0 }
    }

    /// The documents of the analyses `open` that are files, by canonical path (the first of
    /// two analyses of one file), for ``init(open:)``.
    static func documents(of open: [EditorAnalysis]) -> [String: Document] {
        var documents: [String: Document] = [:]
        for analysis in open where !analysis.path.hasPrefix("<") {
            let path = canonical(URL(fileURLWithPath: analysis.path))
            if documents[path] == nil { documents[path] = Document(file: analysis.file, index: analysis.index) }
        }
        return documents
    }

    /// The canonical path of `path` imported by the file at `importer`.
    func canonicalPath(_ path: String, importedBy importer: String) -> String? {
        guard !path.isEmpty else { return nil }
        let base = importer.hasPrefix("<")
            ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            : URL(fileURLWithPath: importer).deletingLastPathComponent()
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        return Self.canonical(url)
    }

    /// The canonical form of an absolute path: `.` and `..` removed, symbolic links followed.
    static func canonical(_ url: URL) -> String {
        url.standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The indexed file at canonical `path`, or nil when it cannot be read or is not UTF-8.
    func document(at path: String) -> Document? {
        if let known = documents[path] { return known }
        var document: Document?
        // Only regular files: reading a FIFO or a device could block the editor forever.
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        if type == .typeRegular, let bytes = try? FileSystem.read(path, limit: Interpreter.maxSourceBytes),
           case .success(let file) = SourceFile.make(path: path, bytes: bytes) {
            // Without the stack the parser needs, the file is left out as one that cannot be read.
            try? BigStack.run {
                var lexer = Lexer(file: file)
                let tokens = lexer.run()
                let statements = Parser.parse(file, tokens: tokens, lexical: lexer.diagnostics).statements
                document = Document(file: file, index: SymbolIndex(file: file, tokens: tokens, statements: statements))
            }
        }
        documents[path] = document
        return document
    }

    /// The global `name` defined by a file that `importer` imports (through `imports`),
    /// directly or through its own imports; the first found in import order.
    func global(named name: String, importedBy importer: String, imports: [String]) -> Found? {
        var found: Found?
        forEachImported(by: importer, imports: imports) { path, document in
            guard let symbol = document.index.symbols.first(where: { $0.isGlobal && $0.name == name }) else { return true }
            found = Found(path: path, file: document.file, symbol: symbol)
            return false
        }
        return found
    }

    /// Every global the files imported by `importer` (through `imports`, directly or through
    /// their own imports) define, each name once: the first definition in import order.
    func globals(importedBy importer: String, imports: [String]) -> [Found] {
        var all: [Found] = [], seen = Set<String>()
        forEachImported(by: importer, imports: imports) { path, document in
            for symbol in document.index.symbols where symbol.isGlobal && seen.insert(symbol.name).inserted {
                all.append(Found(path: path, file: document.file, symbol: symbol))
            }
            return true
        }
        return all
    }

    /// Calls `visit` with each file `importer` imports, breadth first in import order, each
    /// readable file once (cycles end), until `visit` returns false.
    private func forEachImported(by importer: String, imports: [String], _ visit: (String, Document) -> Bool) {
        var visited: Set<String> = [importer]
        var queue: [(importer: String, path: String)] = imports.map { (importer, $0) }
        while !queue.isEmpty {
            let next = queue.removeFirst()
            guard let path = canonicalPath(next.path, importedBy: next.importer), visited.insert(path).inserted,
                  let document = document(at: path) else { continue }
            guard visit(path, document) else { return }
            queue += document.index.imports.map { (path, $0.path) }
        }
    }
}
