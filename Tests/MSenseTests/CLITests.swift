import Foundation
import Testing

/// The `msense` executable: modes, exit codes, where output and diagnostics go.
@Suite("Command line")
struct CLITests {
    @Test func runsAFileWithArguments() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("msense-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("args.msense")
        try Data("print(len(args), args)\nprint(num(args[0]) + 1)\n".utf8).write(to: script)
        let result = try runBinary([script.path, "41", "x y"])
        #expect(result.status == 0)
        #expect(result.stdout == "2 [\"41\", \"x y\"]\n42\n")
        let dashed = try runBinary(["--", script.path, "1"])
        #expect(dashed.stdout == "1 [\"1\"]\n2\n")
    }

    @Test func evaluatesCodeAndPrintsAFinalValue() throws {
        let result = try runBinary(["-e", "let x = 20\nx * 2 + 2"])
        #expect(result.status == 0)
        #expect(result.stdout == "42\n")
        #expect(try runBinary(["-e", "print(\"hi\")"]).stdout == "hi\n")
    }

    @Test func runsStandardInputWhenPipedOrGivenDash() throws {
        let piped = try runBinary([], input: "print(1+1)\n")
        #expect(piped.status == 0)
        #expect(piped.stdout == "2\n")
        let dash = try runBinary(["-", "a"], input: "print(args)\n")
        #expect(dash.stdout == "[\"a\"]\n")
    }

    @Test func scriptErrorsExitWithOneAndGoToStandardError() throws {
        let result = try runBinary(["-e", "print(\"before\")\nprint(1 / 0)"], environment: ["NO_COLOR": "1"])
        #expect(result.status == 1)
        #expect(result.stdout == "before\n")
        #expect(result.stderr.hasPrefix("<eval>:2:7: error: division by zero\n"))
        #expect(result.stderr.contains(" 2 | print(1 / 0)\n   |       ^~~~~\n"))
        #expect(!result.stderr.contains("\u{1B}["), "no colour when stderr is not a terminal")
    }

    @Test func checkReportsErrorsWithoutRunning() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("msense-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.msense"), good = dir.appendingPathComponent("good.msense")
        try Data("print(\"side effect\")\nprint(undefinedName)\nbreak\n".utf8).write(to: bad)
        try Data("print(\"fine\")\n".utf8).write(to: good)
        let result = try runBinary(["check", bad.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("'undefinedName' is not defined"))
        #expect(result.stderr.contains("'break' outside a loop"))
        let ok = try runBinary(["check", good.path])
        #expect(ok.status == 0)
        #expect(ok.stdout.isEmpty && ok.stderr.isEmpty)
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try runBinary(["--bogus"]).status == 2)
        #expect(try runBinary(["-e"]).status == 2)
        #expect(try runBinary(["check"]).status == 2)
        #expect(try runBinary(["/nonexistent/file.msense"]).status == 1)
    }

    @Test func helpListsBuiltinsAndVersionPrints() throws {
        let help = try runBinary(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("usage: msense FILE"))
        #expect(help.stdout.contains("zeros(rows, cols = 1)"))
        let version = try runBinary(["--version"])
        #expect(version.stdout.hasPrefix("msense 0."))
    }
}
