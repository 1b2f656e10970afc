import Testing
@testable import MSense
@testable import MSenseCore

/// Every recursive production of the parser counts one level toward `Parser.maxNesting`, so
/// that input nested arbitrarily deep ends in one "nesting is too deep" error instead of
/// exhausting the stack. Each kind of nesting is generated exactly `maxNesting` levels deep
/// (accepted) and one level deeper (refused with that single error).
@Suite("Parser nesting limit")
struct ParserNestingTests {
    private let interpreter = Interpreter(output: { _ in }, libraries: [])

    /// One kind of nesting: the source of `depth` levels of it.
    struct Kind: CustomTestStringConvertible, Sendable {
        let name: String
        let source: @Sendable (Int) -> String
        var testDescription: String { name }
    }

    static func repeated(_ text: String, _ n: Int) -> String { String(repeating: text, count: n) }

    static let kinds: [Kind] = [
        Kind(name: "parentheses") { "let v = " + repeated("(", $0) + "1" + repeated(")", $0) },
        Kind(name: "lists") { "let v = " + repeated("[", $0) + "1" + repeated("]", $0) },
        Kind(name: "records") { "let v = " + repeated("{a: ", $0) + "1" + repeated("}", $0) },
        Kind(name: "calls") { "fn f(x) => x\nlet v = " + repeated("f(", $0) + "1" + repeated(")", $0) },
        Kind(name: "indexing") { "let xs = [0]\nlet v = " + repeated("xs[", $0) + "0" + repeated("]", $0) },
        Kind(name: "negation") { "let v = " + repeated("-", $0) + "1" },
        Kind(name: "not") { "let v = " + repeated("not ", $0) + "true" },
        Kind(name: "powers") { "let v = " + repeated("1 ^ ", $0) + "1" },
        Kind(name: "function literals with => bodies") { "let v = " + repeated("fn() => ", $0) + "1" },
        Kind(name: "a named function whose => body nests literals") { "fn g(x) => " + repeated("fn(x) => ", $0 - 1) + "x" },
        Kind(name: "function literals with block bodies") { "let v = " + repeated("fn() { return ", $0) + "1" + repeated(" }", $0) },
        Kind(name: "parameter defaults") { "let v = " + repeated("fn(a = ", $0) + "1" + repeated(") => a", $0) },
        Kind(name: "if blocks") { repeated("if true {\n", $0) + "let y = 1\n" + repeated("}\n", $0) },
        Kind(name: "while blocks") { repeated("while false {\n", $0) + repeated("}\n", $0) },
        Kind(name: "for blocks") { repeated("for i in 0..1 {\n", $0) + repeated("}\n", $0) },
        Kind(name: "try blocks") { repeated("try {\n", $0) + "let y = 1\n" + repeated("} catch e {}\n", $0) },
        Kind(name: "else blocks") { "if true {}" + repeated(" else { if true {}", $0 - 1) + " else {}" + repeated(" }", $0 - 1) },
        Kind(name: "string interpolations") { "let v = " + repeated("\"\\(", $0) + "1" + repeated(")\"", $0) },
    ]

    private func check(_ source: String) -> [Diagnostic] {
        interpreter.check(source: source, path: "deep.msense")
    }

    @Test(arguments: kinds)
    func theLimitIsExactlyMaxNestingLevels(_ kind: Kind) {
        let accepted = check(kind.source(Parser.maxNesting))
        #expect(accepted.isEmpty, "\(kind.name) at the limit: \(accepted.prefix(3).map(\.description))")
        let refused = check(kind.source(Parser.maxNesting + 1))
        #expect(refused.count == 1, "\(kind.name): \(refused.prefix(3).map(\.description))")
        #expect(refused.first?.message.hasPrefix("nesting is too deep") == true, "\(kind.name): \(refused.first?.message ?? "no error")")
        #expect(refused.first?.hint == "give inner parts names of their own: a variable for an inner expression, a function for an inner block")
    }

    /// The reported input: 120,000 nested `fn() =>` (1 MB of source) overflowed the stack.
    @Test func aMegabyteOfNestedFunctionLiteralsIsOneError() {
        for source in ["let f = " + Self.repeated("fn() => ", 120_000) + "1",
                       "fn g(x) => " + Self.repeated("fn(x) => ", 120_000) + "x"] {
            let problems = check(source)
            #expect(problems.count == 1)
            #expect(problems.first?.message.hasPrefix("nesting is too deep") == true)
        }
    }

    /// Strings nested in interpolations a megabyte deep: one error, found by the lexer before
    /// any of them is parsed.
    @Test func aMegabyteOfNestedInterpolationsIsOneError() {
        let problems = check("let v = " + Self.repeated("\"\\(", 250_000) + "1" + Self.repeated(")\"", 250_000))
        #expect(problems.count == 1, "\(problems.prefix(3).map(\.description))")
        #expect(problems.first?.message.hasPrefix("nesting is too deep") == true)
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
