import Foundation
import Subprocess
import Synchronization
@testable import MSense
@testable import MSenseCore

/// Collects what scripts print, safely across the interpreter's worker thread.
final class OutputBuffer: Sendable {
    private let storage = Mutex("")
    var text: String { storage.withLock { $0 } }
    func append(_ s: String) { storage.withLock { $0 += s } }

    /// Waits until something was printed (at most `seconds`): how a test knows a script it runs on
    /// another thread has started, e.g. before cancelling it.
    func waitForText(seconds: Double = 120) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while text.isEmpty, Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
    }
}

/// Runs `body` on a thread of its own and returns its value. A script run blocks its thread until
/// it ends; run on the concurrency pool (`Task.detached`) it holds one of the pool's threads (two
/// on a 2-core machine), and two tests that each wait for their own such run can take the whole
/// pool, leaving none for the waits that would cancel them.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// Cancels `interpreter`'s run every 10 ms until `task`, which runs it, ends, and returns the
/// task's value. A cancel that arrives before `run` begins is cleared by `run`, so one cancel can
/// be lost when a loaded machine starts the task late (after `waitForText`'s deadline), and the
/// run would then never end.
func cancelling<T: Sendable>(_ interpreter: Interpreter, until task: Task<T, Never>) async -> T {
    let canceller = Task.detached {
        while !Task.isCancelled {
            interpreter.cancel()
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
    }
    let value = await task.value
    canceller.cancel()
    return value
}

/// Paths of the package, found relative to this source file.
enum PackagePaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = root.appendingPathComponent("Tests/Scripts")

    /// Every `.msense` file under `directory`, sorted.
    static func scripts(under directory: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "msense" }.sorted { $0.path < $1.path }
    }

    /// The built `msense` executable (swift test builds it alongside the tests).
    static var binary: URL? {
        let candidates = [root.appendingPathComponent(".build/release/msense"), root.appendingPathComponent(".build/debug/msense")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// Runs `body` with a fresh empty folder under the temporary directory (`msense-NAME-UUID`),
/// removed when `body` returns: one test's scratch space.
func withScratchFolder<T>(_ name: String, _ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("msense-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// An interpreter whose printed text collects in `output` and whose scripts read and write
/// files in `folder` only (or as `access` allows).
func scratchInterpreter(in folder: URL, access: FileAccess? = nil) -> (interpreter: Interpreter, output: OutputBuffer) {
    let output = OutputBuffer()
    let interpreter = Interpreter(output: { output.append($0) })
    interpreter.fileAccess = access ?? FileAccess(canRead: true, canWrite: true, root: folder)
    return (interpreter, output)
}

/// Runs `source` in a fresh interpreter; returns printed output and the failure, if any.
func runScript(_ source: String, path: String = "<test>", arguments: [String] = []) -> (output: String, failure: ScriptFailure?) {
    let out = OutputBuffer()
    let interpreter = Interpreter(output: { out.append($0) }, arguments: arguments)
    do {
        _ = try interpreter.run(source: source, path: path)
        return (out.text, nil)
    } catch {
        return (out.text, error)
    }
}

/// The result of running the `msense` binary.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the msense binary with `arguments`, feeding `input` to standard input.
func runBinary(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
    guard let binary = PackagePaths.binary else {
        throw ScriptError("the msense binary was not found under .build; run swift build -c release first")
    }
    let run = try Subprocess.run(binary.path, arguments, input: input, environment: environment,
                                 directory: PackagePaths.root.path, timeout: 300)
    return ProcessResult(status: run.status, stdout: run.standardOutput,
                         stderr: run.standardError)
}
