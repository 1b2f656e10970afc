import MSense
import Testing

/// REPL completion on the lines a user can really type: the cursor in the middle of a line,
/// characters of several bytes before the word, and word offsets the line editor gets wrong.
@Suite("REPL completion at any cursor")
struct SessionCompletionEdgeTests {
    let interpreter = Interpreter(output: { _ in })

    @Test("only the text before the cursor decides, whatever follows it")
    func cursorInTheMiddle() throws {
        _ = try interpreter.run(source: "let config = {steps: 10, seed_value: 3}")
        // `config.st|eps + 1`: the word starts at byte 7, after the dot.
        #expect(interpreter.completions(buffer: "config.steps + 1", wordStart: 7, word: "st") == ["steps"])
        // `gd(p, in| + 2)`: the open call is the one before the cursor.
        #expect(interpreter.completions(buffer: "gd(p, in) + 2", wordStart: 6, word: "in").contains("init:"))
        // Bytes, not characters: "😀" is four bytes and "é" (e + combining acute) three.
        let line = "print(\"😀e\u{301}\", con)"
        let start = Array(line.utf8).count - 4
        #expect(interpreter.completions(buffer: line, wordStart: start, word: "con").contains("config"))
    }

    @Test("a word offset outside the line gives candidates, never a crash")
    func offsetsOutsideTheLine() {
        for start in [-5, 0, 3, 1000] {
            #expect(interpreter.completions(buffer: "pri", wordStart: start, word: "pri").contains("print"), "\(start)")
        }
        #expect(interpreter.completions(line: "", word: "whi").contains("while"))
        #expect(interpreter.completions(line: "((((", word: "").contains("print"))
        #expect(interpreter.completions(line: "x.", word: "").isEmpty)
    }
}
