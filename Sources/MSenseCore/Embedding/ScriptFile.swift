import Foundation
import Tensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The script file a host names (``Interpreter/run(file:)``, the C API's `msense_run_file`,
/// Python's `run_file`): a regular file of at most ``Interpreter/maxSourceBytes`` bytes, opened
/// without blocking, so that a device (`/dev/zero`), a FIFO with no writer or a folder is a
/// clear error at once instead of a stalled host or 256 MiB read for nothing.
enum ScriptFile {
    /// The bytes of the script at `path`, or a diagnostic saying why it cannot be read, with a
    /// hint for that reason.
    static func read(_ path: String) throws(ScriptFailure) -> [UInt8] {
        do {
            return try FileSystem.read(path, limit: Interpreter.maxSourceBytes, regularFilesOnly: true)
        } catch {
            throw ScriptFailure(diagnostics: [Diagnostic(path: path, message: "cannot read file '\(path)': \(error.reason)",
                                                         hint: hint(for: path))])
        }
    }

    /// What to do about a script path that could not be read, from what is at `path`.
    private static func hint(for path: String) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { return "check that the file exists and is readable" }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            return "give the path of a script file, not of a folder"
        case S_IFREG where Int(status.st_size) > Interpreter.maxSourceBytes:
            return "a script file holds at most \(Interpreter.maxSourceBytes) bytes (256 MiB)"
        case S_IFREG:
            return "check that the file is readable"
        default:
            return "a script is read from a regular file; to run text from a device or pipe, read it and run it as source"
        }
    }
}
