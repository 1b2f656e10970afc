import Testing
@testable import MSense
@testable import MSenseCore

/// After a syntax error the parser reads on without inventing errors of its own: a broken
/// string ends at its line, an error inside `\( … )` is placed and worded inside it, and a
/// missing `}` is blamed on the block whose indentation says it is the one left open.
@Suite("Parser recovery")
struct ParserRecoveryTests {
    private let interpreter = Interpreter(output: { _ in }, libraries: [])

    private func check(_ source: String) -> [Diagnostic] {
        interpreter.check(source: source, path: "r.msense")
    }

    @Test func anUnterminatedStringEndsAtItsLine() throws {
        let problems = check("let c = \"unterminated\nfn f(x) { return x }\nprint(f(c))")
        let problem = try #require(problems.first)
        #expect(problems.count == 1, "\(problems.map(\.description))")
        #expect(problem.message == "unterminated string")
        #expect((problem.line, problem.column) == (1, 9))
    }

    @Test func anUnterminatedInterpolationEndsAtItsLine() throws {
        let problems = check("print(\"a\\(1 + (2)b\")\nprint(2)")
        #expect(problems.count == 1, "\(problems.map(\.description))")
        #expect(problems.first?.message == "unterminated interpolation \\( … ) in string")
    }

    @Test func aMissingOperandInsideAnInterpolationIsReportedThere() throws {
        let source = "print(\"value: \\(1 + )\")"
        let problems = check(source)
        let problem = try #require(problems.first)
        #expect(problems.count == 1, "\(problems.map(\.description))")
        #expect(problem.message == "expected an expression, found the end of the interpolation \\( … )")
        #expect((problem.line, problem.column) == (1, 21))
        #expect(problem.id == .syntax)
        #expect(!interpreter.isIncomplete(source))
    }

    @Test func errorsInABlockInsideAnInterpolationAreReported() throws {
        let problems = check("print(\"\\(fn() { let = 1 }())\")")
        let problem = try #require(problems.first)
        #expect(problems.count == 1, "\(problems.map(\.description))")
        #expect(problem.message == "expected a variable name after 'let', found '='")
        #expect((problem.line, problem.column) == (1, 21))
    }

    @Test func aBadCharacterInsideAnInterpolationIsOneError() {
        let problems = check("print(\"a\\(1 $ 2)b\")")
        #expect(problems.map(\.message) == ["unexpected character '$'"])
    }

    /// C's `&&`, `||` and `!` are one error each, read as `and`, `or`, `not` so nothing follows.
    @Test func logicalOperatorsOfOtherLanguagesAreOneErrorEach() {
        let problems = check("let a = 1\nif a == 1 && !(a > 2) || a < 0 { print(a) }\nprint(a)")
        #expect(problems.map(\.message) == ["unexpected '&&'", "unexpected '!'", "unexpected '||'"])
        #expect(problems.map { $0.hint ?? "" } == ["msense writes it `and`", "msense writes it `not`", "msense writes it `or`"])
        #expect(problems.map(\.column) == [11, 14, 23])
        #expect(check("let a = 1 != 2").isEmpty)
        // At the start of a line, '!' is more likely an IPython shell escape than a negation.
        #expect(check("!ls\nprint(1)").map { $0.hint ?? "" } == ["msense writes negation `not`; a line starting with '!' is a shell command in IPython, which msense does not have"])
        #expect(check("let a = 1 & 2").first?.message == "unexpected character '&'")
    }

    @Test func aMissingBraceIsBlamedOnTheBlockItsIndentationPointsTo() throws {
        let source = """
            fn e(p) {
                let x = p
                if x > 3 {
                    print("big")
                return {x: x}
            }
            """
        let problems = check(source)
        let problem = try #require(problems.first)
        #expect(problems.count == 1, "\(problems.map(\.description))")
        #expect(problem.hint == "the '{' at line 3, column 14 may be the one left open: the '}' on line 6 closes it but is indented like line 1")
    }

    @Test func consistentlyIndentedBracesKeepTheInnermostOpenBracketAsTheHint() throws {
        let problems = check("fn e(p) {\n    if p {\n        print(1)\n    }\n")
        #expect(problems.first?.hint == "close the '{' opened at line 1, column 9")
        let unindented = check("fn e(p) {\nif p {\nprint(1)\n}\n")
        #expect(unindented.first?.hint == "close the '{' opened at line 1, column 9")
    }
}
