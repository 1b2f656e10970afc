import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// `try { … } catch e { … }`: parsing, what `e` holds, what passes through, what cannot be caught.
@Suite("Try and catch")
struct TryCatchTests {
    @Test func tryStatementParsesWithCatchOnTheSameOrNextLine() {
        for source in ["try { print(1) } catch e { print(e) }", "try {\n  print(1)\n}\ncatch e {\n  print(e)\n}"] {
            guard case .success(let file) = SourceFile.make(path: "<t>", bytes: Array(source.utf8)) else {
                Issue.record("not UTF-8")
                continue
            }
            #expect(Parser.parse(file).diagnostics.isEmpty, "\(source)")
        }
    }

    @Test func malformedTryStatementsAreLocatedSyntaxErrors() {
        let cases: [(String, String)] = [
            ("try { 1 }\nprint(2)", "expected 'catch' after the try block"),
            ("try { 1 } catch { 2 }", "expected a name for the error after 'catch'"),
            ("catch e { 2 }", "'catch' without a preceding 'try' block"),
            ("try 1 catch e { 2 }", "expected '{' to start a block"),
            ("let try = 1", "expected a variable name after 'let'"),
        ]
        for (source, message) in cases {
            let (_, failure) = runScript(source)
            let text = failure.map { $0.rendered(color: false) } ?? "no error"
            #expect(text.contains(message), "\(source): \(text)")
        }
    }

    @Test func caughtErrorCarriesMessageLocationHintAndData() {
        let (output, failure) = runScript("""
            fn check(x) {
                if x < 0 { error("negative input", hint: "pass x ≥ 0", data: x) }
                return x
            }
            try {
                check(-2)
                print("not reached")
            } catch e {
                print(e.message, "|", e.hint, "|", e.location, e.line, e.column, "|", e.data, "|", len(e.traceback))
            }
            try { let v = [1, 2][5] } catch e { print(e.message, e.hint == nil) }
            try { sqrt("x") } catch e { print(e.message) }
            """, path: "t.msense")
        #expect(failure == nil)
        #expect(output == """
            negative input | pass x ≥ 0 | t.msense:2:16 2 16 | -2 | 2
            index 5 is out of range for a list of 2 elements false
            sqrt: argument 'x' must be a number, got string

            """)
    }

    @Test func controlFlowPassesThroughAndUncaughtErrorsAreUnchanged() {
        let (output, _) = runScript("""
            fn first_negative(xs) {
                for x in xs {
                    try { if x < 0 { return x } } catch e { print("never") }
                }
                return nil
            }
            let n = 0
            while true {
                try { n += 1; if n == 3 { break } } catch e { }
            }
            print(first_negative([3, -4, -5]), n)
            """)
        #expect(output == "-4 3\n")
        let plain = runScript("error(\"boom\", hint: \"fix it\")").failure?.rendered(color: false)
        let inside = runScript("try { 1 } catch e { }\nerror(\"boom\", hint: \"fix it\")").failure?.rendered(color: false)
        #expect(plain?.contains("<test>:1:1: error: boom") == true && plain?.contains("hint: fix it") == true)
        #expect(inside?.contains("<test>:2:1: error: boom") == true)
    }

    @Test func reRaisingKeepsTheMessageAndFields() {
        let (output, _) = runScript("""
            try {
                try { error("inner", data: 7) } catch e { error(e) }
            } catch outer { print(outer.message, outer.data) }
            """)
        #expect(output == "inner 7\n")
    }

    @Test func aFailedRunCarriesItsPartialTraceAndLastIterate() {
        let (output, failure) = runScript("""
            seed(3)
            let P = sensing(psd(20, eigs: [1, 0.5]), gaussian(m: 400, d: 20))
            try {
                gd(P, small(20, 5, alpha: 0.5), lr: 50, steps: 100, blowup: nil)
            } catch e {
                print(e.step, e.trace.count == e.step, shape(e.u), e.message)
            }
            """)
        #expect(failure == nil)
        #expect(output.hasPrefix("4 true [20, 5] gd: diverged at step 4"), "\(output)")
    }

    @Test func hostLimitsCannotBeCaught() {
        let interpreter = Interpreter(output: { _ in })
        interpreter.limits = Limits(steps: 10_000)
        let source = "let n = 0\nwhile true { try { while true { n += 1 } } catch e { n = 0 } }"
        var message = "no error"
        do { _ = try interpreter.run(source: source, path: "<limits>") } catch { message = error.rendered(color: false) }
        #expect(message.contains("step limit exceeded"), "\(message)")
    }
}
