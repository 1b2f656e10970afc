import Foundation
import Testing
import MSense
@testable import MSenseCore
#if canImport(Glibc)
import Glibc
#endif

/// *Find All References* across files: a top-level name of a library, searched from the library
/// or from a script that imports it, is found in every open document and imported file whose
/// imports lead to that declaration.
@Suite struct WorkspaceReferencesTests {
    static let interpreter = Interpreter(output: { _ in })

    /// A folder of files, removed at the end of the test.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("msense-refs-\(UUID().uuidString)")
        init() throws {
            try FileManager.default.createDirectory(at: url.appendingPathComponent("lib"), withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }

        func path(_ name: String) -> String { WorkspaceIndex.canonical(url.appendingPathComponent(name)) }

        /// Writes `text` to the file `name` and returns its path.
        @discardableResult func write(_ name: String, _ text: String) throws -> String {
            try text.write(toFile: path(name), atomically: true, encoding: .utf8)
            return path(name)
        }
    }

    /// Open documents by key (here their path) and their analyses.
    private func open(_ documents: [(path: String, text: String)]) -> [String: EditorAnalysis] {
        Dictionary(uniqueKeysWithValues: documents.map { ($0.path, EditorAnalysis(text: $0.text, path: $0.path, interpreter: Self.interpreter)) })
    }

    /// The position of the `occurrence`-th (from 0) appearance of `marker` in `text`.
    private func position(of marker: String, in text: String, occurrence: Int = 0) -> EditorPosition {
        var from = text.startIndex
        for _ in 0..<occurrence { from = text.range(of: marker, range: from..<text.endIndex)!.upperBound }
        let start = text.range(of: marker, range: from..<text.endIndex)!.lowerBound
        let before = text[..<start]
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return EditorPosition(line: before.filter { $0 == "\n" }.count, character: text[lineStart..<start].utf16.count)
    }

    /// Each place as `file:line:character kind`, the file by its name, "(disk)" before a file read from disk.
    private func describe(_ places: [WorkspaceReferences.Place]) -> [String] {
        places.map { place in
            let (prefix, path) = switch place.source {
            case .open(let key): ("", key)
            case .file(let file): ("(disk)", file)
            }
            return "\(prefix)\((path as NSString).lastPathComponent):\(place.range.start.line):\(place.range.start.character) \(place.kind)"
        }
    }

    static let library = "fn helper(x) => 2 * x\nlet shared = helper(1)\n"
    static let middle = "import \"common.msense\"\nfn twice(x) => helper(helper(x))\n"
    static let script = "import \"lib/common.msense\"\nlet y = helper(3)\nfn f(helper) => helper\nprint(helper(y), shared)\n"
    static let viaMiddle = "import \"lib/middle.msense\"\nprint(helper(1), twice(2))\n"
    static let shadowing = "import \"lib/common.msense\"\nfn helper(x) => x\nprint(helper(1))\n"
    static let unrelated = "print(helper(1))\n"

    /// The library lib/common.msense, lib/middle.msense importing it (not open), and open scripts:
    /// one importing the library, one importing it through middle, one declaring its own
    /// `helper`, one importing nothing.
    private func workspace(_ folder: Folder, libraryOpen: String? = nil) throws -> [String: EditorAnalysis] {
        let library = try folder.write("lib/common.msense", Self.library)
        try folder.write("lib/middle.msense", Self.middle)
        var documents = [(try folder.write("main.msense", Self.script), Self.script),
                         (try folder.write("second.msense", Self.viaMiddle), Self.viaMiddle),
                         (try folder.write("own.msense", Self.shadowing), Self.shadowing),
                         (try folder.write("alone.msense", Self.unrelated), Self.unrelated)]
        if let libraryOpen { documents.append((library, libraryOpen)) }
        return open(documents)
    }

    @Test func fromAScriptToTheLibraryAndItsOtherImporters() throws {
        let folder = try Folder()
        let search = WorkspaceReferences(open: try workspace(folder))
        let places = search.references(at: position(of: "helper(3)", in: Self.script), in: folder.path("main.msense"))
        // The declaration (in the library, not open), this document's uses (not the parameter
        // `helper` of f, which shadows it), then those of the other open documents and of the
        // files read from disk; neither the document with its own helper nor the one that
        // imports nothing.
        #expect(describe(places) == [
            "(disk)common.msense:0:3 declaration",
            "main.msense:1:8 use", "main.msense:3:6 use",
            "second.msense:1:6 use",
            "(disk)common.msense:1:13 use",
            "(disk)middle.msense:1:15 use", "(disk)middle.msense:1:22 use",
        ])
        // A global variable of the library, from its one use in the script.
        let shared = search.references(at: position(of: "shared", in: Self.script), in: folder.path("main.msense"))
        #expect(describe(shared) == ["(disk)common.msense:1:4 declaration", "main.msense:3:17 use"])
        // A local name stays in its file; a builtin has none.
        let parameter = search.references(at: position(of: "helper) =>", in: Self.script), in: folder.path("main.msense"))
        #expect(describe(parameter) == ["main.msense:2:5 declaration", "main.msense:2:16 use"])
        #expect(search.references(at: position(of: "print", in: Self.script), in: folder.path("main.msense")).isEmpty)
    }

    @Test func fromTheLibraryAsTheEditorHoldsIt() throws {
        let folder = try Folder()
        // The open library has an unsaved line at its top: its places are those of the open text.
        let edited = "# unsaved\n" + Self.library
        let search = WorkspaceReferences(open: try workspace(folder, libraryOpen: edited))
        let library = folder.path("lib/common.msense")
        let places = search.references(at: position(of: "helper", in: edited), in: library)
        #expect(Set(describe(places)) == [
            "common.msense:1:3 declaration", "common.msense:2:13 use",
            "main.msense:1:8 use", "main.msense:3:6 use", "second.msense:1:6 use",
            "(disk)middle.msense:1:15 use", "(disk)middle.msense:1:22 use",
        ])
        #expect(describe(Array(places.prefix(2))) == ["common.msense:1:3 declaration", "common.msense:2:13 use"])
        // From a script, the declaration is the open library's.
        let fromScript = search.references(at: position(of: "helper(3)", in: Self.script), in: folder.path("main.msense"))
        #expect(describe(fromScript).first == "common.msense:1:3 declaration")
        #expect(fromScript.count == places.count)
    }

    @Test func missingCyclicAndFIFOImportsEnd() throws {
        let folder = try Folder()
        let first = "import \"second.msense\"\nimport \"missing.msense\"\nimport \"pipe.msense\"\nfn ping(n) => pong(n)\n"
        let second = "import \"first.msense\"\nfn pong(n) => ping(n)\n"
        #expect(mkfifo(folder.path("pipe.msense"), 0o600) == 0)
        let documents = open([(try folder.write("first.msense", first), first), (try folder.write("second.msense", second), second)])
        let search = WorkspaceReferences(open: documents)
        let ping = search.references(at: position(of: "ping", in: first), in: folder.path("first.msense"))
        #expect(describe(ping) == ["first.msense:3:3 declaration", "second.msense:1:14 use"])
        let pong = search.references(at: position(of: "pong", in: first), in: folder.path("first.msense"))
        #expect(describe(pong) == ["second.msense:1:3 declaration", "first.msense:3:14 use"])
        // With only the first open, the second is read from disk (and its import of the first
        // leads back to the open document).
        let alone = WorkspaceReferences(open: open([(folder.path("first.msense"), first)]))
        #expect(describe(alone.references(at: position(of: "ping", in: first), in: folder.path("first.msense")))
                == ["first.msense:3:3 declaration", "(disk)second.msense:1:14 use"])
    }
}
