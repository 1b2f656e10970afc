import Foundation
import Subprocess
import Testing
@testable import Sweep

/// Shell quoting, the job-array script text, and (when a SLURM controller answers) sbatch's view.
@Suite("SLURM scripts")
struct SlurmTests {
    /// Runs `bash script` with `SLURM_ARRAY_TASK_ID` set and returns its standard output.
    static func runBash(_ script: String, taskID: String = "7") throws -> String {
        let folder = try TestFolder()
        let url = folder.url.appendingPathComponent("s.sh")
        try Data(script.utf8).write(to: url)
        let run = try Subprocess.run("/bin/bash", [url.path], environment: ["SLURM_ARRAY_TASK_ID": taskID], timeout: 60)
        return run.standardOutput
    }

    static let awkward = ["plain", "two words", "it's", "\"dq\"", "$HOME", "`id`", "a\nb", "", "*", "back\\slash", "'"]

    @Test func shellQuoteKeepsEveryWordLiteral() throws {
        #expect(shellQuote("abc-1.0/x=y") == "abc-1.0/x=y")
        #expect(shellQuote("") == "''")
        #expect(shellQuote("it's") == #"'it'\''s'"#)
        #expect(shellQuote("$HOME") == "'$HOME'")
        // bash reads each quoted word back as exactly the original, one argument each.
        let script = "printf '<%s>\\n' " + Self.awkward.map(shellQuote).joined(separator: " ") + "\n"
        let expected = Self.awkward.map { "<\($0)>\n" }.joined()
        #expect(try Self.runBash(script) == expected)
    }

    static func script(maxConcurrent: Int? = nil) throws -> SlurmArrayScript {
        try SlurmArrayScript(
            jobName: "alpha sweep", count: 40,
            command: ["/opt/msense/bin/msense", "sweep", "/home/me/my runs/grid.msense", "--index",
                      SlurmArrayScript.taskIDToken, "/scratch/out 100%"],
            outputDirectory: "/scratch/out 100%", partition: "short", time: "1:00:00", mem: "4G",
            cpusPerTask: 2, maxConcurrent: maxConcurrent)
    }

    @Test func scriptText() throws {
        let expected = """
            #!/bin/bash
            #SBATCH --job-name="alpha sweep"
            #SBATCH --array=0-39%8
            #SBATCH --output="/scratch/out 100%%/logs/%A_%a.out"
            #SBATCH --cpus-per-task=2
            #SBATCH --partition=short
            #SBATCH --time=1:00:00
            #SBATCH --mem=4G
            set -euo pipefail
            exec /opt/msense/bin/msense sweep '/home/me/my runs/grid.msense' --index "$SLURM_ARRAY_TASK_ID" '/scratch/out 100%'

            """
        #expect(try Self.script(maxConcurrent: 8).render() == expected)
        let minimal = try SlurmArrayScript(
            jobName: "j", count: 1, command: ["run", "$SLURM_ARRAY_TASK_ID"], outputDirectory: "/o/")
        #expect(minimal.render() == """
            #!/bin/bash
            #SBATCH --job-name=j
            #SBATCH --array=0
            #SBATCH --output=/o/logs/%A_%a.out
            #SBATCH --cpus-per-task=1
            set -euo pipefail
            exec run "$SLURM_ARRAY_TASK_ID"

            """)
    }

    @Test func resubmitListsOnlyTheGivenPoints() throws {
        let script = try Self.script()
        let text = try script.resubmitScript(for: [12, 3, 7, 8, 9, 3])
        #expect(text.contains("#SBATCH --array=3,7-9,12\n"))
        #expect(try Self.script(maxConcurrent: 2).resubmitScript(for: [5]).contains("#SBATCH --array=5%2\n"))
        #expect(throws: SweepError.self) { try script.resubmitScript(for: []) }
        #expect(throws: SweepError.self) { try script.resubmitScript(for: [40]) }
        #expect(throws: SweepError.self) { try script.resubmitScript(for: [-1, 2]) }
        #expect(arraySpec([0, 1, 2, 4, 6, 7]) == "0-2,4,6-7")
    }

    /// The rendered command, run by bash, passes the awkward words intact and expands the task
    /// id, also inside a word.
    @Test func renderedCommandRunsWithTheTaskIndex() throws {
        let command = ["printf", "<%s>\\n"] + Self.awkward + ["--index=$SLURM_ARRAY_TASK_ID", "$SLURM_ARRAY_TASK_ID"]
        let script = try SlurmArrayScript(jobName: "t", count: 3, command: command, outputDirectory: "/tmp/o")
        let expected = (Self.awkward + ["--index=2", "2"]).map { "<\($0)>\n" }.joined()
        #expect(try Self.runBash(script.render(), taskID: "2") == expected)
    }

    @Test func badScriptsAreRefused() {
        func fails(_ make: () throws(SweepError) -> SlurmArrayScript) -> Bool {
            do { _ = try make(); return false } catch { return true }
        }
        let cmd = ["x", SlurmArrayScript.taskIDToken]
        #expect(fails { () throws(SweepError) in try SlurmArrayScript(jobName: "j", count: 0, command: cmd, outputDirectory: "/o") })
        #expect(fails { () throws(SweepError) in try SlurmArrayScript(jobName: "", count: 1, command: cmd, outputDirectory: "/o") })
        #expect(fails { () throws(SweepError) in try SlurmArrayScript(jobName: "j", count: 1, command: ["x"], outputDirectory: "/o") })
        #expect(fails { () throws(SweepError) in
            try SlurmArrayScript(jobName: "j", count: 1, command: cmd, outputDirectory: "/o", time: "1:00\n#SBATCH --x")
        })
        #expect(fails { () throws(SweepError) in
            try SlurmArrayScript(jobName: "j", count: 1, command: cmd, outputDirectory: "/o", maxConcurrent: 0)
        })
        #expect(!fails { () throws(SweepError) in
            try SlurmArrayScript(jobName: "j", count: 1, command: cmd + ["a\nb"], outputDirectory: "/o")
        })
    }

    @Test func sbatchQuoting() {
        #expect(sbatchQuote("4G") == "4G")
        #expect(sbatchQuote(#"a "b" #c\d"#) == #""a \"b\" #c\\d""#)
    }

    /// True when `sbatch --test-only` accepts a trivial script: sbatch is installed and a
    /// controller answers. Otherwise the check below is skipped.
    static func sbatchCanCheckScripts() -> Bool {
        guard Slurm.findExecutable("sbatch") != nil, let folder = try? TestFolder() else { return false }
        let url = folder.url.appendingPathComponent("probe.sbatch")
        guard (try? Data("#!/bin/bash\n#SBATCH --job-name=probe\ntrue\n".utf8).write(to: url)) != nil else { return false }
        return (try? Slurm.testOnly(scriptURL: url)) != nil
    }

    @Test(.enabled(if: sbatchCanCheckScripts(), "needs sbatch and a reachable SLURM controller"))
    func sbatchTestOnlyAcceptsTheScript() throws {
        let folder = try TestFolder()
        let out = folder.url.appendingPathComponent("out dir")
        try FileManager.default.createDirectory(at: out.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let script = try SlurmArrayScript(
            jobName: "msense test", count: 4, command: ["/bin/echo", "point", SlurmArrayScript.taskIDToken],
            outputDirectory: out.path, maxConcurrent: 2)
        for text in [script.render(), try script.resubmitScript(for: [1, 3])] {
            let url = folder.url.appendingPathComponent("s.sbatch")
            try Data(text.utf8).write(to: url)
            let said = try Slurm.testOnly(scriptURL: url)
            #expect(said.contains("to start"))
        }
    }

    @Test(.enabled(if: Slurm.findExecutable("sbatch") == nil, "sbatch is installed here"))
    func missingSbatchGivesAClearError() throws {
        do {
            _ = try Slurm.submit(scriptURL: URL(fileURLWithPath: "/tmp/none.sbatch"))
            Issue.record("submitting without sbatch should fail")
        } catch {
            #expect(error.description.contains("sbatch was not found on PATH"))
        }
    }
}
