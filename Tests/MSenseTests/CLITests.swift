import Foundation
import Testing

/// The `msense` executable: modes, exit codes, where output and diagnostics go.
@Suite("Command line")
struct CLITests {
    @Test func runsAFileWithArguments() throws {
        try withScratchFolder("cli") { dir in
            let script = dir.appendingPathComponent("args.msense")
            try Data("print(len(args), args)\nprint(num(args[0]) + 1)\n".utf8).write(to: script)
            let result = try runBinary([script.path, "41", "x y"])
            #expect(result.status == 0)
            #expect(result.stdout == "2 [\"41\", \"x y\"]\n42\n")
            let dashed = try runBinary(["--", script.path, "1"])
            #expect(dashed.stdout == "1 [\"1\"]\n2\n")
        }
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
        try withScratchFolder("check") { dir in
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
            // Several files, or a folder for every .msense file under it: each one's errors.
            let both = try runBinary(["check", good.path, bad.path])
            #expect(both.status == 1 && both.stderr.contains("bad.msense:2:7: error: 'undefinedName' is not defined"), "\(both.stderr)")
            let folder = try runBinary(["check", dir.path])
            #expect(folder.status == 1 && folder.stderr == both.stderr, "\(folder.stderr)")
            #expect(try runBinary(["check", good.path, good.path]).status == 0)
            #expect(try runBinary(["check", "--fix", good.path]).status == 2)
            // Under a folder only regular files are scripts: a FIFO (which would wait for a
            // writer) and a folder named like a script are passed over.
            #expect(mkfifo(dir.appendingPathComponent("pipe.msense").path, 0o600) == 0)
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub.msense"), withIntermediateDirectories: false)
            let skipping = try runBinary(["check", dir.path])
            #expect(skipping.status == 1 && skipping.stderr == both.stderr, "\(skipping.stderr)")
            let empty = try runBinary(["check", dir.appendingPathComponent("sub.msense").path])
            #expect(empty.status == 2 && empty.stderr.hasPrefix("msense: no .msense files under"), "\(empty.stderr)")
        }
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try runBinary(["--bogus"]).status == 2)
        #expect(try runBinary(["-e"]).status == 2)
        #expect(try runBinary(["check"]).status == 2)
        let missing = try runBinary(["/nonexistent/file.msense"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "msense: cannot read file '/nonexistent/file.msense': no such file\n")
    }

    @Test func unreadableScriptsAreUsageErrorsThatSayWhy() throws {
        try withScratchFolder("unreadable") { dir in
            let folder = try runBinary([dir.path])
            #expect(folder.status == 2)
            #expect(folder.stderr.contains("cannot read file '\(dir.path)': is a directory"), "\(folder.stderr)")
            let check = try runBinary(["check", dir.appendingPathComponent("none.msense").path])
            #expect(check.status == 2)
            #expect(check.stderr.contains("none.msense': no such file"), "\(check.stderr)")
            let sweep = try runBinary(["sweep", dir.appendingPathComponent("none.msense").path])
            #expect(sweep.status == 2 && sweep.stderr.contains("no such file"), "\(sweep.stderr)")
            // Character devices and /dev/stdin are read until end of file, like an empty script.
            let empty = try runBinary(["/dev/null"])
            #expect(empty.status == 0 && empty.stderr.isEmpty, "\(empty.stderr)")
            let stdin = try runBinary(["/dev/stdin", "a"], input: "print(args)\n")
            #expect(stdin.status == 0 && stdin.stdout == "[\"a\"]\n", "\(stdin.stderr)")
        }
    }

    @Test func badSweepOptionsAreUsageErrorsNamingTheOption() throws {
        try withScratchFolder("sweepopts") { dir in
            let script = dir.appendingPathComponent("s.msense")
            try Data("let t = sweep({x: [1, 2]}, fn(p) => p.x)\n".utf8).write(to: script)
            let out = dir.appendingPathComponent("out").path
            let cases: [([String], String)] = [
                (["--slurm", out, "--time", "1\n#SBATCH --evil"], "msense sweep: --time must be one line of text"),
                (["--slurm", out, "--mem", ""], "msense sweep: --mem must be one line of text"),
                (["--slurm", script.path], "msense sweep: --slurm \(script.path): a file is in the way"),
                (["--slurm", "/proc/msense-x"], "msense sweep: --slurm /proc/msense-x: the folder cannot be created"),
                (["--index", "5"], "msense sweep: --index 5 needs the OUTDIR folder after the index"),
                (["--jobs", "0"], "msense sweep: --jobs needs a whole number ≥ 1, not '0'"),
                (["--sweep", "-1"], "msense sweep: --sweep needs a whole number ≥ 1, not '-1'"),
                (["--slurm", out, "--max-parallel", "0"], "msense sweep: --max-parallel needs a whole number ≥ 1, not '0'"),
            ]
            for (options, message) in cases {
                let result = try runBinary(["sweep", script.path] + options)
                #expect(result.status == 2, "\(options): \(result.stderr)")
                #expect(result.stderr.hasPrefix(message), "\(options): \(result.stderr)")
                #expect(result.stderr.contains("usage: msense sweep FILE"), "\(options): the sweep usage follows")
                #expect(!result.stderr.contains("usage: msense FILE"), "\(options): not the main usage")
                #expect(!result.stderr.contains("^~"), "\(options): not a script error")
            }
            #expect(!FileManager.default.fileExists(atPath: out), "no folder is made for a refused command")
        }
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
