import Foundation
import Testing
import MSense
@testable import MSenseCore

/// `msense fmt`: the layout rules, idempotence, and the repository in canonical layout.
@Suite struct FormatterTests {
    private func formatted(_ text: String) -> String? {
        guard case .success(let out) = SourceFormatter.format(text, path: "<test>") else { return nil }
        return out
    }

    @Test func spacing() {
        let cases: [(String, String)] = [
            ("let x=1+2*-3", "let x = 1 + 2 * -3\n"),
            ("f( a ,b:1 )", "f(a, b: 1)\n"),
            ("let r = { a : 1 , b : [ 1 ,2 ] }", "let r = {a: 1, b: [1, 2]}\n"),
            ("print(A[ : , 0 : 2 ], A[1,:], x ' , x.y)", "print(A[:, 0:2], A[1, :], x', x.y)\n"),
            ("for i in 0 .. n { print( i ) }", "for i in 0..n { print(i) }\n"),
            ("let f = fn (x) => x^2", "let f = fn(x) => x ^ 2\n"),
            ("if not x and y {return -1} else {return [1,2;3,4]}", "if not x and y { return -1 } else { return [1, 2; 3, 4] }\n"),
            ("let a = (-1) - -2; let b = a-1", "let a = (-1) - -2; let b = a - 1\n"),
            ("let a = 1;;let b=2", "let a = 1;; let b = 2\n"),
            ("import   \"lib/x.msense\"", "import \"lib/x.msense\"\n"),
            ("try {error(\"boom\")} catch e {print(e.message)}", "try { error(\"boom\") } catch e { print(e.message) }\n"),
        ]
        for (input, expected) in cases {
            #expect(formatted(input) == expected, "\(input)")
        }
    }

    @Test func indentation() {
        let input = """
        fn f(a,
               b) {
        if a and
        b {
        return [1,
        2]
              }
          let m = g(
        1,
        2
        )
        }
        let total = 1 +
        2
        """
        let expected = """
        fn f(a,
             b) {
            if a and
                b {
                return [1,
                        2]
            }
            let m = g(
                1,
                2
            )
        }
        let total = 1 +
            2

        """
        #expect(formatted(input) == expected)
    }

    @Test func commentsAndBlankLines() {
        let input = "\n\n# head\nlet x = 1 # aligned\n          # under it\n\n\n\nfn f() {\n# inside\n  return 1\n}\nlet yy=2 # tight\n\n\n"
        let expected = "# head\nlet x = 1 # aligned\n          # under it\n\nfn f() {\n    # inside\n    return 1\n}\nlet yy = 2  # tight\n"
        #expect(formatted(input) == expected)
    }

    @Test func keepsByteOrderMarkAndDropsCarriageReturns() {
        #expect(formatted("\u{FEFF}let x=1\r\nprint(x)\r\n") == "\u{FEFF}let x = 1\nprint(x)\n")
    }

    @Test func refusesSyntaxErrors() {
        guard case .failure(let failure) = SourceFormatter.format("let x = (1 +\nprint(x", path: "bad.msense") else {
            Issue.record("a file with syntax errors was formatted")
            return
        }
        #expect(failure.description.contains("bad.msense:"))
        #expect(formatted("print(\"a\0b\")") == nil)
    }

    /// The repository is in canonical layout: every example and golden script formats to
    /// itself, except the golden scripts of `Tests/Scripts/errors/syntax/`, which are malformed
    /// on purpose: the formatter must refuse each of them (and so leaves them untouched).
    @Test func repositoryIsFormatted() throws {
        let files = EditorPaths.scripts(under: "examples") + EditorPaths.scripts(under: "Tests/Scripts")
        #expect(files.count >= 50)
        for url in files {
            let bytes = Array(try Data(contentsOf: url))
            let result = SourceFormatter.format(bytes: bytes, path: url.path)
            if EditorPaths.isMalformedOnPurpose(url) {
                if case .success = result { Issue.record("\(url.path) is in \(EditorPaths.malformedFolder) but parses") }
            } else {
                guard case .success(let text) = result else { Issue.record("\(url.path) does not parse"); continue }
                #expect(Array(text.utf8) == bytes, "\(url.path) is not formatted: run msense fmt on it")
            }
        }
    }

    /// Scrambling the white space between tokens (never inside a line's comment) of every
    /// formatted script formats back to the script: the layout depends on nothing else.
    @Test func scrambledWhiteSpaceFormatsBack() throws {
        var random = SplitMix64(state: 25)
        for url in EditorPaths.scripts(under: "examples") + EditorPaths.scripts(under: "Tests/Scripts")
        where !EditorPaths.isMalformedOnPurpose(url) {
            let original = try String(contentsOf: url, encoding: .utf8)
            guard case .success(let file) = SourceFile.make(path: url.path, text: original) else { continue }
            var lexer = Lexer(file: file)
            let tokens = lexer.run()
            var scrambled: [UInt8] = file.bytes.starts(with: SourceFile.byteOrderMark) ? SourceFile.byteOrderMark : []
            let commentLines = Set(SourceComments.comments(in: file, from: 0, to: file.bytes.count).map { file.location(of: $0.start).line })
            var previousEnd = 0
            for token in tokens {
                let keepsSpacing = commentLines.contains(file.location(of: token.span.start).line)
                let gap = Array(file.bytes[previousEnd..<token.span.start])
                if gap.contains(UInt8(ascii: "#")) || gap.contains(UInt8(ascii: "\n")) {
                    // Keep comments where they are; re-indent the token's line at random.
                    if let lastNewline = gap.lastIndex(of: UInt8(ascii: "\n")), !gap[lastNewline...].contains(UInt8(ascii: "#")), !keepsSpacing {
                        scrambled += gap[...lastNewline] + Array(repeating: UInt8(ascii: " "), count: Int.random(in: 0...9, using: &random))
                    } else {
                        scrambled += gap
                    }
                } else if token.kind != .newline && token.kind != .end && !keepsSpacing {
                    scrambled += Array(repeating: UInt8(ascii: " "), count: gap.isEmpty ? Int.random(in: 0...1, using: &random) : Int.random(in: 1...3, using: &random))
                } else {
                    scrambled += gap
                }
                scrambled += file.bytes[token.span.start..<token.span.end]
                previousEnd = token.span.end
            }
            scrambled += file.bytes[previousEnd...]
            let text = String(decoding: scrambled, as: UTF8.self)
            let once = formatted(text)
            #expect(once == original, "\(url.lastPathComponent)")
            #expect(once.flatMap(formatted) == once, "\(url.lastPathComponent) is not idempotent")
        }
    }
}
