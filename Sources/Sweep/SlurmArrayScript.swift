import Foundation

/// A bash script for `sbatch` that runs a sweep as a SLURM job array, task `i` = point `i`.
///
/// Rendered as:
///
///     #!/bin/bash
///     #SBATCH --job-name=NAME
///     #SBATCH --array=0-(count−1)[%maxConcurrent]
///     #SBATCH --output=OUTDIR/logs/%A_%a.out
///     #SBATCH --cpus-per-task=C
///     #SBATCH --partition=P   --time=T   --mem=M      (each only when given)
///     set -euo pipefail
///     exec CMD ARG… "$SLURM_ARRAY_TASK_ID" …
///
/// Each command word is shell-quoted (``shellQuote(_:)``), except every occurrence of the
/// literal token `$SLURM_ARRAY_TASK_ID` (``taskIDToken``), which is written as
/// `"$SLURM_ARRAY_TASK_ID"` so the shell expands it to the task's index — also inside a word,
/// e.g. `--index=$SLURM_ARRAY_TASK_ID`. `#SBATCH` values are quoted the way `sbatch` reads
/// them (double quotes, `\` escapes), and `%` in the output folder is doubled since `sbatch`
/// treats `%` as a pattern character there. The logs folder must exist before the job starts
/// (SLURM does not create it); ``PointStore/prepare(grid:script:scriptSeed:created:)`` creates it.
public struct SlurmArrayScript: Sendable, Hashable {
    /// The placeholder the caller puts in ``command`` where the task's index goes.
    public static let taskIDToken = "$SLURM_ARRAY_TASK_ID"

    public var jobName: String
    /// Tasks in the array: the grid's point count.
    public var count: Int
    /// The per-task command as argv words, containing ``taskIDToken`` where the index goes.
    public var command: [String]
    /// The sweep's output folder (logs go to its `logs/`); absolute paths are safest.
    public var outputDirectory: String
    public var partition: String?
    /// Wall-time limit in any form `sbatch --time` accepts (`30`, `2:00:00`, `1-12:00:00`).
    public var time: String?
    /// Memory per node in any form `sbatch --mem` accepts (`4G`, `500M`).
    public var mem: String?
    public var cpusPerTask: Int
    /// The most tasks SLURM may run at once (`--array=…%N`), or nil for no limit.
    public var maxConcurrent: Int?

    /// A checked script description.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` for `count < 1`, `cpusPerTask < 1`,
    ///   `maxConcurrent < 1`, an empty command or job name, a command without ``taskIDToken``,
    ///   or a line break or other control character in any value (it would end an `#SBATCH`
    ///   line early).
    public init(
        jobName: String, count: Int, command: [String], outputDirectory: String,
        partition: String? = nil, time: String? = nil, mem: String? = nil,
        cpusPerTask: Int = 1, maxConcurrent: Int? = nil
    ) throws(SweepError) {
        guard count >= 1 else { throw .invalidArgument("a job array needs at least 1 task, not \(count)") }
        guard cpusPerTask >= 1 else { throw .invalidArgument("cpus per task is \(cpusPerTask); it must be at least 1") }
        if let maxConcurrent, maxConcurrent < 1 {
            throw .invalidArgument("the concurrent task limit is \(maxConcurrent); it must be at least 1")
        }
        guard !jobName.isEmpty else { throw .invalidArgument("the SLURM job name is empty; give the job a name") }
        guard !command.isEmpty else { throw .invalidArgument("the per-task command is empty") }
        guard command.contains(where: { $0.contains(Self.taskIDToken) }) else {
            throw .invalidArgument(
                "the per-task command does not contain \(Self.taskIDToken); every task would run the same point")
        }
        let checked: [(String, String?)] = [
            ("job name", jobName), ("output folder", outputDirectory), ("partition", partition),
            ("time", time), ("mem", mem),
        ] + command.enumerated().map { ("command word \($0.offset)", $0.element) }
        for (what, value) in checked {
            if let value, value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                if what.hasPrefix("command") && !value.contains("\0") { continue }  // quoted safely below
                throw .invalidArgument("the SLURM \(what) contains a line break or control character; remove it")
            }
        }
        self.jobName = jobName
        self.count = count
        self.command = command
        self.outputDirectory = outputDirectory
        self.partition = partition
        self.time = time
        self.mem = mem
        self.cpusPerTask = cpusPerTask
        self.maxConcurrent = maxConcurrent
    }

    /// The script for the whole array, `--array=0-(count−1)`.
    public func render() -> String {
        text(array: count == 1 ? "0" : "0-\(count - 1)")
    }

    /// The script for running only `indices` again (missing or failed points), e.g.
    /// `--array=3,7-9,12`: runs of consecutive indices are written as ranges.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` when `indices` is empty or holds an index
    ///   outside `0..<count`.
    public func resubmitScript(for indices: [Int]) throws(SweepError) -> String {
        let sorted = Array(Set(indices)).sorted()
        guard let first = sorted.first, let last = sorted.last else {
            throw .invalidArgument("there are no points to resubmit")
        }
        guard first >= 0, last < count else {
            let bad = first < 0 ? first : last
            throw .invalidArgument("point \(bad) cannot be resubmitted: the array has tasks 0 to \(count - 1)")
        }
        return text(array: arraySpec(sorted))
    }

    private func text(array: String) -> String {
        var lines = ["#!/bin/bash"]
        func directive(_ option: String, _ value: String) {
            lines.append("#SBATCH --\(option)=\(sbatchQuote(value))")
        }
        directive("job-name", jobName)
        directive("array", array + (maxConcurrent.map { "%\($0)" } ?? ""))
        let logs = (outputDirectory.hasSuffix("/") ? outputDirectory : outputDirectory + "/") + "logs/"
        directive("output", logs.replacingOccurrences(of: "%", with: "%%") + "%A_%a.out")
        directive("cpus-per-task", String(cpusPerTask))
        if let partition { directive("partition", partition) }
        if let time { directive("time", time) }
        if let mem { directive("mem", mem) }
        lines.append("set -euo pipefail")
        lines.append("exec " + command.map(commandWord).joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// One argv word: quoted pieces around each expanding `"$SLURM_ARRAY_TASK_ID"`.
    private func commandWord(_ word: String) -> String {
        let pieces = word.components(separatedBy: Self.taskIDToken)
        guard pieces.count > 1 else { return shellQuote(word) }
        return pieces.enumerated().map { k, piece in
            (k > 0 ? "\"\(Self.taskIDToken)\"" : "") + (piece.isEmpty ? "" : shellQuote(piece))
        }.joined()
    }
}

/// `3,7-9,12` for `[3, 7, 8, 9, 12]` (sorted, distinct): SLURM's `--array` list syntax.
func arraySpec(_ sorted: [Int]) -> String {
    var parts: [String] = []
    var k = 0
    while k < sorted.count {
        var end = k
        while end + 1 < sorted.count && sorted[end + 1] == sorted[end] + 1 { end += 1 }
        parts.append(end == k ? "\(sorted[k])" : "\(sorted[k])-\(sorted[end])")
        k = end + 1
    }
    return parts.joined(separator: ",")
}

/// An `#SBATCH` value as `sbatch` reads it: as is when it has no space, quote, backslash or `#`;
/// otherwise in double quotes with `\` and `"` escaped by a backslash (`sbatch` groups quoted
/// characters, honours backslash escapes, and starts a comment at an unquoted `#`).
func sbatchQuote(_ value: String) -> String {
    let special: Set<Character> = [" ", "\t", "\"", "'", "\\", "#"]
    guard value.isEmpty || value.contains(where: { special.contains($0) }) else { return value }
    var out = "\""
    for c in value {
        if c == "\\" || c == "\"" { out.append("\\") }
        out.append(c)
    }
    return out + "\""
}

/// Kept as `OUTDIR/slurm.json` next to the script, so a merge can write the resubmission
/// script for missing points with the same options.
extension SlurmArrayScript: Codable {}
