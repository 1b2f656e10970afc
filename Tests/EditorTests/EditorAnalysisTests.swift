import Foundation
import Testing
import MSense
@testable import MSenseCore

/// The answers `msense lsp` gives, tested on the analysis directly.
@Suite struct EditorAnalysisTests {
    static let interpreter = Interpreter(output: { _ in })

    private func analysis(_ text: String, path: String = "/tmp/editor-test.msense") -> EditorAnalysis {
        EditorAnalysis(text: text, path: path, interpreter: Self.interpreter)
    }

    /// The position just after the first occurrence of `marker` (or at its start).
    private func position(of marker: String, in text: String, after: Bool = true) -> EditorPosition {
        guard let range = text.range(of: marker) else { return EditorPosition(line: 0, character: 0) }
        let end = after ? range.upperBound : range.lowerBound
        let before = text[..<end]
        let line = before.filter { $0 == "\n" }.count
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return EditorPosition(line: line, character: text[lineStart..<end].utf16.count)
    }

    @Test func diagnosticsCarryRangesAndHints() {
        let text = "let learning = 0.1\nprint(lerning)\nlet x = )\n"
        let a = analysis(text)
        let ranges = a.diagnostics.map { a.range(of: $0) }
        #expect(a.diagnostics.count == 1)  // syntax errors stop resolution: only the syntax error
        #expect(ranges.first == EditorRange(start: .init(line: 2, character: 8), end: .init(line: 2, character: 9)))
        let b = analysis("let learning = 0.1\nprint(lerning)\n")
        #expect(b.diagnostics.count == 1)
        #expect(b.diagnostics.first?.hint == "did you mean 'learning'?")
        #expect(b.range(of: b.diagnostics[0]) == EditorRange(start: .init(line: 1, character: 6), end: .init(line: 1, character: 13)))
    }

    @Test func completesNamesBuiltinsKeywordsAndParameters() {
        let text = "let gamma = 1\nfn f(alpha, beta = 2) {\n    let innermost = alpha\n    ga\n}\nprint(ga)\nf(1, b)\n"
        let a = analysis(text)
        let inFunction = a.completions(at: position(of: "    ga", in: text)).map(\.label)
        #expect(inFunction.contains("gamma") && inFunction.contains("gaussian"))
        let atTop = a.completions(at: position(of: "print(ga", in: text)).map(\.label)
        #expect(atTop.contains("gaussian") && atTop.contains("gamma"))
        let inner = a.completions(at: EditorPosition(line: 3, character: 4)).map(\.label)
        #expect(inner.contains("innermost") && inner.contains("alpha") && inner.contains("while"))
        #expect(!a.completions(at: position(of: "print(", in: text)).map(\.label).contains("innermost"))
        let named = a.completions(at: position(of: "f(1, b", in: text))
        #expect(named.contains { $0.label == "beta" && $0.insertText == "beta: " })
        let comment = "# print(ga\nlet s = \"ga\"\n"
        #expect(analysis(comment).completions(at: position(of: "print(ga", in: comment)).isEmpty)
        #expect(analysis(comment).completions(at: position(of: "\"ga", in: comment)).isEmpty)
    }

    @Test func completesTraceColumnsAndRunFields() {
        let text = "let run = gd(p, init: u, lr: 0.1, steps: 5)\nlet t = run.trace\nprint(run.trace.lo, t.ei, run.rel)\n"
        let a = analysis(text)
        #expect(a.completions(at: position(of: "run.trace.lo", in: text)).map(\.label) == ["loss"])
        #expect(a.completions(at: position(of: "t.ei", in: text)).map(\.label).prefix(2) == ["eig1", "eig2"])
        #expect(a.completions(at: position(of: "run.rel", in: text)).map(\.label) == ["rel_err"])
    }

    /// The field tables of completion are the objects' own `keys(…)`, and the builtins said to
    /// return a kind of object do (`type(…)`).
    @Test func fieldTablesMatchTheObjects() throws {
        let script = """
        seed(1)
        let d = 4
        let Z = psd(d, eigs: [1.0])
        let A = gaussian(m: 20, d: d)
        let p = sensing(Z, A)
        let run = gd(p, init: small(d, 2, alpha: 0.01), lr: 0.05, steps: 3)
        let made = {psd: Z, truth: truth(Z.matrix), from_factor: from_factor(small(d, 1)), gaussian: A,
                    nonsymmetric: nonsymmetric(m: 5, d: d), rank_one: rank_one(m: 5, d: d), completion: completion(m: 5, d: d),
                    full: full(d), explicit: explicit([Z.matrix]), sensing: p, gd: run,
                    glrl: glrl(p, 1, 0.05, stage_steps: 2)}
        for name in keys(made) { print(name + " " + type(made[name])) }
        let F = matrix_truth(randn(5, 2) @ randn(2, 4))
        let rect = sensing(F, iid_gaussian(m: 40, d1: 5, d2: 4))
        let sq = sensing(Z, iid_gaussian(m: 20, d1: d, d2: d))
        let runs = [run, glrl(p, 1, 0.05, stage_steps: 2), gd(rect, init: asym(randn(5, 2), randn(4, 2)), lr: 0.01, steps: 1),
                    gd(rect, init: deep([randn(3, 4), randn(5, 3)]), lr: 0.01, steps: 1),
                    gd(rect, init: lora(zeros(5, 4), randn(5, 2), randn(2, 4)), lr: 0.01, steps: 1),
                    gd(sq, init: sym(randn(d, 2)), lr: 0.01, steps: 1),
                    minimize(rect, init: asym(randn(5, 2), randn(4, 2)), optimizer: adam(lr: 0.01), steps: 1)]
        let all = {}
        for r in runs { for k in keys(r) { all[k] = true } }
        print("fields-run " + join(keys(all), ","))
        print("minimize " + type(runs[6]))
        print("fields-trace " + join(keys(run.trace), ","))
        print("fields-problem " + join(keys(p), ","))
        print("fields-truth " + join(keys(Z), ","))
        print("fields-ensemble " + join(keys(A), ","))
        print("columns " + join(run.trace.columns, ","))
        """
        let out = OutputCollector()
        let interpreter = Interpreter(output: { out.append($0) })
        _ = try interpreter.run(source: script)
        var lines: [String: String] = [:]
        for line in out.text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { lines[parts[0]] = parts[1] }
        }
        for (builtin, kind) in EditorAnalysis.resultKinds { #expect(lines[builtin] == kind, "\(builtin)") }
        let columns = (lines["columns"] ?? "").split(separator: ",").map(String.init)
        for (kind, fields) in EditorAnalysis.objectFields {
            let actual = (lines["fields-" + kind] ?? "").split(separator: ",").map(String.init)
                .filter { kind != "trace" || !columns.contains($0) }
            if kind == "run" {
                #expect(Set(actual) == Set(fields) && EditorAnalysis.runFieldDocs.count == fields.count, "the fields of every kind of run")
            } else {
                #expect(actual == fields, "\(kind)")
            }
        }
        let proposed = Set(EditorAnalysis.traceColumns.map(\.name))
        #expect(!columns.isEmpty && columns.allSatisfy(proposed.contains), "\(columns)")
    }

    @Test func hoversBuiltinsAndDefinitions() throws {
        let text = "# Adds one.\nfn inc(x) => x + 1\nlet gd_steps = 3\nprint(gd, inc(gd_steps))\n"
        let a = analysis(text)
        let builtin = try #require(a.hover(at: position(of: "print(g", in: text)))
        #expect(builtin.markdown.contains("gd(problem, init, lr, steps") && builtin.markdown.contains("Gradient descent"))
        let function = try #require(a.hover(at: position(of: "inc(gd", in: text, after: false)))
        #expect(function.markdown.contains("fn inc(x) => x + 1") && function.markdown.contains("Adds one."))
        let variable = try #require(a.hover(at: position(of: "(gd_st", in: text)))
        #expect(variable.markdown.contains("let gd_steps = 3") && variable.markdown.contains("line 3"))
    }

    @Test func definitionsInTheFileAndAcrossImports() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("msense-editor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("lib"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "import \"deeper.msense\"\nfn helper(x) => x\n".write(to: folder.appendingPathComponent("lib/tools.msense"), atomically: true, encoding: .utf8)
        try "let far = 1\n".write(to: folder.appendingPathComponent("lib/deeper.msense"), atomically: true, encoding: .utf8)
        let text = "import \"lib/tools.msense\"\nlet local = helper(far)\nprint(local, {helper: 1}.helper)\n"
        let a = analysis(text, path: folder.appendingPathComponent("main.msense").path)
        #expect(a.diagnostics.isEmpty, "\(a.diagnostics)")
        let helper = a.definition(at: position(of: "= hel", in: text))
        #expect(helper.first?.path.hasSuffix("lib/tools.msense") == true)
        #expect(helper.first?.range.start == EditorPosition(line: 1, character: 3))
        let far = a.definition(at: position(of: "(fa", in: text))
        #expect(far.first?.path.hasSuffix("lib/deeper.msense") == true)
        #expect(a.definition(at: position(of: "print(lo", in: text)).first?.range.start == EditorPosition(line: 1, character: 4))
        #expect(a.definition(at: position(of: "lib/to", in: text)).first?.path.hasSuffix("lib/tools.msense") == true)
        // A field or a record's label of the same name is not the imported function.
        #expect(a.definition(at: position(of: ".helper", in: text)).isEmpty)
        #expect(a.definition(at: position(of: "{helper", in: text)).isEmpty)
        // Completion offers the imported files' globals, through imports of imports.
        let proposals = a.completions(at: position(of: "= hel", in: text))
        #expect(proposals.map(\.label) == ["helper"])
        #expect(proposals.first?.kind == .function && proposals.first?.detail == "fn helper(x) => x  (tools.msense)")
        #expect(a.completions(at: position(of: "(fa", in: text)).map(\.label) == ["far", "false"])
        #expect(a.completions(at: position(of: "print(lo", in: text)).map(\.label).contains("local"))
    }

    @Test func renamesLocalsOnly() throws {
        let text = "let top = 1\nfn f(a) {\n    let b = a + top\n    return b * a\n}\n"
        let a = analysis(text)
        guard case .success(let ranges) = a.rename(at: position(of: "f(a", in: text), to: "alpha") else {
            Issue.record("parameter a was not renamed")
            return
        }
        #expect(ranges.count == 3)
        guard case .failure = a.rename(at: position(of: "let to", in: text), to: "x") else {
            Issue.record("a top-level name was renamed")
            return
        }
        guard case .failure = a.rename(at: position(of: "let b", in: text), to: "a") else {
            Issue.record("a rename that captures another name went through")
            return
        }
        guard case .failure = a.rename(at: position(of: "let b", in: text), to: "while") else {
            Issue.record("a keyword was accepted as a name")
            return
        }
    }

    @Test func renamesParametersWithTheLabelsThatPassThem() throws {
        let text = """
            fn scale(x, factor = 2) => x * factor
            let inner = fn(a, b) => a - b
            fn outer() {
                fn helper(step) => step + 1
                return helper(step: 3) + inner(1, b: 2)
            }
            fn other() {
                fn scale(factor) => factor
                return scale(factor: 5)
            }
            print(scale(1, factor: 3), scale(2), small(3, 1, alpha: 1))

            """
        let a = analysis(text)
        func renamed(at marker: String, to name: String) -> [EditorRange]? {
            guard case .success(let ranges) = a.rename(at: position(of: marker, in: text, after: false), to: name) else { return nil }
            return ranges
        }
        func range(of marker: String, length: Int) -> EditorRange {
            let start = position(of: marker, in: text, after: false)
            return EditorRange(start: start, end: EditorPosition(line: start.line, character: start.character + length))
        }
        // The top-level scale's parameter: its declaration, its use and the label of the last
        // line's call, not the label of the call of other's own scale.
        let factor = try #require(renamed(at: "factor = 2", to: "k"))
        #expect(factor.count == 3)
        #expect(factor.contains(range(of: "factor: 3", length: 6)))
        #expect(!factor.contains(range(of: "factor: 5", length: 6)))
        // From a label: the nested function's parameter, with its use and its label.
        #expect(try #require(renamed(at: "step: 3", to: "n")).count == 3)
        // A function literal bound to a name: its parameter and the label that passes it.
        #expect(try #require(renamed(at: "b: 2", to: "right")).contains(range(of: "b: 2", length: 1)))
        // Another parameter of the same function already has the name.
        #expect(renamed(at: "factor = 2", to: "x") == nil)
        // A label goes to its parameter; a builtin's label goes nowhere.
        #expect(a.definition(at: position(of: "factor: 3", in: text, after: false)).first?.range == range(of: "factor = 2", length: 6))
        #expect(a.definition(at: position(of: "alpha: 1", in: text, after: false)).isEmpty)
        #expect(renamed(at: "alpha: 1", to: "beta") == nil)
    }

    @Test func occurrencesOfANameInTheFile() {
        let text = "fn f(step) {\n    let t = step * 2\n    return t + step\n}\nprint(f(step: 1), f(2), len([1]))\n"
        let a = analysis(text)
        let all = a.occurrences(at: position(of: "step *", in: text, after: false))
        #expect(all.map(\.kind) == [.declaration, .use, .use, .label])
        #expect(all.first?.range.start == EditorPosition(line: 0, character: 5))
        #expect(all.last?.range.start == EditorPosition(line: 4, character: 8))
        #expect(a.occurrences(at: position(of: "f(2", in: text, after: false)).map(\.kind) == [.declaration, .use, .use])
        #expect(a.occurrences(at: position(of: "len", in: text, after: false)).isEmpty)
    }

    @Test func occurrencesOfAnImportedName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("msense-editor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("lib"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "fn helper(x) => 2 * x\nlet shared = 1\n".write(to: folder.appendingPathComponent("lib/common.msense"), atomically: true, encoding: .utf8)
        let text = "import \"lib/common.msense\"\nlet y = helper(3)\nfn f(helper) => helper\nprint(helper(y), shared, missing)\n"
        let a = analysis(text, path: folder.appendingPathComponent("main.msense").path)
        // The uses outside f, whose parameter shadows the imported function; no declaration here.
        let helper = a.occurrences(at: position(of: "helper(y", in: text, after: false))
        #expect(helper.map(\.kind) == [.use, .use])
        #expect(helper.map(\.range.start) == [EditorPosition(line: 1, character: 8), EditorPosition(line: 3, character: 6)])
        #expect(a.occurrences(at: position(of: "shared", in: text, after: false)).count == 1)
        #expect(a.occurrences(at: position(of: "missing", in: text, after: false)).isEmpty)
        #expect(a.occurrences(at: position(of: "print", in: text, after: false)).isEmpty)
    }

    @Test func signatureHelpFollowsArguments() throws {
        let text = "let u = small(20, 5, alpha: 1e-3)\nfn g(a, b = 2) => a\ng(1, "
        let a = analysis(text)
        let first = try #require(a.signatureHelp(at: position(of: "small(2", in: text)))
        #expect(first.label == "small(d, r, alpha = 1e-06)" && first.activeParameter == 0)
        #expect(try #require(a.signatureHelp(at: position(of: "alpha: 1e", in: text))).activeParameter == 2)
        let user = try #require(a.signatureHelp(at: EditorPosition(line: 2, character: 5)))
        #expect(user.label == "g(a, b = 2)" && user.activeParameter == 1)
        #expect(user.parameters.map(\.label) == [2..<3, 5..<6])
    }

    @Test func symbolsAndSemanticTokens() {
        let text = "let n = 3 # count\nfn twice(x) => 2 * x\nprint(twice(n), len([1]))\n"
        let a = analysis(text)
        #expect(a.symbols.map(\.name) == ["n", "twice"])
        let tokens = a.semanticTokens
        func type(at line: Int, _ character: Int) -> EditorAnalysis.SemanticType? {
            tokens.first { $0.range.start == EditorPosition(line: line, character: character) }?.type
        }
        #expect(type(at: 0, 0) == .keyword && type(at: 0, 4) == .variable && type(at: 0, 8) == .number)
        #expect(type(at: 0, 10) == .comment && type(at: 1, 3) == .function && type(at: 1, 9) == .parameter)
        #expect(tokens.first { $0.range.start == EditorPosition(line: 2, character: 16) }?.modifiers
                == EditorAnalysis.SemanticModifier.defaultLibrary.bit)
    }

    @Test func formatsOnlyValidDocuments() {
        #expect(analysis("let x=1\n").formatted() == "let x = 1\n")
        #expect(analysis("let x = (\n").formatted() == nil)
    }
}

/// Collects printed output across the interpreter's worker thread.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage = ""
    var text: String { lock.withLock { storage } }
    func append(_ s: String) { lock.withLock { storage += s } }
}
