import Foundation
import Testing

/// `msense sweep`: local runs with a worker limit, and the distributed steps (prepare, one point
/// per task, merge) giving the same table as a local run, by hand and on a real SLURM.
@Suite("msense sweep", .serialized)
struct SweepCommandTests {
    /// 3 α × 2 seeds of a small GD experiment; writes the table where args[0] says.
    static let script = """
        seed(11)
        let d = 8
        let truth = psd(d, eigs: [1.0, 0.5])
        print("prelude")
        fn experiment(p) {
            let problem = sensing(truth, gaussian(m: 120, d: d))
            let run = gd(problem, init: small(d, 2, alpha: p.alpha), lr: 0.1, steps: 800, every: 10)
            return {phase1: run.phases[0].step, phase2: run.phases[1].step, rel_err: run.rel_err}
        }
        let t = sweep({alpha: [1e-2, 1e-4, 1e-6]}, experiment, seeds: 2)
        save(t, args[0])
        print("rows", t.count)
        """

    func scratch() throws -> (dir: URL, script: URL) {
        let dir = try Harness.temporaryDirectory("sweep")
        let script = dir.appendingPathComponent("alpha.msense")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        return (dir, script)
    }

    func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test("--jobs 1 and --jobs 2 give the same table; prepare, every --index, --merge give it too")
    func distributedByHand() throws {
        let (dir, script) = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = dir.appendingPathComponent("one.csv"), two = dir.appendingPathComponent("two.csv")
        #expect(try Harness.msense(["sweep", script.path, one.path, "--jobs", "1"]).status == 0)
        #expect(try Harness.msense(["sweep", script.path, two.path, "--jobs", "2"]).status == 0)
        let local = try read(one)
        #expect(try read(two) == local)
        #expect(local.split(separator: "\n").count == 7)

        let out = dir.appendingPathComponent("out")
        let merged = dir.appendingPathComponent("merged.csv")
        let prepare = try Harness.msense(["sweep", script.path, merged.path, "--slurm", out.path, "--time", "5:00"])
        #expect(prepare.status == 0, "\(prepare.stderr)")
        #expect(prepare.stdout.contains("prepared \(out.path) for 6 points"))
        let sbatch = try read(out.appendingPathComponent("sweep.sbatch"))
        #expect(sbatch.contains("#SBATCH --array=0-5"))
        #expect(sbatch.contains("#SBATCH --time=5:00"))
        #expect(sbatch.contains("--index \"$SLURM_ARRAY_TASK_ID\""))

        for index in [0, 1, 2, 4] {
            let task = try Harness.msense(["sweep", "--index", String(index), out.path, "--", script.path, merged.path])
            #expect(task.status == 0, "\(task.stderr)")
        }
        // Two points missing: the merge says which, writes a resubmission script, exits 1.
        let partial = try Harness.msense(["sweep", script.path, merged.path, "--merge", out.path])
        #expect(partial.status == 1)
        #expect(partial.stderr.contains("2 of 6 points have no result yet: 3 5"), "\(partial.stderr)")
        #expect(try read(out.appendingPathComponent("resubmit.sbatch")).contains("#SBATCH --array=3,5"))

        for index in [3, 5] {
            #expect(try Harness.msense(["sweep", "--index", String(index), out.path, "--", script.path, merged.path]).status == 0)
        }
        // The merge command the preparation printed, with the script's arguments, run as printed.
        let printed = try #require(prepare.stdout.split(separator: "\n").first { $0.hasPrefix("then:") })
        let words = printed.dropFirst("then:".count).split(separator: " ").map(String.init)
        #expect(words == ["msense", "sweep", "--merge", out.path, "--", script.path, merged.path])
        let complete = try Harness.msense(Array(words.dropFirst()))
        #expect(complete.status == 0, "\(complete.stderr)")
        #expect(complete.stdout.contains("merged 6 of 6 points"))
        #expect(complete.stdout.contains("rows 6"), "the script runs on after the merged sweep")
        #expect(try read(merged) == local, "the merged table equals the local one bit for bit")
        #expect(try read(out.appendingPathComponent("results.csv")) == local)
    }

    @Test("usage and folder mistakes are explained")
    func mistakes() throws {
        let (dir, script) = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try Harness.msense(["sweep"]).status == 2)
        #expect(try Harness.msense(["sweep", script.path, "--jobs", "0"]).status == 2)
        #expect(try Harness.msense(["sweep", script.path, "--time", "1:00"]).status == 2)
        let missing = try Harness.msense(["sweep", script.path, "x.csv", "--merge", dir.appendingPathComponent("none").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no manifest here"))
        let noSweep = dir.appendingPathComponent("plain.msense")
        try "print(1)\n".write(to: noSweep, atomically: true, encoding: .utf8)
        let nothing = try Harness.msense(["sweep", noSweep.path, "--slurm", dir.appendingPathComponent("o").path])
        #expect(nothing.status == 1 && nothing.stderr.contains("reached no sweep(...) calls"), "\(nothing.stderr)")
        #expect(nothing.stderr.contains("so no job array was prepared (the script itself ran to its end"), "\(nothing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path), "the empty --slurm folder is removed")
        let failing = dir.appendingPathComponent("failing.msense")
        try "error(\"stop here\")\n".write(to: failing, atomically: true, encoding: .utf8)
        let stopped = try Harness.msense(["sweep", failing.path, "--slurm", dir.appendingPathComponent("o3").path])
        #expect(stopped.status == 1 && stopped.stderr.contains("stop here"), "\(stopped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o3").path), "the empty --slurm folder is removed")
        let nested = dir.appendingPathComponent("a/b/c")
        let stoppedNested = try Harness.msense(["sweep", failing.path, "--slurm", nested.path])
        #expect(stoppedNested.status == 1 && stoppedNested.stderr.contains("stop here"), "\(stoppedNested.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a").path),
                "the parents the run created for the --slurm folder are removed too")
        #expect(FileManager.default.fileExists(atPath: dir.path), "a folder that existed before stays")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("p/kept"), withIntermediateDirectories: true)
        let inExisting = try Harness.msense(["sweep", failing.path, "--slurm", dir.appendingPathComponent("p/q/r").path])
        #expect(inExisting.status == 1, "\(inExisting.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("p/q").path), "created folders are removed")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("p/kept").path),
                "an existing parent and what it holds stay")
        for bad in ["--mem", "--slurm"] {
            let broken = try Harness.msense(["sweep", failing.path, "--slurm", dir.appendingPathComponent("o4").path, bad, "8\nG"])
            #expect(broken.status == 2 && broken.stderr.contains("control characters"), "\(bad): \(broken.stderr)")
        }
        let second = try Harness.msense(["sweep", script.path, dir.appendingPathComponent("x.csv").path, "--sweep", "2", "--slurm", dir.appendingPathComponent("o2").path])
        #expect(second.status == 1 && second.stderr.contains("reached only 1 sweep(...) call;"), "\(second.stderr)")
        let help = try Harness.msense(["sweep", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--slurm OUTDIR"))
    }

    @Test("examples/sweeps/alpha_seeds.msense: phase steps grow with log(1/α) for every rank; rerun_point.msense repeats one point")
    func alphaSeedsExample() throws {
        let dir = try Harness.temporaryDirectory("alpha-seeds")
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = Harness.root.appendingPathComponent("examples/sweeps/alpha_seeds.msense")
        let run = try Harness.msense([example.path, dir.path, "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try read(dir.appendingPathComponent("summary.csv")).split(separator: "\n")
        #expect(lines.count == 8)
        let header = lines[0].split(separator: ",").map(String.init)
        for k in 1...3 {
            let column = try #require(header.firstIndex(of: "phase\(k)_mean"))
            let means = lines.dropFirst().map { Double($0.split(separator: ",")[column]) ?? .nan }
            #expect(zip(means, means.dropFirst()).allSatisfy { $0 < $1 }, "rank \(k): \(means)")
        }
        #expect(try read(dir.appendingPathComponent("points.csv")).split(separator: "\n").count == 15)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("alpha_seeds.png").path))
        // Another script reads the table back from points.json and reruns one point alone: it
        // repeats the sweep's phase steps and error (the script asserts it).
        let rerun = try Harness.msense([Harness.root.appendingPathComponent("examples/sweeps/rerun_point.msense").path, dir.path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.hasPrefix("14 points read back; point ") && rerun.stdout.contains("run alone: ranks at "), "\(rerun.stdout)")
    }

    /// The real thing: a single-node SLURM started for the test (scripts/slurm-local.sh), the
    /// array submitted with sbatch, run by slurmd, merged, equal to the local table. Needs root
    /// (as on CI, where the script installs slurm-wlm and munge); skipped elsewhere.
    @Test("a 6-point job array on a real single-node SLURM equals the local run",
          .enabled(if: getuid() == 0, "starting slurmctld/slurmd needs root"))
    func realSlurm() throws {
        let (dir, script) = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cluster = dir.appendingPathComponent("cluster")
        let helper = Harness.root.appendingPathComponent("scripts/slurm-local.sh")
        let bash = URL(fileURLWithPath: "/bin/bash")
        let started = try Harness.run(bash, [helper.path, "start", cluster.path])
        let daemonLogs = { () -> String in
            ["slurmctld.log", "slurmd.log"].map { name in
                let text = (try? String(contentsOf: cluster.appendingPathComponent(name), encoding: .utf8)) ?? "(none)"
                return "--- \(name) (last lines)\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
            }.joined(separator: "\n")
        }
        try #require(started.status == 0, "could not start SLURM: \(started.stderr)\n\(daemonLogs())")
        defer { _ = try? Harness.run(bash, [helper.path, "stop", cluster.path]) }
        let environment = ["SLURM_CONF": cluster.appendingPathComponent("slurm.conf").path]

        let local = dir.appendingPathComponent("local.csv"), merged = dir.appendingPathComponent("merged.csv")
        #expect(try Harness.msense(["sweep", script.path, local.path]).status == 0)
        let out = dir.appendingPathComponent("out")
        let submitted = try Harness.msense(["sweep", script.path, merged.path, "--slurm", out.path, "--submit"],
                                           environment: environment)
        try #require(submitted.status == 0, "\(submitted.stderr)")
        let id = try #require(submitted.stdout.split(separator: "\n").first { $0.hasPrefix("submitted job array ") }?
            .split(separator: " ").last.map(String.init))

        // Wait for the array to leave the queue (each task is a fraction of a second).
        guard let squeue = ["/usr/bin/squeue", "/usr/local/bin/squeue"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("squeue is missing although SLURM started")
            return
        }
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            let queue = try Harness.run(URL(fileURLWithPath: squeue), ["-h", "-j", id], environment: environment)
            if queue.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        let points = (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("points").path)) ?? []
        #expect(points.count == 6, "point files: \(points.sorted())\n\(daemonLogs())")
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("logs").path)) ?? []
        #expect(logs.count == 6, "one log per task: \(logs.sorted())")

        let merge = try Harness.msense(["sweep", script.path, merged.path, "--merge", out.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try read(merged) == read(local), "SLURM's table equals the local one")
    }
}
