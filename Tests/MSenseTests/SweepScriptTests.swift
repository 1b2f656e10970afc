import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// `sweep(...)` in the language: grids, point records, seeds, result fields, parallel workers
/// replaying the script, failures and errors.
@Suite("sweep in scripts")
struct SweepScriptTests {
    /// A small but real experiment: GD from a small init at three α, two seeds each.
    static let experiment = """
        seed(7)
        let d = 8
        let truth = psd(d, eigs: [1.0, 0.5])
        fn experiment(p) {
            let problem = sensing(truth, gaussian(m: 120, d: d))
            let run = gd(problem, init: small(d, 2, alpha: p.alpha), lr: 0.1, steps: 600, every: 10)
            return {phase1: run.phases[0].step, rel_err: run.rel_err, tag: p.kind + "!"}
        }
        let t = sweep({alpha: [1e-2, 1e-5], kind: ["a", "b"]}, experiment, seeds: 2, jobs: JOBS)
        print(t.columns)
        print(t.count, t.alpha, t.seed_index, t.tag)
        print(t.rel_err)
        """

    func run(jobs: Int) throws -> String {
        let out = OutputBuffer()
        let interpreter = Interpreter(output: { out.append($0) })
        _ = try interpreter.run(source: Self.experiment.replacingOccurrences(of: "JOBS", with: String(jobs)), path: "<sweep>")
        return out.text
    }

    @Test("columns, order and point records; the same table for 1, 2 and 3 workers")
    func parallelEqualsSerial() throws {
        let serial = try run(jobs: 1)
        let lines = serial.split(separator: "\n")
        #expect(lines[0] == "[\"alpha\", \"kind\", \"seed_index\", \"seed\", \"phase1\", \"rel_err\", \"tag\"]")
        #expect(lines[1] == "8 [0.01, 0.01, 0.01, 0.01, 1e-05, 1e-05, 1e-05, 1e-05] [0, 1, 0, 1, 0, 1, 0, 1] [\"a!\", \"a!\", \"b!\", \"b!\", \"a!\", \"a!\", \"b!\", \"b!\"]")
        #expect(try run(jobs: 2) == serial)
        #expect(try run(jobs: 3) == serial)
    }

    @Test("a point's randomness depends only on its seed, and the script's stream is restored after")
    func pointSeeds() {
        let (output, failure) = runScript("""
            seed(1)
            let before = small(3, 1, alpha: 1.0)
            seed(1)
            let t = sweep({x: [1, 2, 3]}, fn(p) => {draw: small(3, 1, alpha: 1.0)[0, 0]}, jobs: 1)
            let after = small(3, 1, alpha: 1.0)
            print(after == before)
            let again = sweep({x: [3, 2, 1]}, fn(p) => {draw: small(3, 1, alpha: 1.0)[0, 0]}, jobs: 1)
            print(t.draw == again.draw, t.draw[0] != t.draw[1])
            """)
        #expect(failure == nil, "\(failure?.rendered(color: false) ?? "")")
        #expect(output == "true\ntrue true\n")
    }

    @Test("a run returns its summary fields; a number returns value")
    func runAndNumberResults() {
        let (output, failure) = runScript("""
            seed(3)
            let problem = sensing(psd(6, eigs: [1.0]), gaussian(m: 80, d: 6))
            let t = sweep({lr: [0.1]}, fn(p) => gd(problem, init: small(6, 1, alpha: 1e-4), lr: p.lr, steps: 400, every: 20), jobs: 1)
            print(t.columns)
            let u = sweep({x: 0..3}, fn(p) => p.x * p.x, jobs: 1)
            print(u.value)
            """)
        #expect(failure == nil, "\(failure?.rendered(color: false) ?? "")")
        #expect(output.hasPrefix("[\"lr\", \"seed_index\", \"seed\", \"steps\", \"stop\", \"loss\", \"rel_err\", \"phase1\"]\n"))
        #expect(output.hasSuffix("[0, 1, 4]\n"))
    }

    @Test("some points failing gives status and error columns and a warning; all failing is an error")
    func failures() {
        let (output, failure) = runScript("""
            let t = sweep({x: [1, 2, 3]}, fn(p) { if p.x == 2 { error("two is bad") } return {y: p.x} }, jobs: 1)
            print(t.status)
            print(t.y)
            print(t.failed)
            """)
        #expect(failure == nil)
        #expect(output.contains("sweep: 1 of 3 points failed (first, point 1: two is bad"))
        #expect(output.contains("[\"ok\", \"failed\", \"ok\"]\n[1, nil, 3]\n[1]\n"))

        let (_, allFailed) = runScript("sweep({x: [1, 2]}, fn(p) => p.missing, jobs: 1)")
        let message = allFailed?.diagnostics.first?.message ?? ""
        #expect(message.contains("every point failed; point 0 with:"), "\(message)")
    }

    @Test("bad grids and results are explained")
    func errors() {
        let cases: [(String, String)] = [
            ("sweep([1, 2], fn(p) => 1)", "the grid must be a record of axes"),
            ("sweep({a: []}, fn(p) => 1)", "has no values"),
            ("sweep({a: [[1]]}, fn(p) => 1)", "axis values are numbers or strings"),
            ("sweep({seed: [1]}, fn(p) => 1)", "reserved name"),
            ("sweep({a: [1]}, 3)", "must be a function of the point"),
            ("sweep({a: [1]}, fn(p) => 1, seeds: 0)", "at least 1 seed"),
            ("sweep({a: [1]}, fn(p) => 1, jobs: 0)", "jobs is 0"),
            ("sweep({a: [1]}, fn(p) => 1, jobs: 100000)", "use 1 to 1024"),
            ("sweep({a: [1]}, fn(p) => [1, 2], jobs: 1)", "return a record of numbers and strings"),
            ("sweep({a: [1]}, fn(p) => {m: eye(2)}, jobs: 1)", "the field 'm' is a matrix"),
            ("sweep({a: [1]}, fn(p) => {a: 1}, jobs: 1)", "already a column"),
        ]
        for (source, expected) in cases {
            let (_, failure) = runScript(source)
            let text = failure?.rendered(color: false) ?? "no error"
            #expect(text.contains(expected), "\(source) → \(text)")
        }
    }

    @Test("a grid that changes between runs cannot be shared with workers, and says why")
    func nondeterministicGrid() {
        let (_, failure) = runScript("let t = sweep({t: [clock(), 1, 2, 3]}, fn(p) => 1, jobs: 2)")
        let text = failure?.rendered(color: false) ?? "no error"
        #expect(text.contains("different grid when the script runs again"), "\(text)")
    }

    @Test("summaries: mean, sample standard deviation and count per group")
    func summaries() {
        let (output, failure) = runScript("""
            let t = sweep({g: ["a", "b"], x: [1, 2, 4]}, fn(p) => {y: p.x * 2, z: nil}, jobs: 1)
            let s = t.summarize("g", ["y", "z"])
            print(s.columns)
            print(s.g, s.y_mean, s.y_n, s.z_n)
            print(round(s.y_std[0] * 1000))
            save(s, "/dev/null/x.txt")
            """)
        #expect(output.contains("[\"g\", \"y_mean\", \"y_std\", \"y_n\", \"z_mean\", \"z_std\", \"z_n\"]"))
        #expect(output.contains("[\"a\", \"b\"] [4.666666666666667, 4.666666666666667] [3, 3] [0, 0]"))
        #expect(output.contains("3055"))  // sd of 2, 4, 8 = 3.0550504…
        #expect(failure != nil)
    }

    @Test("a sweep inside a point runs serially")
    func nested() {
        let (output, failure) = runScript("""
            let t = sweep({a: [1, 2]}, fn(p) {
                let inner = sweep({b: [10, 20]}, fn(q) => q.b + p.a)
                return {total: sum(inner.value)}
            }, jobs: 2)
            print(t.total)
            """)
        #expect(failure == nil, "\(failure?.rendered(color: false) ?? "")")
        #expect(output == "[32, 34]\n")
    }

    @Test("a sweep failing inside nested sweeps quotes the innermost cause once, with the depth")
    func nestedFailuresAreShort() {
        let (_, recursive) = runScript("fn f(n) { return sweep({x: [1]}, fn(p) => f(n + 1)) }\nf(0)")
        let message = recursive?.diagnostics.first?.message ?? ""
        #expect(message.hasPrefix("sweep: every point failed; point 0 with: stack depth exceeded"), "\(message.prefix(300))")
        #expect(message.count < 600, "\(message.count) characters")
        #expect(message.components(separatedBy: "every point failed").count == 2)
        #expect(message.contains("levels deep]"))
        let (_, two) = runScript("sweep({x: [1, 2]}, fn(p) => sweep({y: [1]}, fn(q) => sweep({z: [1]}, fn(r) => 1 / 0)))")
        #expect(two?.diagnostics.first?.message == "sweep: every point failed; point 0 with: division by zero (<test>:1:79) [in a sweep nested 2 levels deep]")
        let long = String(repeating: "x", count: 1000)
        let (_, cut) = runScript("sweep({x: [1]}, fn(p) => error(\"\(long)\"))")
        #expect((cut?.diagnostics.first?.message.count ?? 0) < 500)
    }
}
