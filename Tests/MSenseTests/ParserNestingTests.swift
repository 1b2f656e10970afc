import Testing
@testable import MSense
@testable import MSenseCore

/// Input nested deeper than `Parser.maxNesting` ends in one "nesting is too deep" error.
@Suite("Parser nesting limit")
struct ParserNestingTests {
    private let interpreter = Interpreter(output: { _ in }, libraries: [])

    static func repeated(_ text: String, _ n: Int) -> String { String(repeating: text, count: n) }

    private func check(_ source: String) -> [Diagnostic] {
        interpreter.check(source: source, path: "deep.msense")
    }

    /// 1001 nested `if` blocks: the nesting error alone, not one "giving up" per enclosing block
    /// (which, sorted by place, came first and hid it).
    @Test func tooDeepBlocksReportOnlyTheCause() throws {
        let source = Self.repeated("if true {\n", 1001) + "print(1)\n" + Self.repeated("}\n", 1001)
        let problems = check(source)
        let problem = try #require(problems.first)
        #expect(problems.count == 1, "\(problems.prefix(3).map(\.description))")
        #expect(problem.message.hasPrefix("nesting is too deep"))
        #expect((problem.line, problem.column) == (1001, 9))
    }
}
