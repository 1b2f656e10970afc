import Foundation
import Testing

/// The command-line transcripts in the docs (an indented `$ msense -e '…'` line and the indented
/// lines after it) are what `msense` prints for that command, errors included.
@Suite("Documentation transcripts")
struct DocTranscriptTests {
    struct Transcript: CustomTestStringConvertible {
        let file: String
        let line: Int
        let code: String
        let expected: [String]
        var testDescription: String { "\(file):\(line)" }
    }

    /// Every `    $ msense -e '…'` line of docs/*.md and README.md, with the indented lines up to
    /// the next blank or unindented one.
    static func transcripts() -> [Transcript] {
        let docs = Harness.root.appendingPathComponent("docs")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? [])
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" } + ["README.md"]
        var found: [Transcript] = []
        for file in files {
            guard let text = try? String(contentsOf: Harness.root.appendingPathComponent(file), encoding: .utf8) else { continue }
            let lines = text.components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where line.hasPrefix("    $ msense -e '") && line.hasSuffix("'") {
                let code = String(line.dropFirst("    $ msense -e '".count).dropLast())
                let expected = lines[(i + 1)...].prefix { $0.hasPrefix("    ") && !$0.hasPrefix("    $ ") }.map { String($0.dropFirst(4)) }
                found.append(Transcript(file: file, line: i + 1, code: code, expected: expected))
            }
        }
        return found
    }

    @Test("there is a transcript to check")
    func present() {
        #expect(!Self.transcripts().isEmpty)
    }

    @Test("each transcript is what msense prints", arguments: transcripts())
    func transcript(_ transcript: Transcript) throws {
        let run = try Harness.msense(["-e", transcript.code])
        let printed = (run.stdout + run.stderr).components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(printed == transcript.expected, "\(transcript.file):\(transcript.line)")
    }
}
