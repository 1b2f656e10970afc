import Testing
@testable import MSense
@testable import MSenseCore

/// Checking a script takes time linear in its length however long its lines are: nothing on
/// the way of a well-formed script counts columns from the start of the line (only a
/// diagnostic's place needs a column).
///
/// A test cannot time code without asserting speed, so each script here is big enough that
/// work per statement proportional to the line's length would take minutes (a 1.4 MB line of
/// 100,000 `else if` branches took 62 s when every block counted its line's columns), while the
/// linear check takes well under a second; the time limit turns a regression into a failure
/// instead of a slow suite.
@Suite("Long lines", .timeLimit(.minutes(1)))
struct LongLineTests {
    private let interpreter = Interpreter(output: { _ in }, libraries: [])

    @Test func aLineOf200000ElseIfBranchesIsCheckedInLinearTime() {
        var source = "let x = 3\nif x == 0 { print(0) }"
        for i in 1..<200_000 { source += " else if x == \(i) { print(\(i)) }" }
        #expect(interpreter.check(source: source).isEmpty)
    }

    @Test func aLineOf200000StatementsIsCheckedInLinearTime() {
        var source = ""
        for i in 0..<200_000 { source += "let a\(i) = \(i); fn f\(i)(x) { return x }; " }
        #expect(interpreter.check(source: source).isEmpty)
    }
}
