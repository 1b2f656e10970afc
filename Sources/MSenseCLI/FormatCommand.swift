import Foundation
import MSense
import MSenseCore
import Tensor

/// `msense fmt [--check] PATH…`: rewrites msense files in the canonical layout (docs/editors.md).
///
/// A folder stands for every `.msense` file under it. A file with syntax errors is reported and
/// left untouched. `--check` writes nothing and lists the files that are not formatted.
/// `msense fmt -` formats standard input to standard output (for editors).
/// Exit codes: 0 all formatted (or already so), 1 a file is not formatted (`--check`) or has
/// syntax errors, 2 usage or a file that cannot be read or written.
struct FormatCommand {
    static let usage = """
    usage: msense fmt [--check] PATH...   format files (a folder: every .msense file under it)
           msense fmt -                   format standard input to standard output
      --check   change nothing; list the files that are not formatted (exit 1 if any)
    """

    let arguments: [String]

    static func usageError(_ message: String) -> Never {
        printError("msense fmt: \(message)\n\(usage)\n")
        exit(2)
    }

    func run() -> Never {
        let check = arguments.contains("--check")
        let paths = arguments.filter { $0 != "--check" }
        if let option = paths.first(where: { $0.hasPrefix("-") && $0 != "-" }) { Self.usageError("unknown option '\(option)'") }
        guard !paths.isEmpty else { Self.usageError("name the files or folders to format") }
        if paths == ["-"] {
            let bytes = readStandardInput()
            switch SourceFormatter.format(bytes: bytes, path: "<stdin>") {
            case .success(let formatted):
                if check { exit(Array(formatted.utf8) == bytes ? 0 : 1) }
                print(formatted, terminator: "")
                exit(0)
            case .failure(let failure): fail(failure)
            }
        }
        var status: Int32 = 0
        for path in paths.flatMap(ScriptPaths.files) {
            let bytes = readScriptOrExit(path)
            switch SourceFormatter.format(bytes: bytes, path: path) {
            case .failure(let failure):
                printError(failure.rendered(color: useColor))
                printError("msense fmt: \(path) has errors and was left unchanged\n")
                status = 1
            case .success(let formatted) where Array(formatted.utf8) == bytes:
                continue
            case .success(let formatted):
                if check {
                    print("not formatted: \(path)")
                    status = 1
                    continue
                }
                do { try FileSystem.writeAtomically(Data(formatted.utf8), to: URL(fileURLWithPath: path)) } catch {
                    printError("msense fmt: cannot write '\(path)': \(error.reason)\n")
                    exit(2)
                }
                print("formatted \(path)")
            }
        }
        exit(status)
    }

}
