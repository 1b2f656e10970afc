import Foundation
import Testing
@testable import MSense
@testable import MSenseCore
#if canImport(Glibc)
import Glibc
#endif

/// `run(file:)` (Python's `run_file`, C's `msense_run_file`) reads regular files only: a device,
/// a FIFO with no writer, a folder or a file past the size limit is a clear error at once, with
/// a hint for that reason, and never stalls the host.
@Suite("Script files")
struct ScriptFileTests {
    private func failure(running path: String) throws -> Diagnostic {
        let interpreter = Interpreter(output: { _ in })
        do {
            _ = try interpreter.run(file: path)
        } catch {
            return try #require(error.diagnostics.first)
        }
        Issue.record("\(path) ran")
        throw CancellationError()
    }

    @Test func aDeviceIsNotAScript() throws {
        let problem = try failure(running: "/dev/zero")
        #expect(problem.message == "cannot read file '/dev/zero': is not a regular file (a device, pipe or socket)")
        #expect(problem.hint == "a script is read from a regular file; to run text from a device or pipe, read it and run it as source")
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        try withScratchFolder("fifo") { folder in
            let path = folder.appendingPathComponent("pipe.msense").path
            #expect(mkfifo(path, 0o600) == 0)
            let problem = try failure(running: path)
            #expect(problem.message.hasSuffix("is not a regular file (a device, pipe or socket)"))
        }
    }

    @Test func aFolderIsNotAScript() throws {
        try withScratchFolder("folder") { folder in
            let problem = try failure(running: folder.path)
            #expect(problem.message == "cannot read file '\(folder.path)': is a directory")
            #expect(problem.hint == "give the path of a script file, not of a folder")
        }
    }

    @Test func aFileLongerThanTheLimitIsRefusedBeforeReading() throws {
        try withScratchFolder("large") { folder in
            let path = folder.appendingPathComponent("huge.msense").path
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            #expect(truncate(path, off_t(Interpreter.maxSourceBytes + 1)) == 0)  // sparse: no disk used
            let problem = try failure(running: path)
            #expect(problem.message == "cannot read file '\(path)': is longer than \(Interpreter.maxSourceBytes) bytes")
            #expect(problem.hint == "a script file holds at most 268435456 bytes (256 MiB)")
        }
    }

    @Test func aMissingFileKeepsItsHint() throws {
        let problem = try failure(running: "/no/such/file.msense")
        #expect(problem.hint == "check that the file exists and is readable")
    }
}
