import Foundation
import Subprocess

/// Hands job-array scripts to SLURM's `sbatch`.
public enum Slurm {
    /// Submits `scriptURL` with `sbatch --parsable` and returns the job ID it prints.
    ///
    /// `extraArguments` go before the script (e.g. `--dependency=afterany:1234` for a merge job
    /// that waits for the array). `--parsable` makes `sbatch` print `ID` or `ID;cluster`; the ID
    /// is the part before the `;`.
    ///
    /// - Throws: ``SweepError/slurm(_:)`` when `sbatch` is not on `PATH`, exits with an error
    ///   (its standard error is quoted), or prints no job ID.
    public static func submit(scriptURL: URL, extraArguments: [String] = []) throws(SweepError) -> String {
        let output = try runSbatch(["--parsable"] + extraArguments + [scriptURL.path]).standardOutput
        let id = output.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw .slurm("sbatch accepted \(scriptURL.path) but printed no job ID (it printed \"\(output)\")")
        }
        return id
    }

    /// Asks `sbatch --test-only` whether it accepts `scriptURL` without submitting it; returns
    /// what `sbatch` printed. This needs a reachable SLURM controller.
    ///
    /// - Throws: ``SweepError/slurm(_:)`` as ``submit(scriptURL:extraArguments:)``.
    public static func testOnly(scriptURL: URL) throws(SweepError) -> String {
        let said = try runSbatch(["--test-only", scriptURL.path])
        return [said.standardOutput, said.standardError].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// The full path of `name` in one of the folders of `PATH`, or nil.
    public static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = String(folder) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `sbatch arguments…`; returns its standard output and standard error (trimmed) when
    /// it succeeds (`--test-only` reports on standard error).
    private static func runSbatch(
        _ arguments: [String]
    ) throws(SweepError) -> (standardOutput: String, standardError: String) {
        guard let sbatch = findExecutable("sbatch") else {
            throw .slurm("sbatch was not found on PATH; run this on a SLURM login node, or submit the script by hand")
        }
        let run: Subprocess.Outcome
        do {
            run = try Subprocess.run(sbatch, arguments)
        } catch {
            throw .slurm("sbatch could not be started: \(error.description)")
        }
        let stderrText = run.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        guard run.status == 0 else {
            let said = stderrText.isEmpty ? "" : ":\n" + stderrText
            throw .slurm("sbatch \(arguments.joined(separator: " ")) failed with status \(run.status)\(said)")
        }
        let outText = run.standardOutput
        return (outText.trimmingCharacters(in: .whitespacesAndNewlines), stderrText)
    }
}
