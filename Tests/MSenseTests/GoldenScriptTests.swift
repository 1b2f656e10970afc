import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// Runs every script under Tests/Scripts in-process and compares with its `# expect:` lines
/// (standard output, in order) and `# expect-error:` lines (substrings of the rendered error).
@Suite("Golden scripts")
struct GoldenScriptTests {
    struct Expectations {
        var output: [String] = []
        var errors: [String] = []
    }

    static func expectations(in text: String) -> Expectations {
        var result = Expectations()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let r = line.range(of: "# expect: ") { result.output.append(String(line[r.upperBound...])) }
            else if line.hasSuffix("# expect:") { result.output.append("") }
            if let r = line.range(of: "# expect-error: ") { result.errors.append(String(line[r.upperBound...])) }
        }
        return result
    }

    static let files = PackagePaths.scripts(under: PackagePaths.scripts)

    /// Whether `line` is part of a diagnostic's source excerpt: spaces and digits (the line
    /// number), then `|`.
    static func isExcerptLine(_ line: Substring) -> Bool {
        let afterNumber = line.drop(while: { (c: Character) in c == " " || c.isNumber })
        return afterNumber.first == "|"
    }

    @Test func excerptLinesAreRecognised() {
        #expect(Self.isExcerptLine(" 12 | let x = 1  # expect-error: x"))
        #expect(Self.isExcerptLine("    |     ^~~"))
        #expect(!Self.isExcerptLine("a.msense:1:2: error: 'x' is not defined"))
        #expect(!Self.isExcerptLine("hint: did you mean 'y'?"))
    }

    @Test func thereAreGoldenScripts() {
        #expect(Self.files.count >= 25)
    }

    @Test(arguments: files)
    func script(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        let text = String(decoding: data, as: UTF8.self)
        let expected = Self.expectations(in: text)
        let out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) })
        var failure: ScriptFailure?
        do { _ = try interpreter.run(bytes: Array(data), path: url.path) } catch { failure = error }
        let lines = out.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let printed = lines.last == "" ? Array(lines.dropLast()) : lines
        #expect(printed == expected.output, "stdout of \(url.lastPathComponent)")
        if expected.errors.isEmpty {
            #expect(failure == nil, "\(url.lastPathComponent) failed: \(failure?.description ?? "")")
        } else {
            // The excerpt lines (` 3 | source`, `   | ^~~`) are left out: they quote the failing
            // line, `# expect-error:` comment included, which would match any fragment.
            let rendered = (failure?.rendered(color: false) ?? "")
                .split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !Self.isExcerptLine($0) }
                .joined(separator: "\n")
            #expect(failure != nil, "\(url.lastPathComponent) should fail")
            for fragment in expected.errors {
                #expect(rendered.contains(fragment), "\(url.lastPathComponent): '\(fragment)' not in:\n\(rendered)")
            }
        }
    }
}
