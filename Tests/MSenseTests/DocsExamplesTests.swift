import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// The documentation cannot rot: every ```msense block in README.md and docs/*.md runs, and its
/// `# expect:` comments must match what it prints, line by line. docs/reference.md must be what
/// `msense --reference` generates from the builtins' own doc strings and examples.
@Suite("Documentation examples")
struct DocsExamplesTests {
    struct Block: CustomStringConvertible {
        let file: String
        let line: Int
        let code: String
        var description: String { "\(file):\(line)" }
    }

    static func blocks() -> [Block] {
        let docs = PackagePaths.root.appendingPathComponent("docs")
        let files = [PackagePaths.root.appendingPathComponent("README.md")]
            + ((try? FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "md" }.sorted { $0.path < $1.path }
        var found: [Block] = []
        for file in files {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            var current: [String]?
            var start = 0
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                if current == nil, line == "```msense" {
                    current = []
                    start = number + 2
                } else if current != nil, line == "```" {
                    found.append(Block(file: file.lastPathComponent, line: start, code: current!.joined(separator: "\n")))
                    current = nil
                } else if current != nil {
                    current!.append(line)
                }
            }
        }
        return found
    }

    @Test("every msense block in the docs runs and prints what its # expect: comments say", arguments: blocks())
    func block(_ block: Block) throws {
        let printed = try withScratchFolder("docs") { scratch -> String? in
            let (interpreter, out) = scratchInterpreter(in: scratch)
            do throws(ScriptFailure) {
                _ = try interpreter.run(source: block.code, path: "\(block.file):\(block.line)")
            } catch {
                Issue.record("\(block) failed:\n\(error.rendered(color: false))")
                return nil
            }
            return out.text
        }
        guard let printed else { return }
        let expected = block.code.components(separatedBy: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "# expect: ") else { return nil }
            return String(line[range.upperBound...])
        }
        guard !expected.isEmpty else { return }
        #expect(Array(printed.components(separatedBy: "\n").dropLast()) == expected, "\(block)")
    }

    @Test("there are blocks to check, including one example per builtin")
    func coverage() {
        let all = Self.blocks()
        #expect(all.filter { $0.file == "reference.md" }.count == Interpreter(output: { _ in }).builtins.count)
        #expect(all.contains { $0.file == "tour.md" })
    }

    @Test("docs/reference.md is what msense --reference generates")
    func referenceIsCurrent() throws {
        let url = PackagePaths.root.appendingPathComponent("docs/reference.md")
        let committed = try String(contentsOf: url, encoding: .utf8)
        let generated = Interpreter(output: { _ in }).referenceMarkdown()
        #expect(committed == generated, "docs/reference.md is stale: run `make reference` (msense --reference > docs/reference.md)")
    }
}
