import Foundation
import Subprocess
import Testing

/// Paths and a process runner shared by the end-to-end tests, which drive the real `msense`.
enum Harness {
    /// The package root (two levels above this file's folder).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `msense` binary built alongside this test bundle (same configuration).
    static var binary: URL {
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        return root.appendingPathComponent(".build/\(configuration)/msense")
    }

    /// `../shared/` next to the package, when it exists (CI has it; a fresh clone may not).
    static var shared: URL? {
        let url = root.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// What a finished process printed and how it exited.
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Seconds any one child may run before its process group is killed and the test fails;
    /// far above every real run, it turns a hang into a failure instead of a stalled CI.
    static let childTimeout = 300.0

    /// Seconds a child that compiles a package from scratch may run (the embedding example).
    static let buildTimeout = 1200.0

    /// Runs a command that leaves a daemon behind (e.g. `tmux new-session -d`); returns the exit
    /// status. The daemon cannot hold us: output goes to files, and the wait is on the one pid.
    static func launch(_ executable: URL, _ arguments: [String]) throws -> Int32 {
        try run(executable, arguments).status
    }

    /// Runs `executable` with `arguments`, feeding `input` on stdin, and waits for it (at most
    /// `timeout` seconds, `childTimeout` unless said; a timeout is reported on `stderr` and as
    /// status 137).
    static func run(_ executable: URL, _ arguments: [String], input: String? = nil,
                    environment: [String: String] = [:], in directory: URL? = nil,
                    timeout: Double = childTimeout) throws -> Outcome {
        let outcome = try Subprocess.run(executable.path, arguments, input: input, environment: environment,
                                         directory: directory?.path, timeout: timeout)
        return Outcome(status: outcome.status, stdout: outcome.standardOutput,
                       stderr: outcome.standardError)
    }

    /// Runs the `msense` binary.
    static func msense(_ arguments: [String], input: String? = nil,
                       environment: [String: String] = [:], in directory: URL? = nil) throws -> Outcome {
        try run(binary, arguments, input: input, environment: environment, in: directory)
    }

    /// A fresh empty temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("msense-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
