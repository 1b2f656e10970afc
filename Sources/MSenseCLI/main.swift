import Foundation
import MSense
import MSenseLSP
import Tensor

/// Entry point of the `msense` command line tool: a thin shell around `Interpreter`.
///
/// Exit codes: 0 success, 1 the script failed (syntax, name or runtime error), 2 usage error
/// (bad options or arguments, or a script file that cannot be read).

// Before anything else runs: BLAS on one thread, and no OpenBLAS worker spinning beside the script.
BLASThreads.useOneAndStopIdleWorkers()

let usage = """
usage: msense FILE [ARG...]      run a script; it sees its arguments as the list `args`
       msense -e CODE [ARG...]   run CODE; prints the value of a final expression
       msense - [ARG...]         run the script read from standard input
       msense check PATH...      report syntax and name errors without running (exit 1 on errors;
                                 a folder: every .msense file under it)
       msense sweep FILE ...     run a script's sweep locally or as a SLURM job array (sweep --help)
       msense fmt [--check] PATH...  format scripts in the canonical layout (fmt --help)
       msense lsp                the language server for editors, over standard input/output
       msense --help             this text and the list of builtins
       msense --reference        the builtin reference as Markdown (docs/reference.md)
       msense --version          the version
  `--` ends the options: msense -- FILE runs a file whose name starts with '-'.
  With no arguments, a script piped to standard input is run.
"""

/// Writes to standard error (after flushing standard output so the two interleave correctly).
func printError(_ text: String) {
    fflush(nil)
    FileHandle.standardError.write(Data(text.utf8))
}

let useColor = isatty(2) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

func fail(_ failure: ScriptFailure) -> Never {
    printError(failure.rendered(color: useColor))
    exit(1)
}

func usageError(_ message: String) -> Never {
    printError("msense: \(message)\n\(usage)\n")
    exit(2)
}

/// Draws progress of long runs (gd, glrl, sweep) when standard error is a terminal.
let progressBar = ProgressBar()

func makeInterpreter(_ arguments: [String]) -> Interpreter {
    let interpreter = Interpreter(output: { text in
        progressBar.clear()
        StandardOutput.shared.write(text)
    }, arguments: arguments)
    if isatty(2) != 0 {
        interpreter.onRunEvent = { progressBar.handle($0) }
        interpreter.runEventKinds = ProgressBar.kinds
    }
    return interpreter
}

func readStandardInput() -> [UInt8] {
    Array(FileHandle.standardInput.readDataToEndOfFile())
}

func runBytes(_ bytes: [UInt8], path: String, arguments: [String]) -> Never {
    do {
        _ = try makeInterpreter(arguments).run(bytes: bytes, path: path)
    } catch {
        fail(error)
    }
    exit(0)
}

/// The bytes of the script file at `path`, read until end of file (so `/dev/stdin`, FIFOs and
/// other character devices work too); a file that cannot be read is a usage error (exit 2),
/// reported with the reason.
func readScriptOrExit(_ path: String) -> [UInt8] {
    do {
        return try FileSystem.read(path, limit: Interpreter.maxSourceBytes)
    } catch {
        printError("msense: cannot read file '\(path)': \(error.reason)\n")
        exit(2)
    }
}

func runFile(_ path: String, arguments: [String]) -> Never {
    runBytes(readScriptOrExit(path), path: path, arguments: arguments)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let first = arguments.first else {
    if isatty(0) == 0 {
        runBytes(readStandardInput(), path: "<stdin>", arguments: [])
    }
    Repl().run()
    exit(0)
}

/// An option that prints and exits takes nothing after it: anything there would be ignored.
func noMoreArguments() {
    if arguments.count > 1 { usageError("\(first) takes no arguments (got '\(arguments[1])')") }
}

switch first {
case "--help", "-h":
    noMoreArguments()
    print(usage)
    print("\nbuiltins:")
    for builtin in makeInterpreter([]).builtins {
        print("  \(builtin.usage)\n      \(builtin.doc)")
    }
    exit(0)
case "--reference":
    noMoreArguments()
    print(makeInterpreter([]).referenceMarkdown(), terminator: "")
    exit(0)
case "--version":
    noMoreArguments()
    print("msense \(MSenseVersion.string)")
    exit(0)
case "-e":
    guard arguments.count >= 2 else { usageError("-e needs the code to run") }
    do {
        let value = try makeInterpreter(Array(arguments.dropFirst(2))).evaluate(arguments[1])
        if value != .nil { print(Interpreter.display(value)) }
    } catch {
        fail(error)
    }
    exit(0)
case "-":
    runBytes(readStandardInput(), path: "<stdin>", arguments: Array(arguments.dropFirst()))
case "--":
    guard arguments.count >= 2 else { usageError("-- must be followed by a file name") }
    runFile(arguments[1], arguments: Array(arguments.dropFirst(2)))
case "sweep":
    if arguments.count == 2, ["--help", "-h"].contains(arguments[1]) {
        print(SweepCommand.usage)
        exit(0)
    }
    SweepCommand(Array(arguments.dropFirst())).run()
case "fmt":
    if arguments.count == 2, ["--help", "-h"].contains(arguments[1]) {
        print(FormatCommand.usage)
        exit(0)
    }
    FormatCommand(arguments: Array(arguments.dropFirst())).run()
case "lsp":
    guard arguments.count == 1 else { usageError("lsp takes no arguments; it talks LSP on standard input and output") }
    exit(LanguageServer.serveStandardIO())
case "check":
    guard arguments.count >= 2 else { usageError("check takes one or more files or folders") }
    if let option = arguments.dropFirst().first(where: { $0.hasPrefix("-") }) { usageError("unknown option '\(option)' for check") }
    var failed = false
    let scripts = arguments.dropFirst().map { path in (path, ScriptPaths.files(path)) }
    if let (folder, _) = scripts.first(where: { $0.1.isEmpty }) { usageError("no .msense files under '\(folder)'") }
    for path in scripts.flatMap(\.1) {
        let diagnostics = makeInterpreter([]).check(bytes: readScriptOrExit(path), path: path)
        for diagnostic in diagnostics { printError(diagnostic.rendered(color: useColor)) }
        failed = failed || diagnostics.contains { $0.severity == .error }
    }
    exit(failed ? 1 : 0)
default:
    if first.hasPrefix("-") { usageError("unknown option '\(first)'") }
    runFile(first, arguments: Array(arguments.dropFirst()))
}
