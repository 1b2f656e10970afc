import Foundation
import Subprocess
@testable import Tensor

/// max |aᵢⱼ − bᵢⱼ| for equal-shaped matrices (∞ for different shapes).
func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Double {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.elements, b.elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// A fresh empty directory under the system temporary directory.
func makeTemporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("msense-\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The message of a thrown `TensorError`, or nil if `body` did not throw one.
func tensorErrorText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as TensorError {
        return error.description
    } catch {
        return "unexpected error type: \(error)"
    }
}

/// What a finished python3 oracle run printed and returned.
struct OracleRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `Tests/Oracle/<script>` with `python3` from `PATH` (via `/usr/bin/env`).
///
/// Missing python3 (status 127) or NumPy (status 3, printed by our scripts) are reported as
/// errors with a clear message, so an oracle test fails instead of silently passing.
func runOracle(_ script: String, _ arguments: [String]) throws -> OracleRun {
    let oracleDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Oracle")
    let outcome = try Subprocess.run(
        "/usr/bin/env", ["python3", oracleDir.appendingPathComponent(script).path] + arguments, timeout: 600)
    let run = OracleRun(status: outcome.status, stdout: outcome.standardOutput,
                        stderr: outcome.standardError)
    switch run.status {
    case 127: throw OracleUnavailable(message: "python3 was not found on PATH; the NumPy oracle needs it (`make deps`)")
    case 3: throw OracleUnavailable(message: "NumPy is missing: \(run.stderr)")
    default: return run
    }
}

struct OracleUnavailable: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
