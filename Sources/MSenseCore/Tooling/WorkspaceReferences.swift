import Foundation

/// Every place, across the files an editor sees, that refers to the declaration of the name at
/// a position: what *Find All References* answers.
///
/// A local name (a parameter, a loop or catch variable, a name declared inside a function or
/// block) lives in one file, and its places are those of `EditorAnalysis.occurrences`. A
/// top-level name of a file is also used by the files that import it, directly or through
/// their own imports. Those are looked for among the documents the editor has open (as the
/// editor holds them) and the files they import, directly or through their imports (read from
/// disk, never run, each once; missing, unreadable and non-regular files are skipped, and
/// import cycles end): no folder is walked. In each such file, a use of the name that the file
/// does not declare refers to the global the file's imports lead to first, as go to definition
/// finds it; it counts when that is the declaration searched for.
package struct WorkspaceReferences {
    /// A file searched: a document the editor has open (by the key it was given under), or a
    /// file read from disk (by its canonical path).
    package enum Source: Hashable {
        case open(String)
        case file(String)
    }

    /// One place that refers to the declaration.
    package struct Place: Equatable {
        package let source: Source
        package let range: EditorRange
        package let kind: EditorAnalysis.Occurrence.Kind
    }

    /// A file to search, with the path its imports are relative to.
    private struct Candidate {
        let source: Source
        let importer: String
        let document: WorkspaceIndex.Document
    }

    /// The top-level declaration searched for.
    private struct Target {
        let name: String
        let source: Source
        /// The canonical path of its file; nil for an unsaved document, which nothing imports.
        let path: String?
        /// The symbol in its file, when the search starts there.
        let symbol: Int?
    }

    private let open: [(key: String, analysis: EditorAnalysis)]
    /// The canonical path of each open document that is a file, to its key.
    private let openPaths: [String: String]
    private let workspace: WorkspaceIndex

    /// A search over the documents `open` (by the keys the editor knows them by, such as URIs)
    /// and the files they import.
    package init(open: [String: EditorAnalysis]) {
        self.open = open.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var paths: [String: String] = [:]
        for (key, analysis) in self.open where !analysis.path.hasPrefix("<") {
            let path = WorkspaceIndex.canonical(URL(fileURLWithPath: analysis.path))
            if paths[path] == nil { paths[path] = key }
        }
        openPaths = paths
        workspace = WorkspaceIndex(open: WorkspaceIndex.documents(of: self.open.map(\.analysis)))
    }

    /// The places that refer to the declaration of the name at `position` in the open document
    /// `key`: the declaration first (when it is a name's), then the uses in that document, then
    /// those of the other files, each file's in source order.
    package func references(at position: EditorPosition, in key: String) -> [Place] {
        guard let current = open.first(where: { $0.key == key })?.analysis else { return [] }
        guard let target = target(at: current.file.offset(of: position), in: key, current) else {
            return current.occurrences(at: position).map { Place(source: .open(key), range: $0.range, kind: $0.kind) }
        }
        var declaration: [Place] = [], here: [Place] = [], elsewhere: [Place] = []
        for candidate in candidates() {
            let file = candidate.document.file
            for (span, kind) in places(of: target, in: candidate) {
                let place = Place(source: candidate.source, range: file.editorRange(span), kind: kind)
                if kind == .declaration {
                    declaration.append(place)
                } else if candidate.source == .open(key) {
                    here.append(place)
                } else {
                    elsewhere.append(place)
                }
            }
        }
        return declaration + here + elsewhere
    }

    /// The top-level declaration the name at `offset` of `current` refers to; nil for a local
    /// name or one that refers to nothing declared.
    private func target(at offset: Int, in key: String, _ current: EditorAnalysis) -> Target? {
        if let symbol = current.index.symbol(at: offset) {
            let declared = current.index.symbols[symbol]
            guard declared.isGlobal else { return nil }
            let path = current.path.hasPrefix("<") ? nil : WorkspaceIndex.canonical(URL(fileURLWithPath: current.path))
            return Target(name: declared.name, source: .open(key), path: path, symbol: symbol)
        }
        guard let reference = current.index.reference(at: offset), reference.symbol == nil,
              let found = workspace.global(named: reference.name, importedBy: current.path,
                                           imports: current.index.imports.map(\.path)) else { return nil }
        return Target(name: reference.name, source: openPaths[found.path].map(Source.open) ?? .file(found.path),
                      path: found.path, symbol: nil)
    }

    /// The open documents, then the files they import that are not open, directly or through
    /// their imports, each once.
    private func candidates() -> [Candidate] {
        var result = open.map { Candidate(source: .open($0.key), importer: $0.analysis.path,
                                          document: WorkspaceIndex.Document(file: $0.analysis.file, index: $0.analysis.index)) }
        var visited = Set(openPaths.keys)
        var next = 0
        while next < result.count {
            let importer = result[next]
            next += 1
            for entry in importer.document.index.imports {
                guard let path = workspace.canonicalPath(entry.path, importedBy: importer.importer),
                      visited.insert(path).inserted, let document = workspace.document(at: path) else { continue }
                result.append(Candidate(source: .file(path), importer: path, document: document))
            }
        }
        return result
    }

    /// The places of `candidate` that refer to `target`: its declaration and uses in its own
    /// file, or the uses in a file whose imports lead to it.
    private func places(of target: Target, in candidate: Candidate) -> [(Span, EditorAnalysis.Occurrence.Kind)] {
        let index = candidate.document.index
        if candidate.source == target.source {
            guard let symbol = target.symbol ?? index.symbols.firstIndex(where: { $0.isGlobal && $0.name == target.name })
            else { return [] }
            let uses = index.uses(of: symbol).sorted { $0.start < $1.start }
            return [(index.symbols[symbol].nameSpan, .declaration)] + uses.map { ($0, .use) }
        }
        let uses = index.undeclaredUses(of: target.name)
        guard !uses.isEmpty, let path = target.path,
              workspace.global(named: target.name, importedBy: candidate.importer,
                               imports: index.imports.map(\.path))?.path == path else { return [] }
        return uses.map { ($0, .use) }
    }
}
