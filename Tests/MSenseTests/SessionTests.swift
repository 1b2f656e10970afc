import MSense
import Testing

/// The interpreter services the REPL is built on: "is this entry finished?" and completion.
@Suite("REPL session services")
struct SessionTests {
    let interpreter = Interpreter(output: { _ in })

    @Test("unfinished entries continue, finished and wrong ones do not")
    func incomplete() {
        #expect(interpreter.isIncomplete("fn f(x) {\n"))
        #expect(interpreter.isIncomplete("let a = [1, 2,\n"))
        #expect(interpreter.isIncomplete("let b = 1 +\n"))
        #expect(interpreter.isIncomplete("gd(p,\n"))
        #expect(!interpreter.isIncomplete("let a = [1, 2]\n"))
        #expect(!interpreter.isIncomplete("fn f(x) {\nreturn x\n}\n"))
        // A real error is reported at once rather than waiting for more lines.
        #expect(!interpreter.isIncomplete("let = 3\n"))
        #expect(!interpreter.isIncomplete(")\n"))
    }

    @Test("completion offers builtins, defined names, fields and named arguments")
    func completion() throws {
        _ = try interpreter.run(source: "let learning_rate = 0.1\nlet config = {steps: 10, seed_value: 3}")
        #expect(interpreter.completions(line: "pri", word: "pri").contains("print"))
        #expect(interpreter.completions(line: "learn", word: "learn").contains("learning_rate"))
        #expect(interpreter.completions(line: "config.s", word: "s").contains("steps"))
        #expect(interpreter.completions(line: "config.s", word: "s").contains("seed_value"))
        let named = interpreter.completions(line: "gd(p, in", word: "in")
        #expect(named.contains("init:"))
        #expect(interpreter.completions(line: "whi", word: "whi").contains("while"))
        #expect(interpreter.completions(line: "zzzz", word: "zzzz").isEmpty)
    }

    @Test("no completion inside a string or a comment; inside an interpolation, the names again")
    func noCompletionInStringsOrComments() throws {
        _ = try interpreter.run(source: "let config = {steps: 10}")
        #expect(interpreter.completions(line: "print(\"config.s", word: "s").isEmpty)
        #expect(interpreter.completions(line: "print(\"a \\\" pri", word: "pri").isEmpty)  // an escaped quote
        #expect(interpreter.completions(line: "x = 1  # pri", word: "pri").isEmpty)
        #expect(interpreter.completions(line: "print(\"# \", pri", word: "pri").contains("print"))  // # in a closed string
        #expect(interpreter.completions(line: "print(\"n = \\(config.s", word: "s") == ["steps"])
        #expect(interpreter.completions(line: "print(\"n = \\(f(1)) and con", word: "con").isEmpty)  // back in the string
        #expect(interpreter.completions(line: "print(\"\\(\"in \\(con", word: "con").contains("config"))  // nested
    }
}
