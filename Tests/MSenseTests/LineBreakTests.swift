import Testing
@testable import MSense
@testable import MSenseCore

/// A line ends at `\n`, `\r\n` or a lone `\r` (as the Language Server Protocol and editors
/// count lines): statements, comments and strings end there, and diagnostics give the line,
/// column and source line an editor shows.
@Suite("Line breaks")
struct LineBreakTests {
    @Test func aScriptWithCarriageReturnsOnlyRuns() {
        let (output, failure) = runScript("let x = 1\rprint(x + 1)\r# a comment\rprint(\"done\")\r")
        #expect(failure == nil, "\(String(describing: failure))")
        #expect(output == "2\ndone\n")
    }

    @Test func mixedLineBreaksAllEndLines() {
        let (output, failure) = runScript("let a = 1\r\nlet b = 2\rprint(a)\nprint(b)  # two\r\rprint(a + b)")
        #expect(failure == nil, "\(String(describing: failure))")
        #expect(output == "1\n2\n3\n")
    }

    @Test func aCommentEndsAtALoneCarriageReturn() {
        #expect(runScript("# note\rprint(3)\r").output == "3\n")
    }

    @Test func diagnosticsCountCarriageReturnLines() throws {
        let problems = Interpreter(output: { _ in }).check(source: "let a = 1\r\nlet b = 2\rprint(a +)\nprint(b)\r")
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.line == 3 && problem.column == 10)
        #expect(problem.sourceLine == "print(a +)")
        #expect(problem.rendered(color: false).hasPrefix("<script>:3:10: error:"))
    }

    @Test func aStringEndsAtALoneCarriageReturn() throws {
        let failure = try #require(runScript("let s = \"abc\rprint(s)\r").failure)
        let problem = try #require(failure.diagnostics.first)
        #expect(problem.message == "unterminated string")
        #expect(problem.line == 1 && problem.sourceLine == "let s = \"abc")
    }

    @Test func runtimeErrorsShowTheirLine() throws {
        let failure = try #require(runScript("let a = [1, 2]\r\rprint(a[5])\r").failure)
        let problem = try #require(failure.diagnostics.first)
        #expect(problem.line == 3 && problem.column == 7 && problem.sourceLine == "print(a[5])")
    }

    @Test func sourceLinesAndOffsets() throws {
        guard case .success(let file) = SourceFile.make(path: "t", text: "ab\rc\r\nd\n\re\r") else {
            Issue.record("not a source file")
            return
        }
        #expect(file.lineStarts == [0, 3, 6, 8, 9, 11])
        #expect((1...6).map(file.lineText) == ["ab", "c", "d", "", "e", ""])
        #expect(file.location(of: 3) == SourceLocation(line: 2, column: 1))
        #expect(file.location(of: 9) == SourceLocation(line: 5, column: 1))
    }
}
