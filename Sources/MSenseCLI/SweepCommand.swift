import Foundation
import MSense
import Sweep
import Tensor

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

    /// Reports a mistake in the sweep command's options with the sweep usage and exits 2.
    static func usageError(_ message: String) -> Never {
        printError("msense sweep: \(message)\n\(usage)\n")
        exit(2)
    }

    /// Parses the words after `sweep`; calls `usageError` (exit 2) on a mistake.
    init(_ words: [String]) {
        var positional: [String] = []
        var k = 0
        func value(_ option: String, _ what: String = "a value") -> String {
            k += 1
            guard k < words.count else { Self.usageError("\(option) needs \(what)") }
            return words[k]
        }
        func count(_ option: String) -> Int {
            let text = value(option)
            guard let n = Int(text), n >= 1 else { Self.usageError("\(option) needs a whole number ≥ 1, not '\(text)'") }
            return n
        }
        /// A SLURM setting: one line of text (it becomes an `#SBATCH` line).
        func setting(_ option: String, example: String) -> String {
            let text = value(option)
            guard Self.isOneLine(text) else {
                Self.usageError("\(option) must be one line of text without control characters, e.g. \(option) \(example); got \(text.debugDescription)")
            }
            return text
        }
        func folder(_ option: String) -> URL {
            let text = value(option, "the OUTDIR folder")
            guard Self.isOneLine(text) else {
                Self.usageError("\(option) needs a folder name without control characters, not \(text.debugDescription)")
            }
            var status = stat()
            if stat(text, &status) == 0, status.st_mode & S_IFMT != S_IFDIR {
                Self.usageError("\(option) \(text): a file is in the way; OUTDIR must be a folder (or a name for a new one)")
            }
            return URL(fileURLWithPath: text).standardizedFileURL
        }
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
                case "--slurm": step = .slurm(folder(word))
                case "--partition": partition = setting(word, example: "gpu")
                case "--time": time = setting(word, example: "2:00:00")
                case "--mem": mem = setting(word, example: "8G")
                case "--max-parallel": maxParallel = count(word)
                case "--submit": submit = true
                case "--merge": step = .merge(folder(word))
                case "--index":
                    let text = value(word, "a point index and the OUTDIR folder")
                    guard let i = Int(text), i >= 0 else { Self.usageError("--index needs a point index ≥ 0, not '\(text)'") }
                    guard k + 1 < words.count else { Self.usageError("--index \(text) needs the OUTDIR folder after the index") }
                    step = .index(i, folder(word))
                default: Self.usageError("unknown sweep option '\(word)'")
                }
            }
            k += 1
        }
        guard let first = positional.first else { Self.usageError("sweep needs the script file") }
        file = first
        scriptArguments = Array(positional.dropFirst())
        if case .slurm = step {} else if partition != nil || time != nil || mem != nil || maxParallel != nil || submit {
            Self.usageError("--partition, --time, --mem, --max-parallel and --submit go with --slurm OUTDIR")
        }
    }

    /// Whether an option value is non-empty and free of control characters (C0 and DEL): it
    /// ends up in an `#SBATCH` line or a folder path of one, where a line break would split it.
    static func isOneLine(_ text: String) -> Bool {
        !text.isEmpty && !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Runs the command and exits.
    func run() -> Never {
        let data = readScriptOrExit(file)
        let interpreter = makeInterpreter(scriptArguments)
        var created: CreatedFolders?
        switch step {
        case .local:
            interpreter.sweepMode = .local(jobs: jobs)
        case .slurm(let directory):
            created = CreatedFolders(before: directory)
            do { try FileSystem.createFolder(directory) } catch {
                Self.usageError("--slurm \(directory.path): the folder cannot be created (\(error.reason))")
            }
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
            _ = try interpreter.run(bytes: data, path: file)
        } catch {
            created?.removeIfEmpty()
            fail(error)
        }
        if case .local = step {} else if interpreter.sweepCallsReached < target {
            created?.removeIfEmpty()
            let reached = interpreter.sweepCallsReached
            let undone = switch step {
            case .slurm: "no job array was prepared"
            case .index: "no point was run"
            default: "nothing was merged"
            }
            printError("msense: \(file) reached \(reached == 0 ? "no" : "only \(reached)") sweep(...) \(reached == 1 ? "call" : "calls"); --sweep \(target) names none, "
                + "so \(undone) (the script itself ran to its end, the sweeps it reached run locally)\n")
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
        let script = try SlurmArrayScript(jobName: name, count: grid.count, command: taskCommand(directory),
                                          outputDirectory: directory.path, partition: partition, time: time, mem: mem,
                                          maxConcurrent: maxParallel)
        let scriptURL = directory.appendingPathComponent("sweep.sbatch")
        try write(Data(script.render().utf8), to: scriptURL, executable: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(try encoder.encode(script), to: directory.appendingPathComponent("slurm.json"), executable: false)
        print("prepared \(directory.path) for \(counted(grid.count, "point")) (sweep \(target) of \(file))")
        print("wrote \(scriptURL.path)")
        if submit {
            let id = try Slurm.submit(scriptURL: scriptURL)
            print("submitted job array \(id)")
        } else {
            print("submit:  sbatch \(scriptURL.path)")
        }
        print("then:    \(mergeCommand(directory))")
    }

    /// The command that merges this sweep's points: the same script, arguments and sweep.
    private func mergeCommand(_ directory: URL) -> String {
        let options = (target == 1 ? [] : ["--sweep", String(target)]) + ["--merge", directory.path]
        return (["msense", "sweep"] + options + ["--", file] + scriptArguments).map(shellQuote).joined(separator: " ")
    }

    /// `--merge`: writes results.csv/.json, lists missing and failed points, writes a
    /// resubmission script; missing points stop the script (exit 1).
    private func merged(_ merge: SweepMerge, into mergeDirectory: URL) throws {
        try merge.table.writeCSV(to: mergeDirectory.appendingPathComponent("results.csv"))
        try merge.table.writeJSON(to: mergeDirectory.appendingPathComponent("results.json"))
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
        do { try FileSystem.writeAtomically(data, to: url) } catch {
            throw ScriptError("cannot write \(url.path): \(error.reason)")
        }
        if executable, chmod(url.path, 0o755) != 0 {
            throw ScriptError("cannot make \(url.path) executable: \(FileSystem.reason(errno: errno))")
        }
    }
}
