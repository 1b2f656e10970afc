import Foundation
import Testing
import Tensor
@testable import MSense
@testable import MSenseCore

/// The embedding API and the robustness limits: no input may crash the interpreter.
@Suite("Interpreter")
struct InterpreterTests {
    @Test func globalsAndBuiltinsCanBeSetFromTheHost() throws {
        let out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) })
        interpreter.setGlobal("base", .number(10))
        interpreter.register(Builtin(name: "scaled", doc: "x times factor",
                                     parameters: [Parameter("x"), Parameter("factor", default: .number(2))]) { args in
            .number(try args.number(0) * args.number(1))
        })
        let value = try interpreter.run(source: "let y = scaled(base) + scaled(1, factor: 5)\ny")
        #expect(value == .number(25))
        #expect(interpreter.global("y") == .number(25))
        #expect(try interpreter.evaluate("y + 1") == .number(26))  // globals persist across runs
        let problems = interpreter.check(source: "scaled(1, factr: 2)")
        #expect(problems.count == 1)
        #expect(problems.first?.message == "scaled has no parameter named 'factr'")
        #expect(problems.first?.hint == "did you mean 'factor'?")
    }

    @Test func builtinErrorsNameTheBuiltinAndTheLocation() {
        let (_, failure) = runScript("let v = sqrt(\"x\")")
        let d = failure?.diagnostics.first
        #expect(d?.message == "sqrt: argument 'x' must be a number, got string")
        #expect(d?.line == 1 && d?.column == 9)
    }

    @Test func hostObjectsExposeFieldsAndMethods() throws {
        final class Trace: ScriptObject {
            let typeName = "trace"
            let fieldNames = ["loss", "column"]
            func field(named name: String) throws -> Value? {
                switch name {
                case "loss": return .list([.number(3), .number(1)])
                case "column": return .builtin(Builtin(name: "column", doc: "a column", parameters: [Parameter("name")]) { args in
                    .string("column " + (try args.string(0)))
                })
                default: return nil
                }
            }
            func describe() -> String { "<trace 2 steps>" }
        }
        let out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) })
        interpreter.setGlobal("t", .object(Trace()))
        _ = try interpreter.run(source: "print(t, type(t), t.loss[1], t.column(\"lr\"), keys(t))")
        #expect(out.text == "<trace 2 steps> trace 1 column lr [\"loss\", \"column\"]\n")
        let (_, failure) = runScript("t.los")
        #expect(failure != nil)
        do {
            _ = try interpreter.run(source: "t.los")
            Issue.record("reading a missing field must fail")
        } catch {
            #expect(error.diagnostics.first?.message == "trace has no field 'los'")
            #expect(error.diagnostics.first?.hint == "did you mean 'loss'?")
        }
    }

    @Test func cancelStopsALongRun() async throws {
        let output = OutputBuffer()
        let interpreter = Interpreter(output: { output.append($0) })
        let task = Task { await onOwnThread { () -> ScriptFailure? in
            do throws(ScriptFailure) { _ = try interpreter.run(source: "print(1)\nwhile true { }"); return nil } catch { return error }
        } }
        try await output.waitForText()
        let failure = await cancelling(interpreter, until: task)
        #expect(failure?.diagnostics.first?.message == "cancelled")
    }

    @Test func deepBracketNestingIsAnErrorNotACrash() {
        let source = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        let (_, failure) = runScript(source)
        #expect(failure?.diagnostics.first?.message.hasPrefix("nesting is too deep") == true)
        let chain = "let x = " + Array(repeating: "1", count: 50_000).joined(separator: " + ")
        #expect(runScript(chain).failure?.diagnostics.first?.message.hasPrefix("expression is too deeply nested") == true)
        let negations = "let x = " + String(repeating: "-", count: 100_000) + "1"
        #expect(runScript(negations).failure != nil)
    }

    @Test func deeplyNestedValuesAreFreedAndPrintedWithoutRecursionLimits() throws {
        // Runs on a thread with a small (512 KiB) stack: freeing must not recurse per level.
        let (output, failure) = runScript("""
            let xs = []
            for i in 0..200000 { xs = [xs] }
            let r = {next: nil}
            for i in 0..200000 { r = {next: r} }
            let cyc = [1]
            push(cyc, cyc)
            print(len(xs), cyc)
            """)
        #expect(failure == nil)
        #expect(output == "1 [1, […]]\n")
    }

    @Test func invalidBytesAreReported() {
        let interpreter = Interpreter(output: { _ in })
        for (bytes, message) in [([0x70, 0x00, 0x31] as [UInt8], "the file contains a NUL byte"),
                                 ([0x31, 0xC3] as [UInt8], "the file is not valid UTF-8 (byte 0xC3 starts a character that the next bytes do not complete)"),
                                 ([0x31, 0xFF] as [UInt8], "the file is not valid UTF-8 (byte 0xFF)")] {
            do {
                _ = try interpreter.run(bytes: bytes, path: "bad.msense")
                Issue.record("invalid bytes must fail")
            } catch {
                #expect(error.diagnostics.first?.message == message)
            }
        }
    }

    @Test func brokenUTF8IsReportedAtTheFirstByteOfTheCharacter() throws {
        let interpreter = Interpreter(output: { _ in })
        do {
            _ = try interpreter.run(bytes: [0x78, 0x0A, 0xC3, 0x28], path: "bad.msense")
            Issue.record("invalid bytes must fail")
        } catch {
            let d = try #require(error.diagnostics.first)
            #expect(d.line == 2 && d.column == 1)
            #expect(d.message.contains("byte 0xC3"))
        }
    }

    @Test func aLeadingByteOrderMarkIsSkippedAndInvisibleCharactersAreNamed() throws {
        let out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) })
        _ = try interpreter.run(bytes: [0xEF, 0xBB, 0xBF] + Array("print(1)\n".utf8), path: "bom.msense")
        #expect(out.text == "1\n")
        do {
            _ = try interpreter.run(bytes: Array("print(1)\n\u{FEFF}print(2)\n".utf8), path: "mid.msense")
            Issue.record("a byte order mark after the start is an error")
        } catch {
            let d = try #require(error.diagnostics.first)
            #expect(d.message == "unexpected invisible character U+FEFF (ZERO WIDTH NO-BREAK SPACE)")
            #expect(d.line == 2 && d.column == 1)
        }
    }

    @Test func diagnosticsRenderWithCaretsHintsAndColour() {
        let (_, failure) = runScript("let learning = 1\nprint(lerning)", path: "t.msense")
        let plain = failure?.rendered(color: false)
        #expect(plain == """
            t.msense:2:7: error: 'lerning' is not defined
             2 | print(lerning)
               |       ^~~~~~~
            hint: did you mean 'learning'?

            """)
        #expect(failure?.rendered(color: true).contains("\u{1B}[1;31merror: ") == true)
    }

    @Test func numbersPrintAsIntegersWhenIntegral() {
        #expect(Formatting.number(3) == "3")
        #expect(Formatting.number(-2.0) == "-2")
        #expect(Formatting.number(1e16) == "1e+16")
        #expect(Formatting.number(0.1) == "0.1")
        #expect(Formatting.number(.infinity) == "inf")
        #expect(Formatting.number(.nan) == "nan")
    }

    @Test func runReturnsMatricesToTheHost() throws {
        let interpreter = Interpreter(output: { _ in })
        let value = try interpreter.run(source: "[1, 2; 3, 4] @ eye(2)")
        #expect(value == .matrix(try Matrix([[1, 2], [3, 4]])))
    }
}

/// Interpreters are freed with their data once the host drops them: functions and the runtime
/// must not keep each other alive, or a host making many interpreters (the fuzzer) grows by
/// tens of KB per interpreter.
@Suite("Interpreter lifetime")
struct InterpreterLifetimeTests {
    @Test func droppedInterpretersAreFreed() throws {
        weak var runtime: Runtime?
        do {
            let interpreter = Interpreter(output: { _ in })
            _ = try interpreter.run(source: "fn f(x) { return x + 1 }\nlet g = fn(y) => f(y) * 2\nlet big = zeros(100, 100)\nprint(g(1))")
            runtime = interpreter.runtime
            #expect(runtime != nil)
        }
        #expect(runtime == nil, "the interpreter's runtime outlived it")
    }

    /// Counts how many of the objects made by the script's `token()` are still alive.
    final class Tokens: @unchecked Sendable {
        private let lock = NSLock()
        private var alive = 0
        var count: Int { lock.lock(); defer { lock.unlock() }; return alive }
        func change(_ delta: Int) { lock.lock(); alive += delta; lock.unlock() }

        final class Token: ScriptObject, @unchecked Sendable {
            let owner: Tokens
            init(_ owner: Tokens) { self.owner = owner; owner.change(1) }
            deinit { owner.change(-1) }
            let typeName = "token"
            let fieldNames: [String] = []
            func field(named name: String) throws -> Value? { nil }
            func describe() -> String { "<token>" }
        }
    }

    /// Runs `source` with a `token()` builtin; returns the tokens still alive afterwards (the
    /// interpreter itself is kept, so only what the script dropped can have been freed).
    func tokensAlive(after source: String) throws -> (alive: Int, output: String) {
        let tokens = Tokens(), out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) })
        interpreter.register(Builtin(name: "token", doc: "a counted object", parameters: []) { _ in
            .object(Tokens.Token(tokens))
        })
        _ = try interpreter.run(source: source)
        return (tokens.count, out.text)
    }

    @Test("a call's frame is freed when closures made in it are kept in its own variables")
    func framesWithLocalClosuresAreFreed() throws {
        let local = try tokensAlive(after: """
            fn outer(n) {
                let t = token()
                let g = fn(x) => x + 1
                fn twice(x) { return g(g(x)) }
                for h in [1] { let k = fn() => h }
                return twice(n)
            }
            let s = 0
            for i in 0..100 { s += outer(i) }
            print(s)
            """)
        #expect(local.alive == 0 && local.output == "5150\n")

        let recursive = try tokensAlive(after: """
            fn outer(n) {
                let t = token()
                fn count(k) { if k == 0 { return 0 } return 1 + count(k - 1) }
                let half = fn(k) => count(k) / 2
                return half(n)
            }
            print(outer(10), outer(4))
            """)
        #expect(recursive.alive == 0 && recursive.output == "5 2\n")

        let defaults = try tokensAlive(after: """
            fn outer(n, f = fn(x) => x * 2) { let t = token(); return f(n) }
            print(outer(4))
            """)
        #expect(defaults.alive == 0 && defaults.output == "8\n")
    }

    @Test("a call frees what its variables hold when closures made in it are kept in lists or records")
    func framesWithClosuresInContainersAreFreed() throws {
        let containers = try tokensAlive(after: """
            fn outer(n) {
                let t = token()
                let scale = 2
                let handlers = [fn(x) => x * scale]
                let table = {double: fn(x) => x * 2, kept: token()}
                return handlers[0](n) + table.double(n)
            }
            let s = 0
            for i in 0..100 { s += outer(i) }
            print(s)
            """)
        #expect(containers.alive == 0 && containers.output == "19800\n")

        // Only a variable that a closure made in the call mentions stays with the frame: here
        // `hs` holds a closure that mentions `hs`, a cycle reference counting cannot free, and
        // it keeps the one token inside `hs`; `t` is freed.
        let cycle = try tokensAlive(after: """
            fn outer() {
                let t = token()
                let hs = [token()]
                push(hs, fn() => len(hs))
                return hs[1]()
            }
            print(outer())
            """)
        #expect(cycle.alive == 1 && cycle.output == "2\n")
    }

    @Test("a returned closure keeps its frame while it lives, and frees it when dropped")
    func returnedClosuresOwnTheirFrame() throws {
        let run = try tokensAlive(after: """
            fn counter() {
                let t = token()
                let n = 0
                let inc = fn() { n += 1; return n }
                return inc
            }
            let c = counter()
            c()
            print(c(), c == c, counter() == counter())
            fn adder(k) { let t = token(); let unused = token(); return fn(x) { let held = t; return x + k } }
            let add3 = adder(3)
            print(add3(4))
            c = nil
            """)
        #expect(run.output == "2 true false\n7\n")
        #expect(run.alive == 1, "add3's frame keeps the token its closure mentions; the others are freed")
    }
}

/// Hosts can bound what a script consumes; going over is an ordinary, located error.
@Suite("Interpreter limits")
struct InterpreterLimitTests {
    func failure(_ source: String, _ limits: Limits) -> (message: String, interpreter: Interpreter) {
        let interpreter = Interpreter(output: { _ in })
        interpreter.limits = limits
        do {
            _ = try interpreter.run(source: source, path: "<limits>")
            return ("no error", interpreter)
        } catch {
            return (error.rendered(color: false), interpreter)
        }
    }

    @Test func stepLimitStopsEndlessLoopsAndOptimizers() throws {
        let (loop, interpreter) = failure("let n = 0\nwhile true { n += 1 }", Limits(steps: 10_000))
        #expect(loop.contains("<limits>:2:") && loop.contains("step limit exceeded: the script ran more than 10000 steps"), "\(loop)")
        #expect(try interpreter.evaluate("n + 0") != .nil, "the interpreter stays usable")

        let (gd, _) = failure("""
            seed(1)
            let p = sensing(psd(6, eigs: [1.0]), gaussian(m: 50, d: 6))
            gd(p, init: small(6, 1, alpha: 1e-3), lr: 0.1, steps: 100000)
            """, Limits(steps: 5_000))
        #expect(gd.contains("step limit exceeded"), "\(gd)")

        let (fine, _) = failure("let s = 0\nfor i in 0..100 { s += i }", Limits(steps: 10_000))
        #expect(fine == "no error")
    }

    @Test func memoryLimitRefusesLargeAllocationsAndGrowth() {
        let (matrix, _) = failure("let big = zeros(20000, 20000)", Limits(memoryBytes: 100_000_000))
        #expect(matrix.contains("memory limit exceeded: a 20000×20000 matrix needs 3.2 GB"), "\(matrix)")

        let (ensemble, _) = failure("let A = gaussian(m: 100000, d: 100)", Limits(memoryBytes: 100_000_000))
        #expect(ensemble.contains("memory limit exceeded: gaussian(m: 100000, d: 100) needs 4.0 GB"), "\(ensemble)")

        let (growth, _) = failure("let xs = []\nwhile true { push(xs, ones(1000, 20)) }", Limits(memoryBytes: 50_000_000))
        #expect(growth.contains("memory limit exceeded"), "\(growth)")
    }

    /// The 1.6 MB ensemble fits a 250 MB limit, its ~390 MB Gram matrix does not (the limit is
    /// below G alone, so the refusals do not depend on the process's other memory): `kernel: "gram"`
    /// is refused up front, in `gd`, in `gradient` and in `minimize` (a 140×140 problem's 1.5 GB G). The limit counts the whole process's growth,
    /// which tests running alongside add to, so the run that must succeed has a wide margin.
    /// (That `auto` then reads the rows instead is checked in NormalEquationsTests.)
    @Test func memoryLimitCoversTheGramMatrix() {
        let setup = """
            seed(1)
            let p = sensing(psd(140, eigs: [1.0]), gaussian(m: 20, d: 140))
            let U0 = small(140, 1, alpha: 1e-3)

            """
        let limits = Limits(memoryBytes: 250_000_000)
        let (gram, _) = failure(setup + "gd(p, init: U0, lr: 0.1, steps: 700, every: 700, kernel: \"gram\")", limits)
        #expect(gram.contains("memory limit exceeded: the Gram matrix G of kernel \"gram\" needs "), "\(gram)")
        let (gradient, _) = failure(setup + "gradient(p, U0, kernel: \"gram\")", limits)
        #expect(gradient.contains("memory limit exceeded: the Gram matrix G of kernel \"gram\" needs "), "\(gradient)")
        let rect = "let q = sensing(lowrank(140, 140, svals: [1.0]), iid_gaussian(m: 20, d1: 140, d2: 140))\n"
            + "minimize(q, init: balanced_asym(140, 140, r: 1, alpha: 1e-3), optimizer: descent(lr: 0.1), steps: 10, kernel: \"gram\")"
        let (minimized, _) = failure(setup + rect, limits)
        #expect(minimized.contains("memory limit exceeded: the Gram matrix G of kernel \"gram\" needs "), "\(minimized)")
        let (rows, _) = failure(setup + "gd(p, init: U0, lr: 0.1, steps: 700, every: 700)\ngradient(p, U0)", limits)
        #expect(rows == "no error", "\(rows)")
    }
}

/// Inputs the fuzzer found, kept so they stay harmless (fuzz/README.md, fuzz/regressions/).
@Suite("Fuzzer regressions")
struct FuzzRegressionTests {
    @Test("a 566 MB ensemble request is refused up front under the fuzzing harness's limits")
    func hugeEnsemble() throws {
        let url = PackagePaths.root.appendingPathComponent("fuzz/regressions/timeout-huge-ensemble.msense")
        let bytes = Array(try Data(contentsOf: url))
        let interpreter = Interpreter(output: { _ in }, maxCallDepth: 200)
        interpreter.fileAccess = .none
        interpreter.limits = Limits(steps: 1_000_000, memoryBytes: 256 << 20)
        let start = Date()
        do {
            _ = try interpreter.run(bytes: bytes, path: "fuzz")
            Issue.record("the script ran to its end")
        } catch {
            #expect(error.rendered(color: false).contains("memory limit exceeded: gaussian(m: 9754, d: 120) needs"))
        }
        #expect(Date().timeIntervalSince(start) < 2, "refused before drawing the ensemble")
    }
}
