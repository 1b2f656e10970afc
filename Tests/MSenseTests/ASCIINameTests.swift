import Testing
@testable import MSense
@testable import MSenseCore

/// Names are ASCII. A name written with other letters or digits (`α`, `λ_max`, `x₁`, `café`, as
/// papers write them) is one error whose hint gives its ASCII spelling, and the script reads on
/// as if it were a name, so no other error follows from it.
@Suite("Names beyond ASCII")
struct ASCIINameTests {
    @Test(arguments: [("α", "alpha"), ("λ_max", "lambda_max"), ("x₁", "x1"), ("σ²", "sigma2"),
                      ("café", "cafe"), ("Σ", "Sigma"), ("ηk", "etak")])
    func spellings(_ word: String, _ expected: String) {
        #expect(ASCIIName.spelling(of: word) == expected)
    }

    @Test(arguments: ["₁x", "日本", "α-β"])
    func noSpelling(_ word: String) {
        #expect(ASCIIName.spelling(of: word) == nil)
    }

    @Test func oneErrorPerNameAndNoneAfterIt() {
        let interpreter = Interpreter(output: { _ in })
        let source = "let α = 0.01\nlet x₁ = α * 2\nprint(x₁ + λ_max)\n"
        let problems = interpreter.check(source: source)
        #expect(problems.map(\.message) == [
            "'α' cannot be a name: names are written in ASCII",
            "'x₁' cannot be a name: names are written in ASCII",
            "'α' cannot be a name: names are written in ASCII",
            "'x₁' cannot be a name: names are written in ASCII",
            "'λ_max' cannot be a name: names are written in ASCII",
        ])
        #expect(problems.first?.hint == "write 'alpha'; names use a–z, A–Z, 0–9 and _")
        #expect(problems.map(\.line) == [1, 2, 2, 3, 3])
        #expect(problems.map(\.column) == [5, 5, 10, 7, 12])
    }

    @Test func aWordWithNoSpellingStillGetsTheRule() {
        let problems = Interpreter(output: { _ in }).check(source: "let 日本 = 1\n")
        #expect(problems.count == 1)
        #expect(problems.first?.hint == "names use a–z, A–Z, 0–9 and _")
    }
}
