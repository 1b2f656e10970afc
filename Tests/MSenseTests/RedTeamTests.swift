import Foundation
import Testing
@testable import MSense
#if canImport(Glibc)
import Glibc
#endif

/// An embedding host running scripts it did not write, under a sandbox and limits.
final class HostileHost {
    let interpreter: Interpreter
    let output = OutputBuffer()

    init(access: FileAccess = .unrestricted, limits: Limits = .none, maxCallDepth: Int = 10_000) {
        let output = self.output
        interpreter = Interpreter(output: { output.append($0) }, maxCallDepth: maxCallDepth)
        interpreter.fileAccess = access
        interpreter.limits = limits
    }

    /// The diagnostic a hostile script ends with (nil: it succeeded).
    func failure(_ source: String, path: String = "<hostile>") -> Diagnostic? {
        do {
            _ = try interpreter.run(source: source, path: path)
            return nil
        } catch {
            return error.diagnostics.first
        }
    }

    /// Whether the interpreter still runs an ordinary script correctly.
    var isUsable: Bool {
        (try? interpreter.evaluate("20 + 22"))?.doubleValue == 42
    }
}

/// A fresh temporary folder, removed by `remove()`.
struct Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("msense-redteam-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    var path: String { url.path }
    func folder(_ name: String) throws -> URL {
        let folder = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path) }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Escapes: every way a script reaches the file system goes through the host's `FileAccess`
/// (or the host's module loader), confined by bytes after `..` and symbolic links.
@Suite("Red team: escapes")
struct RedTeamEscapeTests {
    @Test func importObeysFileAccessAndEchoesNothing() throws {
        let host = HostileHost(access: .none)
        let diagnostic = try #require(host.failure("import \"/etc/passwd\"\nprint(1)"))
        #expect(diagnostic.message == "cannot import '/etc/passwd': reading files is disabled by the host")
        #expect(diagnostic.line == 1)
        #expect(!diagnostic.rendered(color: false).contains("root:"))
        // check() and evaluate() take the same way.
        let checked = host.interpreter.check(source: "import \"/etc/passwd\"")
        #expect(checked.map(\.message) == ["cannot import '/etc/passwd': reading files is disabled by the host"])
        #expect(throws: ScriptFailure.self) { try host.interpreter.evaluate("import \"/etc/hostname\"") }
        #expect(host.isUsable)
    }

    @Test func importsAreConfinedToTheRoot() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try scratch.folder("root")
        try scratch.write("secret.msense", "let hidden = 1")
        try scratch.write("root/lib.msense", "let shared = 7")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("link.msense").path,
                                                   withDestinationPath: scratch.url.appendingPathComponent("secret.msense").path)
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: false, root: root))
        #expect(host.failure("import \"lib.msense\"\nassert(shared == 7)") == nil)
        for path in ["../secret.msense", "\(scratch.path)/secret.msense", "link.msense", "sub/../../secret.msense"] {
            let diagnostic = try #require(host.failure("import \"\(path)\""), "\(path)")
            #expect(diagnostic.message.hasPrefix("cannot import '\(path)': '"), "\(diagnostic.message)")
            #expect(diagnostic.message.contains("is outside the directory this script may use"), "\(diagnostic.message)")
        }
        #expect(host.isUsable)
    }

    @Test func pipesAndDevicesAreRefusedWithoutBlocking() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for name in ["fifo.msense", "fifo.npy", "fifo.json"] {
            #expect(mkfifo(scratch.url.appendingPathComponent(name).path, 0o600) == 0)
        }
        let host = HostileHost()
        for source in ["import \"\(scratch.path)/fifo.msense\"", "import \"/dev/zero\"", "import \"/dev/null\""] {
            let diagnostic = try #require(host.failure(source))
            #expect(diagnostic.message.hasSuffix("is not a regular file (a device, pipe or socket)"), "\(diagnostic.message)")
        }
        for source in ["load(\"\(scratch.path)/fifo.npy\")", "load(\"\(scratch.path)/fifo.json\")"] {
            let diagnostic = try #require(host.failure(source))
            #expect(diagnostic.message.hasSuffix("is not a regular file (a device, pipe or socket)"), "\(diagnostic.message)")
        }
        #expect(host.isUsable)
    }

    @Test func aHostLoaderServesImportsForRunAndCheck() throws {
        let host = HostileHost(access: .none)
        let sources = ["util": "fn twice(x) => 2 * x", "loop_a": "import \"loop_b\"", "loop_b": "import \"loop_a\""]
        host.interpreter.moduleLoader = ModuleLoader(
            locate: { path, _ in
                guard sources[path] != nil else { throw ScriptError("no module named \(path)") }
                return path
            },
            read: { name in Array((sources[name] ?? "").utf8) })
        #expect(host.failure("import \"util\"\nassert(twice(4) == 8)") == nil)
        #expect(host.interpreter.check(source: "import \"nope\"").map(\.message) == ["cannot import 'nope': no module named nope"])
        #expect(host.failure("import \"loop_a\"")?.message.hasPrefix("import cycle:") == true)
        host.interpreter.moduleLoader = ModuleLoader.none
        #expect(host.failure("import \"util2\"")?.message == "cannot import 'util2': importing is disabled by the host")
    }

    /// Linux names files by bytes: `K` and U+212A KELVIN SIGN, `é` and `e` + U+0301 are
    /// different folders, though Swift's `String` calls them equal.
    @Test(arguments: [("Kroot", "\u{212A}root"), ("caf\u{E9}", "cafe\u{301}")])
    func unicodeEquivalentSpellingsAreOtherFolders(_ rootName: String, _ siblingName: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try scratch.folder(rootName)
        _ = try scratch.folder(siblingName)
        #expect(rootName == siblingName)  // String equality: canonically equivalent
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: true, root: root))
        let sibling = scratch.url.appendingPathComponent(siblingName).path
        for source in ["save(1, \"../\(siblingName)/x.json\")", "save(1, \"\(sibling)/x.json\")",
                       "mkdir(\"\(sibling)/made\")", "load(\"\(sibling)/x.json\")"] {
            let diagnostic = try #require(host.failure(source), "\(source)")
            #expect(diagnostic.message.contains("is outside the directory this script may use"), "\(diagnostic.message)")
        }
        let siblingContents = try FileManager.default.contentsOfDirectory(atPath: sibling)
        #expect(siblingContents.isEmpty)
        #expect(host.failure("save(1, \"inside.json\")\nassert(load(\"inside.json\") == 1)") == nil)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("inside.json").path))
    }

    @Test func symbolicLinksAndDanglingLinksCannotLeadOut() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try scratch.folder("root")
        _ = try scratch.folder("outside")
        _ = try scratch.folder("root/inner")
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("out").path, withDestinationPath: "../outside")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("dangling.json").path,
                                  withDestinationPath: scratch.url.appendingPathComponent("outside/new.json").path)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("up").path, withDestinationPath: "inner/../..")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("loop").path, withDestinationPath: "loop")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("here").path, withDestinationPath: "inner")
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: true, root: root))
        for source in ["save(1, \"out/x.json\")", "save(1, \"dangling.json\")", "mkdir(\"up/made\")",
                       "save(1, \"inner/../../outside/y.json\")", "save(1, \"here/../../outside/z.json\")"] {
            let diagnostic = try #require(host.failure(source), "\(source)")
            #expect(diagnostic.message.contains("is outside the directory this script may use"), "\(source): \(diagnostic.message)")
        }
        #expect(try fm.contentsOfDirectory(atPath: scratch.url.appendingPathComponent("outside").path).isEmpty)
        #expect(host.failure("save(1, \"loop/x.json\")")?.message.contains("too many levels of symbolic links") == true)
        // Links that stay inside are followed.
        #expect(host.failure("save(2, \"here/v.json\")\nassert(load(\"inner/v.json\") == 2)") == nil)
        #expect(host.isUsable)
    }

    @Test func writingAndReadingCanBeDisabled() throws {
        let host = HostileHost(access: .none)
        for (source, message) in [
            ("save(1, \"/tmp/x.json\")", "save: writing files is disabled by the host ('/tmp/x.json')"),
            ("mkdir(\"/tmp/x\")", "mkdir: writing files is disabled by the host ('/tmp/x')"),
            ("load(\"/etc/passwd.json\")", "load: reading files is disabled by the host ('/etc/passwd.json')"),
        ] {
            #expect(host.failure(source)?.message == message)
        }
    }
}
