import Foundation
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

    /// Runs `executable` with `arguments`, feeding `input` on stdin, and waits for it.
    /// Runs a command that leaves a daemon behind (e.g. `tmux new-session -d`) with its output
    /// discarded, so the daemon cannot hold our pipes open; returns the exit status. Uses
    /// posix_spawn and waitpid: Foundation's `Process` did not notice this child's exit when
    /// called from a Swift Testing task (the client stayed a zombie and the test hung).
    static func launch(_ executable: URL, _ arguments: [String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "posix_spawn failed: \(spawned)"]) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xff
    }

    static func run(_ executable: URL, _ arguments: [String], input: String? = nil,
                    environment: [String: String] = [:], in directory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try? inp.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        let errData = Locked<Data>(Data())
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData.get(), as: UTF8.self))
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

/// A value shared between a reader thread and the test.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ newValue: Value) { lock.lock(); value = newValue; lock.unlock() }
}
