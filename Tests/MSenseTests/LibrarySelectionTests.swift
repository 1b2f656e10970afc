import MSense
import Testing

/// A host chooses the domain libraries an interpreter opens; the core works without any.
@Suite("Library selection")
struct LibrarySelectionTests {
    /// A library a host writes: one builtin over the core.
    struct Greetings: MSenseLibrary {
        let name = "greetings"
        func builtins(_ context: LibraryContext) -> [Builtin] {
            [Builtin(name: "greet", doc: "A greeting for `who`.", parameters: [Parameter("who")]) { args in
                .string("hello, " + (try args.string("who")))
            }]
        }
    }

    private func names(_ interpreter: Interpreter) -> Set<String> { Set(interpreter.builtins.map(\.name)) }

    @Test("the core alone has the core builtins and no domain builtin")
    func coreAlone() throws {
        let out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) }, libraries: [])
        let builtins = names(interpreter)
        #expect(builtins.isSuperset(of: ["print", "len", "matrix", "zeros", "eye", "clock"]))
        #expect(builtins.isDisjoint(with: ["eigs", "load", "save", "gd", "sensing", "figure", "sweep", "table"]))
        _ = try interpreter.run(source: "print(sum([1, 2, 3]), shape(eye(2)))")
        #expect(out.text == "6 [2, 2]\n")
        let diagnostics = interpreter.check(source: "print(eigs(eye(2)))")
        #expect(diagnostics.map(\.message) == ["'eigs' is not defined"])
    }

    @Test("the core and one standard library")
    func coreAndLinearAlgebra() throws {
        let out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) }, libraries: [StandardLibrary.linearAlgebra])
        #expect(interpreter.libraries.map(\.name) == ["linear algebra"])
        #expect(names(interpreter).contains("eigs"))
        #expect(!names(interpreter).contains("gd"))
        _ = try interpreter.run(source: "print(eigs(diag([3, 1, 2])))")
        #expect(out.text == "[3, 2, 1]\n")
        #expect(interpreter.check(source: "gd(1)").map(\.message) == ["'gd' is not defined"])
    }

    @Test("each standard library opened alone adds its own builtins and none of the others'")
    func eachLibraryAlone() {
        let core = names(Interpreter(output: { _ in }, libraries: []))
        let everything = names(Interpreter(output: { _ in })).subtracting(core)
        var seen: [String: String] = [:]
        for library in StandardLibrary.all {
            let own = names(Interpreter(output: { _ in }, libraries: [library])).subtracting(core)
            #expect(!own.isEmpty, "\(library.name) adds builtins")
            for name in own {
                #expect(seen[name] == nil, "\(name) is in both \(seen[name] ?? "") and \(library.name)")
                seen[name] = library.name
            }
        }
        #expect(Set(seen.keys) == everything, "the libraries together are the standard set")
    }

    @Test("Interpreter(output:) opens every standard library, in order")
    func standardSet() {
        let interpreter = Interpreter(output: { _ in })
        #expect(interpreter.libraries.map(\.name) == StandardLibrary.all.map(\.name))
        #expect(StandardLibrary.all.map(\.name) == ["linear algebra", "numerics", "files", "sensing", "plots", "sweeps", "differentiation", "optimization"])
        #expect(names(interpreter).isSuperset(of: ["eigs", "mean", "randn", "load", "gd", "figure", "heatmap", "sweep", "table", "grad", "minimize", "adam"]))
    }

    @Test("a host's own library registers like a standard one")
    func hostLibrary() throws {
        let out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) }, libraries: [Greetings()])
        _ = try interpreter.run(source: "print(greet(\"msense\"))")
        #expect(out.text == "hello, msense\n")
        #expect(interpreter.builtins.first { $0.name == "greet" }?.usage == "greet(who)")
    }
}
