import Foundation
import Testing

/// The REPL driven as a person would: the real binary in a tmux pseudo-terminal, keys sent
/// with `send-keys`, the screen read with `capture-pane`.
@Suite("REPL under a terminal", .serialized)
struct ReplTests {
    /// One tmux server (private socket) running `msense` in a 160×50 window.
    final class Terminal {
        let socket = "msense-test-\(UUID().uuidString.prefix(8))"
        let history: URL

        init(history: URL) throws {
            self.history = history
            let tmux = try #require(Terminal.tmux, "tmux is missing: `make deps` installs it")
            let status = try Harness.launch(tmux, ["-L", socket, "new-session", "-d", "-x", "160", "-y", "50",
                                                   "env", "MSENSE_HISTORY=\(history.path)", "TERM=xterm", Harness.binary.path])
            try #require(status == 0, "tmux new-session failed with status \(status)")
            try waitFor("msense>")  // capture-pane drops trailing spaces
        }

        static let tmux: URL? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
            .map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }

        func keys(_ keys: String...) throws {
            guard let tmux = Terminal.tmux else { return }
            _ = try Harness.run(tmux, ["-L", socket, "send-keys"] + keys)
        }

        func screen() throws -> String {
            guard let tmux = Terminal.tmux else { return "" }
            return try Harness.run(tmux, ["-L", socket, "capture-pane", "-p", "-S", "-200"]).stdout
        }

        /// Waits (up to `timeout` seconds) until the screen shows `text` `count` times.
        func waitFor(_ text: String, count: Int = 1, timeout: Double = 10) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if try screen().components(separatedBy: text).count - 1 >= count { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("timed out waiting for \(text.debugDescription) ×\(count); screen:\n\(try screen())")
        }

        func close() {
            guard let tmux = Terminal.tmux else { return }
            _ = try? Harness.run(tmux, ["-L", socket, "kill-server"])
        }
    }

    @Test("multi-line entry, completion, :help, Ctrl-C keeps bindings, history survives a restart")
    func session() throws {
        let scratch = try Harness.temporaryDirectory("repl")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let history = scratch.appendingPathComponent("history")
        let terminal = try Terminal(history: history)
        defer { terminal.close() }

        // A definition over three lines continues on the "..." prompt.
        try terminal.keys("fn twice(x) {", "Enter")
        try terminal.waitFor("\n...")
        try terminal.keys("return x * 2", "Enter", "}", "Enter", "twice(21)", "Enter")
        try terminal.waitFor("\n42\n")

        // Tab completes a builtin name and a named argument.
        try terminal.keys("pri", "Tab")
        try terminal.waitFor("msense> print")
        try terminal.keys("(\"completed\")", "Enter")
        try terminal.waitFor("\ncompleted\n")

        try terminal.keys(":help", "Enter")
        try terminal.waitFor("history is in \(history.path)")
        try terminal.keys(":help gd", "Enter")
        try terminal.waitFor("Gradient descent")
        try terminal.keys(":help minimze", "Enter")
        try terminal.waitFor("no builtin called 'minimze'; did you mean 'minimize'?")

        // Ctrl-C stops an endless loop; earlier bindings are intact.
        try terminal.keys("let keep = 7", "Enter", "while true { }", "Enter")
        Thread.sleep(forTimeInterval: 0.5)
        try terminal.keys("C-c")
        try terminal.waitFor("cancelled")
        try terminal.keys("keep + 1", "Enter")
        try terminal.waitFor("\n8\n")

        // Pretty printing: a large matrix is elided under a shape header; a trace is a short
        // table with a sparkline of the loss.
        try terminal.keys("eye(20)", "Enter")
        try terminal.waitFor("20×20 matrix")
        try terminal.waitFor("…")
        try terminal.keys("table([\"step\", \"loss\"], [[0, 1], [1, 0.1], [2, 0.01]])", "Enter")
        try terminal.waitFor("trace: 3 rows × 2 columns")
        try terminal.waitFor("(log scale)")
        // A loss spanning more than the largest double draws: the sparkline's scale must not overflow.
        try terminal.keys("table([\"step\", \"loss\"], [[0, -1.7e308], [1, 1.7e308]])", "Enter")
        try terminal.waitFor("loss ▁█")

        // An error does not end the session and points into the typed line.
        try terminal.keys("undefined_name + 1", "Enter")
        try terminal.waitFor("error:")
        try terminal.keys(":quit", "Enter")
        Thread.sleep(forTimeInterval: 0.3)
        terminal.close()

        let saved = try String(contentsOf: history, encoding: .utf8)
        #expect(saved.contains("fn twice(x) {\\nreturn x * 2\\n}"), "multi-line entries are kept whole")
        #expect(saved.contains("let keep = 7"))

        // A new session finds the history: Up recalls the newest entry, Ctrl-R searches back.
        let again = try Terminal(history: history)
        defer { again.close() }
        try again.keys("Up")
        try again.waitFor("msense> :quit")
        try again.keys("C-u", "C-r", "keep + ")
        try again.waitFor("reverse-i-search")
        try again.waitFor("keep + 1")
        try again.keys("Enter")
        // The recalled entry runs (in a fresh session `keep` is, rightly, not defined).
        try again.waitFor("msense> keep + 1")
        try again.waitFor("'keep' is not defined")
    }

    @Test("a completed field is followed by no space, so the next field completes after it")
    func fieldCompletionChains() throws {
        let scratch = try Harness.temporaryDirectory("repl-fields")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let terminal = try Terminal(history: scratch.appendingPathComponent("history"))
        defer { terminal.close() }
        try terminal.keys("let rec = {inner: {value: 5}}", "Enter")
        try terminal.waitFor("msense>", count: 2)
        try terminal.keys("rec.inn", "Tab")
        try terminal.waitFor("msense> rec.inner")
        try terminal.keys(".val", "Tab")
        try terminal.waitFor("msense> rec.inner.value")
        try terminal.keys("Enter")
        try terminal.waitFor("\n5\n")
    }

    @Test("the session at the top of docs/repl.md prints what the page shows")
    func documentedSession() throws {
        let page = try String(contentsOf: Harness.root.appendingPathComponent("docs/repl.md"), encoding: .utf8)
        let block = try #require(page.components(separatedBy: "```\n$ msense\n").dropFirst().first?.components(separatedBy: "```").first)
        let shown = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        let entries = shown.filter { $0.hasPrefix("msense> ") }.map { String($0.dropFirst("msense> ".count)) }
        let scratch = try Harness.temporaryDirectory("repl-docs")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let terminal = try Terminal(history: scratch.appendingPathComponent("history"))
        defer { terminal.close() }
        for entry in entries { try terminal.keys(entry, "Enter") }
        try terminal.waitFor("msense>", count: entries.count + 1, timeout: 60)  // the last prompt, its space dropped
        // Each line of the page, in order, among the screen's lines (a run's trailing digits to
        // 1e-9 relative: they follow the rounding of the BLAS kernels the CPU gets).
        var screen = try terminal.screen().split(separator: "\n").map { String($0) }[...]
        for line in shown {
            guard let k = screen.firstIndex(where: { Self.sameOutput($0, line) }) else {
                Issue.record("docs/repl.md shows \(line.debugDescription), which the session does not print after what came before:\n\(try terminal.screen())")
                return
            }
            screen = screen[(k + 1)...]
        }
    }

    /// Whether a screen line and a line of the page are the same output: the same text between
    /// numbers, and numbers within 1e-9 relative.
    static func sameOutput(_ a: String, _ b: String) -> Bool {
        let number = /-?\d+\.?\d*(?:e[-+]?\d+)?/
        let (x, y) = (a.trimmingCharacters(in: .whitespaces), b.trimmingCharacters(in: .whitespaces))
        guard x.replacing(number, with: "#") == y.replacing(number, with: "#") else { return false }
        let (u, v) = (x.matches(of: number).compactMap { Double($0.output) }, y.matches(of: number).compactMap { Double($0.output) })
        return u.count == v.count && zip(u, v).allSatisfy { $0 == $1 || abs($0 - $1) <= 1e-9 * max(abs($0), abs($1)) }
    }

    @Test("NaN shows as nan in trace tables and matrices, as print shows it (never -nan)")
    func nanPrintsAsNan() throws {
        let scratch = try Harness.temporaryDirectory("repl-nan")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let terminal = try Terminal(history: scratch.appendingPathComponent("history"))
        defer { terminal.close() }
        // inf - inf is a NaN with the sign bit set on x86, which printf writes as "-nan".
        try terminal.keys("let bad = 1e308 * 10 - 1e308 * 10", "Enter")
        try terminal.keys("table([\"step\", \"loss\"], [[0, 1], [1, bad], [2, -1e308 * 10]])", "Enter")
        try terminal.waitFor("trace: 3 rows × 2 columns")
        try terminal.keys("[bad, 1.5; 2, 1e308 * 10]", "Enter")
        try terminal.waitFor("2×2 matrix")
        let screen = try terminal.screen()
        #expect(!screen.contains("-nan"), "\(screen)")
        #expect(screen.components(separatedBy: "nan").count - 1 >= 2, "\(screen)")
        #expect(screen.contains("-inf") && screen.contains(" inf"), "\(screen)")
    }
}
