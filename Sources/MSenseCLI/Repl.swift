import Foundation
import MSense

/// The interactive session `msense` starts on a terminal: read an entry (continuing on a
/// `...` prompt while it is unfinished), run it, show the result, keep every binding.
///
/// Errors never end the session. Ctrl-C stops a running computation (the interpreter is
/// cancelled from the interrupt queue) or clears the line at the prompt; Ctrl-D exits.
final class Repl {
    private var interpreter: Interpreter
    private let editor: LineEditor
    private let commands: ReplCommands
    private let progress = ProgressBar()

    init() {
        let first = Repl.makeInterpreter(progress: progress)
        // The interpreter in use, shared with the completion hook and the interrupt queue.
        let session = Locked<Interpreter>(first)
        let history = HistoryFile.fromEnvironment()
        editor = LineEditor(history: history) { line, wordStart, word in
            session.withLock { $0 }.completions(buffer: line, wordStart: wordStart, word: word)
        }
        interpreter = first
        commands = ReplCommands(historyPath: history.url.path)
        sessionBox = session
        editor.onInterruptWhileBusy = { session.withLock { $0 }.cancel() }
    }

    private let sessionBox: Locked<Interpreter>

    static func makeInterpreter(progress: ProgressBar) -> Interpreter {
        let interpreter = Interpreter(output: { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        })
        if isatty(2) != 0 {
            interpreter.onRunEvent = { event in progress.handle(event) }
            interpreter.runEventKinds = ProgressBar.kinds
        }
        return interpreter
    }

    /// Runs the session until `:quit` or Ctrl-D.
    func run() {
        print("msense \(MSenseVersion.string) — :help for help, :quit or Ctrl-D to leave")
        var buffer: [String] = []
        while true {
            let prompt = buffer.isEmpty ? "msense> " : "...     "
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                if buffer.isEmpty { print(""); return }
                buffer = []
                print("")
            case .interrupted:
                buffer = []
            case .line(let line):
                buffer.append(line)
                let entry = buffer.joined(separator: "\n")
                if buffer.count == 1, line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
                    buffer = []
                    editor.remember(entry)
                    if !execute(command: line.trimmingCharacters(in: .whitespaces)) { return }
                    continue
                }
                if entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { buffer = []; continue }
                if interpreter.isIncomplete(entry + "\n") { continue }
                buffer = []
                editor.remember(entry)
                evaluate(entry)
            }
        }
    }

    /// Runs an entry and shows its value (binding it to `_`) or its diagnostics.
    func evaluate(_ source: String) {
        do {
            let value = try interpreter.evaluate(source)
            progress.clear()
            if case .nil = value { return }
            interpreter.setGlobal("_", value)
            print(ReplPrinter.render(value))
        } catch {
            progress.clear()
            printError(error.rendered(color: useColor))
        }
    }

    /// Runs a meta-command; returns false for `:quit`.
    private func execute(command line: String) -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case ":quit", ":q", ":exit":
            return false
        case ":help", ":h":
            print(commands.help(argument, interpreter: interpreter))
        case ":vars":
            let names = interpreter.definedNames.filter { $0 != "args" }
            print(names.isEmpty ? "(no variables yet)" : names.map { name in
                "\(name) = \(interpreter.global(name).map { ReplCommands.short(Interpreter.display($0)) } ?? "")"
            }.joined(separator: "\n"))
        case ":type":
            guard !argument.isEmpty else { print("usage: :type EXPR"); break }
            do { print(try interpreter.evaluate(argument).typeName) } catch { printError(error.rendered(color: useColor)) }
        case ":time":
            guard !argument.isEmpty else { print("usage: :time EXPR"); break }
            let start = DispatchTime.now().uptimeNanoseconds
            evaluate(argument)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(format: "time: %.3f s", seconds))
        case ":load":
            guard !argument.isEmpty else { print("usage: :load FILE"); break }
            do {
                _ = try interpreter.run(file: argument)
                progress.clear()
            } catch {
                progress.clear()
                printError(error.rendered(color: useColor))
            }
        case ":reset":
            interpreter = Repl.makeInterpreter(progress: progress)
            let fresh = interpreter
            sessionBox.withLock { $0 = fresh }
            print("session reset")
        default:
            print("unknown command \(parts[0]); :help lists the commands")
        }
        return true
    }
}
