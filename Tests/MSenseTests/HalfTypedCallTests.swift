import Testing
@testable import MSense
@testable import MSenseCore

/// A call cut short (`gd(p, init: x, st` at the end of a file, or before the next line) is one
/// error: the `(` left open, with its place in the hint. What the arguments typed so far would
/// say about their order (a positional one after a named one) waits until the list is closed.
@Suite("Half-typed calls")
struct HalfTypedCallTests {
    private let interpreter = Interpreter(output: { _ in })

    @Test func atTheEndOfTheFileTheOpenParenthesisIsTheError() throws {
        let source = "let p = 1\nlet x = 2\ngd(p, init: x, st"
        let problems = interpreter.check(source: source)
        let problem = try #require(problems.first)
        #expect(problems.count == 1, "\(problems.map(\.message))")
        #expect(problem.message == "expected ',' or ')' in the argument list, found the end of the file")
        #expect(problem.hint == "close the '(' opened at line 3, column 3")
        #expect(problem.id == .unexpectedEnd)
        #expect(interpreter.isIncomplete(source))
    }

    @Test func beforeTheNextLineTheOpenParenthesisIsTheError() throws {
        let problems = interpreter.check(source: "let p = 1\nprint(p, sep: p, en\nprint(p)\n")
        let problem = try #require(problems.first)
        #expect(problems.count == 1, "\(problems.map(\.message))")
        #expect(problem.message == "expected ',' or ')' in the argument list, found name 'print'")
        #expect(problem.hint == "close the '(' opened at line 2, column 6")
    }

    @Test func aClosedListStillRefusesAPositionalArgumentAfterANamedOne() throws {
        for source in ["f(1, lr: 2, 3)\n", "f(lr: 2, 3,)\n", "f(lr: 2, 3\n)\n"] {
            let problems = interpreter.check(source: "fn f(a, b = 1, lr = 0) => a\n" + source)
            #expect(problems.map(\.message) == ["positional argument after a named argument"], "\(source)")
            #expect(problems.first?.hint == "put positional arguments first: f(1, 2, lr: 0.1)")
        }
    }
}
