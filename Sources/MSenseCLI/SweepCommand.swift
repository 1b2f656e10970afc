import Foundation
import MSense
import Sweep

/// `msense sweep FILE …`: runs a script's sweep locally with a worker limit, or one step of a
/// SLURM job array (prepare the folder and script, run one point, merge). docs/sweeps.md.
struct SweepCommand {
    static let usage = """
    usage: msense sweep FILE [ARG...] [--jobs N] [--sweep K]      run locally, at most N points at once
           msense sweep FILE [ARG...] --slurm OUTDIR [--partition P] [--time T] [--mem M]
                                       [--max-parallel N] [--submit]   write (and submit) a job array
           msense sweep FILE [ARG...] --index I OUTDIR                  run point I (one array task)
           msense sweep FILE [ARG...] --merge OUTDIR                    merge the points, run the rest
      --sweep K picks the K-th sweep(...) call the script reaches (default 1).
    """

    enum Step {
        case local
        case slurm(URL)
        case index(Int, URL)
        case merge(URL)
    }

    var file = ""
    var scriptArguments: [String] = []
    var jobs: Int?
    var target = 1
    var step = Step.local
    var partition: String?
    var time: String?
    var mem: String?
    var maxParallel: Int?
    var submit = false

    /// Parses the words after `sweep`; calls `usageError` (exit 2) on a mistake.
    init(_ words: [String]) {
        var positional: [String] = []
        var k = 0
        func value(_ option: String) -> String {
            k += 1
            guard k < words.count else { usageError("\(option) needs a value\n\(Self.usage)") }
            return words[k]
        }
        func count(_ option: String) -> Int {
            let text = value(option)
            guard let n = Int(text), n >= 1 else { usageError("\(option) needs a whole number ≥ 1, not '\(text)'") }
            return n
        }
        func folder(_ text: String) -> URL { URL(fileURLWithPath: text).standardizedFileURL }
        var optionsEnded = false
        while k < words.count {
            let word = words[k]
            if optionsEnded || !word.hasPrefix("--") || word == "-" {
                positional.append(word)
            } else {
                switch word {
                case "--": optionsEnded = true
                case "--jobs": jobs = count(word)
                case "--sweep": target = count(word)
                case "--slurm": step = .slurm(folder(value(word)))
                case "--partition": partition = value(word)
                case "--time": time = value(word)
                case "--mem": mem = value(word)
                case "--max-parallel": maxParallel = count(word)
                case "--submit": submit = true
                case "--merge": step = .merge(folder(value(word)))
                case "--index":
                    let text = value(word)
                    guard let i = Int(text), i >= 0 else { usageError("--index needs a point index ≥ 0, not '\(text)'") }
                    step = .index(i, folder(value(word)))
                default: usageError("unknown sweep option '\(word)'\n\(Self.usage)")
                }
            }
            k += 1
        }
        guard let first = positional.first else { usageError("sweep needs the script file\n\(Self.usage)") }
        file = first
        scriptArguments = Array(positional.dropFirst())
        if case .slurm = step {} else if partition != nil || time != nil || mem != nil || maxParallel != nil || submit {
            usageError("--partition, --time, --mem, --max-parallel and --submit go with --slurm OUTDIR")
        }
    }

    /// Runs the command and exits.
    func run() -> Never {
        guard let data = FileManager.default.contents(atPath: file) else {
            printError("msense: cannot read file '\(file)'\n")
            exit(1)
        }
        let interpreter = makeInterpreter(scriptArguments)
        switch step {
        case .local:
            interpreter.sweepMode = .local(jobs: jobs)
        case .slurm(let directory):
            reuseSeed(of: directory, in: interpreter, required: false)
            interpreter.sweepMode = .prepare(directory: directory, sweep: target, prepared: prepared)
        case .index(let index, let directory):
            reuseSeed(of: directory, in: interpreter, required: true)
            interpreter.sweepMode = .point(index: index, directory: directory, sweep: target)
        case .merge(let directory):
            reuseSeed(of: directory, in: interpreter, required: true)
            interpreter.sweepMode = .merge(directory: directory, sweep: target) { try merged($0, into: directory) }
        }
        do {
            _ = try interpreter.run(bytes: Array(data), path: file)
        } catch {
            fail(error)
        }
        if case .local = step {} else if interpreter.sweepCallsReached < target {
            let reached = interpreter.sweepCallsReached
            printError("msense: \(file) reached \(reached == 0 ? "no" : "only \(reached)") sweep(...) call\(reached == 1 ? "" : "s"); --sweep \(target) names none, so nothing was done\n")
            exit(1)
        }
        exit(0)
    }

    /// Starts the script's random stream where the prepared run started it, so every task
    /// replays the statements before the sweep with the same numbers.
    private func reuseSeed(of directory: URL, in interpreter: Interpreter, required: Bool) {
        do {
            let manifest = try PointStore(directory: directory).readManifest()
            if let seed = manifest.scriptSeed { interpreter.seed = seed }
        } catch {
            if required {
                printError("msense: \(error)\n")
                exit(1)
            }
        }
    }

    /// The per-task command: this binary, the script (absolute), the point index.
    private func taskCommand(_ directory: URL) -> [String] {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
        let executable = FileManager.default.isExecutableFile(atPath: binary) ? binary : (Slurm.findExecutable("msense") ?? binary)
        let script = URL(fileURLWithPath: file).standardizedFileURL.path
        return [executable, "sweep", "--sweep", String(target), "--index", SlurmArrayScript.taskIDToken, directory.path,
                "--", script] + scriptArguments
    }

    /// `--slurm`: writes OUTDIR/sweep.sbatch (and slurm.json), optionally submits it.
    private func prepared(_ grid: Grid, _ store: PointStore) throws {
        let directory = store.directory
        let name = "msense-" + URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let script = try sweepCall {
            try SlurmArrayScript(jobName: name, count: grid.count, command: taskCommand(directory),
                                 outputDirectory: directory.path, partition: partition, time: time, mem: mem,
                                 maxConcurrent: maxParallel)
        }
        let scriptURL = directory.appendingPathComponent("sweep.sbatch")
        try write(Data(script.render().utf8), to: scriptURL, executable: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(try encoder.encode(script), to: directory.appendingPathComponent("slurm.json"), executable: false)
        print("prepared \(directory.path) for \(grid.count) points (sweep \(target) of \(file))")
        print("wrote \(scriptURL.path)")
        if submit {
            let id = try sweepCall { try Slurm.submit(scriptURL: scriptURL) }
            print("submitted job array \(id)")
        } else {
            print("submit:  sbatch \(scriptURL.path)")
        }
        print("then:    msense sweep \(file) --merge \(directory.path)")
    }

    /// `--merge`: writes results.csv/.json, lists missing and failed points, writes a
    /// resubmission script; missing points stop the script (exit 1).
    private func merged(_ merge: SweepMerge, into mergeDirectory: URL) throws {
        try sweepCall { try merge.table.writeCSV(to: mergeDirectory.appendingPathComponent("results.csv")) }
        try sweepCall { try merge.table.writeJSON(to: mergeDirectory.appendingPathComponent("results.json")) }
        let present = merge.table.rows.count
        let total = present + merge.missing.count
        print("merged \(present) of \(total) points into \(mergeDirectory.path)/results.csv and results.json")
        if !merge.failed.isEmpty { print("failed points: \(merge.failed.map(String.init).joined(separator: " "))") }
        guard !merge.incomplete.isEmpty else { return }
        var resubmit = ""
        if let data = FileManager.default.contents(atPath: mergeDirectory.appendingPathComponent("slurm.json").path),
           let script = try? JSONDecoder().decode(SlurmArrayScript.self, from: data),
           let text = try? script.resubmitScript(for: merge.incomplete) {
            let url = mergeDirectory.appendingPathComponent("resubmit.sbatch")
            try write(Data(text.utf8), to: url, executable: true)
            resubmit = "sbatch \(url.path)"
        }
        if !merge.missing.isEmpty {
            throw ScriptError("\(merge.missing.count) of \(total) points have no result yet: \(merge.missing.map(String.init).joined(separator: " "))",
                              hint: resubmit.isEmpty ? "run them with msense sweep FILE --index I OUTDIR, then merge again"
                                  : "run them again with `\(resubmit)` (failed points included), then merge again")
        }
        if !resubmit.isEmpty { print("to run the failed points again: \(resubmit)") }
    }

    private func write(_ data: Data, to url: URL, executable: Bool) throws {
        do {
            try data.write(to: url, options: .atomic)
            if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
        } catch {
            throw ScriptError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    private func sweepCall<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SweepError { throw ScriptError(error.description) }
    }
}
