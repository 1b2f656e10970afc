import Foundation
import Testing
@testable import MSense
@testable import MSenseCore
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

    /// A path that walks through folders outside the root is refused at the first of them, so
    /// the answer never depends on what is there (a link or a folder, a loop of links): only the
    /// root's own ancestors may be passed on the way back in.
    @Test func nothingOutsideTheRootIsExamined() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try scratch.folder("root")
        _ = try scratch.folder("secret/plain")
        try FileManager.default.createSymbolicLink(atPath: scratch.url.appendingPathComponent("secret/link").path, withDestinationPath: "/usr/lib")
        try FileManager.default.createSymbolicLink(atPath: scratch.url.appendingPathComponent("secret/loop").path,
                                                   withDestinationPath: scratch.url.appendingPathComponent("secret/loop").path)
        try scratch.write("root/a.json", "[1, 2]")
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: true, root: root))
        #expect(host.failure("assert(len(load(\"../root/a.json\")) == 2)") == nil, "the root's own ancestors lead back in")
        var messages: [String] = []
        for inner in ["plain", "link", "loop", "missing"] {
            let path = "../secret/\(inner)/../../root/a.json"
            for call in ["exists(\"\(path)\")", "load(\"\(path)\")", "save([1], \"\(path)\")"] {
                let diagnostic = try #require(host.failure(call), "\(call)")
                messages.append(diagnostic.message.replacingOccurrences(of: inner, with: "X"))
                #expect(diagnostic.message.contains("'\(path)' is outside the directory this script may use"), "\(diagnostic.message)")
            }
        }
        #expect(Set(messages).count == 3, "one message per call, whatever lies outside: \(Set(messages))")
        #expect(host.isUsable)
    }

    /// A root the host names through a symbolic link (as `/tmp` is on macOS) works as the folder
    /// it leads to: relative paths, imports of a run without a folder, absolute paths spelled
    /// through the link, and links inside the root whose targets are spelled that way.
    @Test func aRootSpelledThroughALinkIsTheFolderItLeadsTo() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try scratch.folder("real")
        let link = scratch.url.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: scratch.url.appendingPathComponent("real").path)
        try scratch.write("real/d.json", "[1, 2]")
        try scratch.write("real/mod.msense", "let answer = 42")
        try FileManager.default.createSymbolicLink(atPath: scratch.url.appendingPathComponent("real/alias.json").path,
                                                   withDestinationPath: link.appendingPathComponent("d.json").path)
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: true, root: link))
        for source in ["assert(len(load(\"d.json\")) == 2)", "import \"mod.msense\"\nassert(answer == 42)",
                       "assert(len(load(\"\(link.path)/d.json\")) == 2)", "assert(len(load(\"alias.json\")) == 2)",
                       "save([3], \"\(link.path)/e.json\")"] {
            #expect(host.failure(source) == nil, "\(source): \(host.failure(source)?.message ?? "")")
        }
        #expect(host.failure("load(\"../d.json\")")?.message.contains("is outside the directory this script may use") == true)
        #expect(host.isUsable)
    }

    /// A script can write data files (`save`: .npy, .npz, .csv, .json) but never a module: an
    /// import reads `.msense` files only, by the name it resolves to, so data the script wrote
    /// (a JSON list is valid msense) cannot be parsed as code outside the run's limits.
    @Test func importReadsSourceFilesOnly() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try scratch.folder("root")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("data.msense").path,
                                                   withDestinationPath: root.appendingPathComponent("data.json").path)
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: true, root: root))
        #expect(host.failure("save([1, 2, 3], \"data.json\")") == nil)
        for (path, leads) in [("data.json", false), ("data.msense", true)] {
            let diagnostic = try #require(host.failure("import \"\(path)\""), "\(path)")
            #expect(diagnostic.message.hasPrefix("cannot import '\(path)': only msense source files (.msense) can be imported"), "\(diagnostic.message)")
            #expect(diagnostic.message.contains("it leads to '") == leads, "\(diagnostic.message)")
            #expect(diagnostic.hint?.hasPrefix("load(\"\(path)\") reads a data file") == true)
        }
        #expect(host.isUsable)
    }

    /// A module bigger than `memoryBytes / 256` is refused before it is parsed: parsing runs
    /// before the run whose limits it would break.
    @Test func importedSourceIsBoundedByTheMemoryLimit() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try scratch.folder("root")
        try scratch.write("root/small.msense", "let small = [" + Array(repeating: "0", count: 1000).joined(separator: ",") + "]")
        try scratch.write("root/big.msense", "let big = [" + Array(repeating: "0", count: 150_000).joined(separator: ",") + "]")
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: false, root: root), limits: Limits(memoryBytes: 64_000_000))
        #expect(host.failure("import \"small.msense\"\nassert(len(small) == 1000)") == nil)
        let diagnostic = try #require(host.failure("import \"big.msense\""))
        #expect(diagnostic.message.hasPrefix("cannot import 'big.msense': it holds 300.0 kB of source, more than the 250.0 kB an imported module may hold under the host's memory limit"), "\(diagnostic.message)")
        #expect(diagnostic.hint == "keep data out of modules: save it with save(…) and read it with load(…)")
        #expect(host.isUsable)
    }

    /// A host that names a run without a folder (a notebook's `In[3]`) has its relative imports
    /// taken from the root, as `load` and `save` take relative paths.
    @Test func relativeImportsOfAnUnfolderedRunStartAtTheRoot() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try scratch.folder("root")
        try scratch.write("root/helper.msense", "let helped = 3")
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: false, root: root))
        #expect(host.failure("import \"helper.msense\"\nassert(helped == 3)", path: "In[1]") == nil)
        #expect(host.isUsable)
    }

    @Test func pipesAndDevicesAreRefusedWithoutBlocking() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for name in ["fifo.msense", "fifo.npy", "fifo.json"] {
            #expect(mkfifo(scratch.url.appendingPathComponent(name).path, 0o600) == 0)
        }
        try FileManager.default.createSymbolicLink(atPath: scratch.url.appendingPathComponent("zero.msense").path, withDestinationPath: "/dev/zero")
        let host = HostileHost()
        let fifo = try #require(host.failure("import \"\(scratch.path)/fifo.msense\""))
        #expect(fifo.message.hasSuffix("is not a regular file (a device, pipe or socket)"), "\(fifo.message)")
        for source in ["import \"\(scratch.path)/zero.msense\"", "import \"/dev/zero\"", "import \"/dev/null\""] {
            let diagnostic = try #require(host.failure(source))
            #expect(diagnostic.message.contains("only msense source files (.msense) can be imported"), "\(diagnostic.message)")
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
        try Data("[1, 2]".utf8).write(to: scratch.url.appendingPathComponent("outside/secret.json"))
        try Data("let leaked = 1".utf8).write(to: scratch.url.appendingPathComponent("outside/m.msense"))
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: true, root: root))
        for source in ["save(1, \"out/x.json\")", "save(1, \"dangling.json\")", "mkdir(\"up/made\")",
                       "save(1, \"inner/../../outside/y.json\")", "save(1, \"here/../../outside/z.json\")",
                       // A missing name, then `..` back out of it, then a link.
                       "save(1, \"nope/../out/w.json\")", "mkdir(\"nope/../out/made\")", "save(1, \"a/b/../../out/v.json\")",
                       "load(\"nope/../out/secret.json\")", "exists(\"nope/../out/secret.json\")", "import \"nope/../out/m.msense\""] {
            let diagnostic = try #require(host.failure(source), "\(source)")
            #expect(diagnostic.message.contains("is outside the directory this script may use"), "\(source): \(diagnostic.message)")
        }
        #expect(try fm.contentsOfDirectory(atPath: scratch.url.appendingPathComponent("outside").path).sorted() == ["m.msense", "secret.json"])
        #expect(host.failure("save(1, \"loop/x.json\")")?.message.contains("too many levels of symbolic links") == true)
        // Links that stay inside are followed.
        #expect(host.failure("save(2, \"here/v.json\")\nassert(load(\"inner/v.json\") == 2)") == nil)
        #expect(host.isUsable)
    }

    @Test func aPathWithANulCharacterIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try scratch.folder("root")
        try Data(#"["a\u0000b.json"]"#.utf8).write(to: root.appendingPathComponent("names.json"))
        let host = HostileHost(access: FileAccess(canRead: true, canWrite: true, root: root))
        let diagnostic = try #require(host.failure("save(1, load(\"names.json\")[0])"))
        #expect(diagnostic.message.contains("a path cannot hold a NUL character"), "\(diagnostic.message)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["names.json"])
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

/// Crashes and limits: sizes from script input are overflow-checked and checked against memory
/// (the host's limit included) before anything is allocated; native work is charged as steps
/// before it starts. Every case ends in a located error and leaves the interpreter usable.
@Suite("Red team: sizes and limits")
struct RedTeamLimitTests {
    static let problem = "let P = sensing(psd(4, eigs: [1.0]), full(4))\n"
    static let memory = Limits(memoryBytes: 100_000_000)

    /// Runs `source` on a fresh host with `limits`; expects a located error containing `expected`.
    func expectRefusal(_ source: String, _ expected: String, limits: Limits = .none, line: Int? = nil,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let host = HostileHost(limits: limits)
        guard let diagnostic = host.failure(source) else {
            Issue.record("\(source) succeeded", sourceLocation: sourceLocation)
            return
        }
        #expect(diagnostic.message.contains(expected), "\(source): \(diagnostic.message)", sourceLocation: sourceLocation)
        #expect(diagnostic.line >= 1 && diagnostic.path == "<hostile>", sourceLocation: sourceLocation)
        if let line { #expect(diagnostic.line == line, sourceLocation: sourceLocation) }
        #expect(host.isUsable, sourceLocation: sourceLocation)
    }

    @Test func overflowingSizesAreErrors() {
        expectRefusal("from_factor(zeros(4294967296, 0))", "larger than the 2147483647 elements a matrix may hold")
        expectRefusal("zeros(9007199254740992, 0)", "larger than the 2147483647 elements a matrix may hold")
        expectRefusal(Self.problem + "glrl(P, 4294967296, 0.1, stage_steps: 4294967296)", "GLRL needs a maximum rank ≤ d", line: 2)
        expectRefusal("ones(3037000500, 3037000500)", "needs more than 9223372036854775807 bytes")
    }

    @Test func allocationsBeyondTheMemoryLimitAreRefusedBeforeAllocating() {
        let limit = "memory limit exceeded"
        expectRefusal("ones(20000, 1) @ ones(1, 20000)", limit, limits: Self.memory)
        expectRefusal("diag(list(0..20000))", limit, limits: Self.memory)
        expectRefusal("range(100000000)", limit, limits: Self.memory)
        expectRefusal("from_factor(ones(30000, 1))", limit, limits: Self.memory)
        expectRefusal("from_factor(ones(60000, 1))", "larger than the 2147483647 elements", limits: Self.memory)
        expectRefusal(Self.problem + "gd(P, init: zeros(4, 40000), lr: 0.1, steps: 10)", limit, limits: Self.memory, line: 2)
        expectRefusal("let Q = sensing(psd(5, eigs: [1.0]), full(5))\ngd(Q, init: zeros(5, 100000), lr: 0.1, steps: 10)", "100000×100000", line: 2)
        expectRefusal("let x = ones(2000, 1000)\nlet y = -x", limit, limits: Limits(memoryBytes: 10_000_000), line: 1)
    }

    /// A list holding itself twice, forty levels deep: its text would need 2⁴⁰ items.
    @Test func exponentialTextIsRefused() {
        let doubling = "let a = [1]\nfor i in 0..40 { a = [a, a] }\n"
        let limits = Limits(memoryBytes: 20_000_000)
        expectRefusal(doubling + "print(a)", "text of", limits: limits, line: 3)
        expectRefusal(doubling + "let s = str(a)", "text of", limits: limits, line: 3)
        expectRefusal(doubling + "save(a, \"/tmp/never-written.json\")", "text of", limits: limits, line: 3)
    }

    /// A 1.5 MB .npz declaring 1.5 GB of members is refused from its directory, before inflating.
    @Test func npzBombsAreRefusedFromTheirDeclaredSizes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var directory: [UInt8] = []
        func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8((value >> (8 * $0)) & 0xff) } }
        for k in 0..<15 {
            let name = Array("m\(k).npy".utf8)
            directory += le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(8, 2) + le(0, 4) + le(0, 4)
            directory += le(100_000, 4) + le(100_000_000, 4) + le(name.count, 2) + le(0, 2) + le(0, 2)
            directory += le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + name
        }
        let archive = [UInt8](repeating: 0, count: 1_500_000) + directory
            + le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(15, 2) + le(15, 2) + le(directory.count, 4) + le(1_500_000, 4) + le(0, 2)
        try Data(archive).write(to: scratch.url.appendingPathComponent("bomb.npz"))
        expectRefusal("load(\"\(scratch.path)/bomb.npz\")", "1500000000 bytes declared", limits: Self.memory)
    }

    @Test func nativeWorkIsChargedAndRefusedUpFront() {
        // eye(2000) fills 4·10⁶ elements (3 steps); its eigendecomposition would need 7629.
        expectRefusal("let A = eye(2000)\neigh(A)", "eigendecomposition of a 2000×2000 matrix needs 7629 steps",
                      limits: Limits(steps: 10), line: 2)
        expectRefusal("ones(6000, 6000)", "a 6000×6000 matrix needs 34 steps", limits: Limits(steps: 10))
        expectRefusal("let A = ones(1000, 1000)\nA @ A", "needs 953 steps", limits: Limits(steps: 100), line: 2)
        // Walking a long string to index it costs in proportion to its length.
        expectRefusal("let s = \"x\"\nfor i in 0..22 { s = s + s }\nfor i in 0..100 { s[i] }", "indexing a string of 4194304 bytes needs",
                      limits: Limits(steps: 200), line: 3)
    }

    /// Building a list costs one operation per item, sorting n values n·⌈log₂ n⌉, like a
    /// matrix's fill: under 20 steps each of these is refused before it starts, with the hint
    /// that names the host's limit, instead of running for minutes.
    @Test(arguments: [
        ("for i in 0..10 { let xs = permutation(100000000) }", "a list of 100000000 items needs 95 steps", 1),
        ("let xs = list(0..100000000)", "a list of 100000000 items needs 95 steps", 1),
        ("let xs = range(100000000)", "a list of 100000000 items needs 95 steps", 1),
        ("let xs = linspace(0, 1, 30000000)", "a list of 30000000 items needs 28 steps", 1),
        ("let xs = choice(100000000, 3)", "a list of 100000000 items needs 95 steps", 1),
        ("let xs = permutation(list(0..10000000))", "shuffling 10000000 items needs 9 steps", 1),
        ("let m = rand(3000000)\nmedian(m)", "sorting 3000000 values needs 62 steps", 2),
        ("let m = rand(3000000)\nquantile(m, 0.9)", "sorting 3000000 values needs 62 steps", 2),
        ("let a = list(0..10000000)\nlet b = a + a", "a list of 20000000 items needs 19 steps", 2),
        ("let a = list(0..10000000)\nlet b = a[0:10000000]\nlet c = a[0:10000000]", "a list of 10000000 items needs 9 steps", 3),
        ("let b = (0..30000000) * 2", "a list of 30000000 items needs 28 steps", 1),
        ("let b = sqrt(0..30000000)", "a list of 30000000 items needs 28 steps", 1),
        ("sum(0..30000000)", "a list of 30000000 items needs 28 steps", 1),
        ("cumsum(0..30000000)", "a list of 30000000 items needs 28 steps", 1),
    ])
    func listBuildingIsChargedAsWork(_ source: String, _ expected: String, _ line: Int) {
        let host = HostileHost(limits: Limits(steps: 20))
        let diagnostic = host.failure(source)
        #expect(diagnostic?.message.contains("step limit exceeded: \(expected)") == true, "\(source): \(diagnostic?.message ?? "succeeded")")
        #expect(diagnostic?.hint == BudgetRefusalTests.limitHint)
        #expect(diagnostic?.line == line)
        #expect(host.isUsable)
    }

    /// Figures are checked against the limits before they are drawn: a 16000×16000 PNG needs
    /// 2 GB of buffers, written or shown; an 8000×8000 one 61 steps of drawing; an SVG of 2·10⁶ points 96 MB of layout.
    @Test func figuresAreChargedBeforeTheyAreDrawn() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let panels = "let ps = []\nfor i in 0..16 { push(ps, panel([line([1, 2], [1, 2])])) }\n"
        expectRefusal(panels + "figure(\"\(scratch.path)/big.png\", ps, cols: 4, width: 4000, height: 4000)",
                      "memory limit exceeded: a PNG figure of 16000×16000 pixels needs 2.0 GB", limits: Self.memory, line: 3)
        expectRefusal("let p = panel([line([1, 2], [1, 2])])\nfigure(\"\(scratch.path)/big.png\", [p, p, p, p], cols: 2, width: 4000, height: 4000)",
                      "step limit exceeded: drawing a PNG figure of 8000×8000 pixels needs 61 steps", limits: Limits(steps: 40), line: 2)
        #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/big.png"))
        let host = HostileHost(limits: Self.memory)
        host.interpreter.onDisplay = { _ in Issue.record("a refused figure was shown") }
        let shown = try #require(host.failure(panels + "figure(ps, cols: 4, width: 4000, height: 4000)"))
        #expect(shown.message.contains("a PNG figure of 16000×16000 pixels needs"), "\(shown.message)")
        #expect(shown.hint?.contains("lower width and height") == true)
        let points = "let x = rand(2000000)\nlet l = line(x, x)\n"
        expectRefusal(points + "figure(\"\(scratch.path)/l.svg\", [panel([l])])", "an SVG figure of 2000000 points needs 96.0 MB",
                      limits: Limits(memoryBytes: 80_000_000), line: 3)
    }

    @Test func recursionThroughBuiltinsEndsInStackDepthExceeded() {
        let predicate = Self.problem + """
            fn deep(n) => gd(P, init: small(4, 1, alpha: 0.1), lr: 0.1, steps: 2, stop: fn(row) => deep(n + 1))
            deep(0)
            """
        expectRefusal(predicate, "stack depth exceeded", limits: Limits(steps: 10_000_000))
        let sweeps = "fn f(p) => sweep({a: [1]}, f, jobs: 1)\nf({a: 1})"
        expectRefusal(sweeps, "stack depth exceeded")
        let plain = "fn down(n) => down(n + 1)\ndown(0)"
        expectRefusal(plain, "stack depth exceeded", line: 1)
    }

    /// The steps of a parallel sweep's workers come out of the run's budget, not each a new one.
    @Test func parallelSweepWorkersShareOneBudget() {
        let host = HostileHost(limits: Limits(steps: 3000))
        let source = """
            fn point(p) {
              let total = 0
              for i in 0..1000 { total = total + i }
              return {total: total}
            }
            let t = sweep({a: [1, 2, 3, 4, 5, 6, 7, 8]}, point, jobs: 4)
            """
        let diagnostic = host.failure(source)
        #expect(diagnostic?.id == .limitExceeded, "8 points of 1000 steps ran under a 3000-step limit: \(host.output.text)")
        #expect(host.isUsable)
    }

    /// A parallel sweep's workers measure the process from the run's start and share its memory
    /// limit: each replays the 64 MB the run made before the sweep, which the process already
    /// holds, so under a 100 MB limit the replays are refused instead of each growing the
    /// process by up to the whole limit.
    @Test func parallelSweepWorkersShareTheMemoryLimit() {
        let host = HostileHost(limits: Self.memory)
        let source = """
            let data = ones(1000, 8000)
            fn point(p) => {total: sum(data) + p.a}
            let t = sweep({a: [1, 2, 3, 4, 5, 6, 7, 8]}, point, jobs: 4)
            """
        let diagnostic = host.failure(source)
        #expect(diagnostic?.message.contains("memory limit exceeded: a 1000×8000 matrix needs 64.0 MB but the script may use 100.0 MB, shared by the sweep's workers")
                == true, "\(diagnostic?.message ?? "succeeded")")
        #expect(host.isUsable)
        let fits = HostileHost(limits: Limits(memoryBytes: 1_000_000_000))
        #expect(fits.failure(source) == nil)
    }

    /// What one worker was granted counts for the others until it is settled (its allocation
    /// resident, or its run over), so two requests that each fit do not both pass at once.
    @Test func sweepWorkersSeeEachOthersGrants() {
        let pool = MemoryPool(baseline: ResidentMemory.bytes(), limit: 1_000_000_000)
        let (a, b) = (OutputBuffer(), OutputBuffer())
        #expect(pool.refusal(bytes: 600_000_000, for: "a", worker: ObjectIdentifier(a)) == nil)
        #expect(pool.refusal(bytes: 600_000_000, for: "b", worker: ObjectIdentifier(b))?.contains("b needs 600.0 MB") == true)
        pool.settle(worker: ObjectIdentifier(a))
        #expect(pool.refusal(bytes: 600_000_000, for: "b", worker: ObjectIdentifier(b)) == nil)
    }

    @Test func aCancelDuringReadingIsNotLost() {
        let host = HostileHost()
        let interpreter = host.interpreter
        interpreter.moduleLoader = ModuleLoader(
            locate: { path, _ in path },
            read: { [unowned interpreter] _ in
                interpreter.cancel()  // arrives while the script is being read
                return Array("let lib = 1".utf8)
            })
        let diagnostic = host.failure("import \"lib\"\nprint(lib)")
        #expect(diagnostic?.message == "cancelled")
        #expect(host.output.text.isEmpty)
        interpreter.moduleLoader = nil
        #expect(host.isUsable)
    }

    @Test func clockIsRelativeAndCoarse() throws {
        let host = HostileHost()
        let t = try #require(try host.interpreter.evaluate("clock()").doubleValue)
        #expect(t >= 0 && t < 86_400)
        #expect(abs(t * 1e6 - (t * 1e6).rounded()) < 1e-3)
    }
}
