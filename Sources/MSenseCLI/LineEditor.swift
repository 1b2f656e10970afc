import CReadline
import Dispatch
import Foundation

/// Interactive line input for the REPL over GNU readline: line editing, reverse search,
/// history kept across sessions, tab completion, and Ctrl-C that clears the line.
///
/// Readline runs through its callback interface so the editor can wait on the terminal and
/// on a self-pipe at once: SIGINT is taken off the signal path by a Dispatch source, which
/// either wakes the prompt (clearing the line) or, while a computation runs, calls
/// ``onInterruptWhileBusy`` so the host can cancel it. No code runs inside a signal handler.
final class LineEditor {
    /// What one call to ``readLine(prompt:)`` produced.
    enum Input: Equatable {
        /// A line the user entered (without its newline).
        case line(String)
        /// Ctrl-C at the prompt: the line was discarded.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal closed.
        case endOfInput
    }

    /// The history file and how many entries it keeps.
    let history: HistoryFile
    /// Called on the interrupt queue when Ctrl-C arrives while no prompt is shown.
    var onInterruptWhileBusy: (@Sendable () -> Void)? {
        get { state.withLock { $0.busyHandler } }
        set { state.withLock { $0.busyHandler = newValue } }
    }

    private struct SharedState {
        var promptActive = false
        var busyHandler: (@Sendable () -> Void)?
    }
    private let state = Locked(SharedState())
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let signalSource: DispatchSourceSignal

    /// Sets up readline, loads the history and takes over SIGINT.
    ///
    /// - Parameters:
    ///   - history: the persistent history (entries may span several lines).
    ///   - completer: candidates for the word being completed, given the whole line and the
    ///     word's start offset (in UTF-8 bytes).
    init(history: HistoryFile, completer: @escaping (_ line: String, _ wordStart: Int, _ word: String) -> [String]) {
        self.history = history
        var fds: [Int32] = [0, 0]
        if pipe(&fds) != 0 { fds = [-1, -1] }
        wakeRead = fds[0]
        wakeWrite = fds[1]

        Completion.provider = completer
        msense_rl_configure(Completion.attempt, Completion.wordBreaks)
        using_history()
        for entry in history.load() { add_history(entry) }

        signal(SIGINT, SIG_IGN)
        signalSource = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let state = self.state
        let wakeWrite = self.wakeWrite
        signalSource.setEventHandler {
            let (prompting, handler) = state.withLock { ($0.promptActive, $0.busyHandler) }
            if prompting {
                var byte: UInt8 = 1
                _ = write(wakeWrite, &byte, 1)
            } else {
                handler?()
            }
        }
        signalSource.resume()
    }

    deinit {
        signalSource.cancel()
        signal(SIGINT, SIG_DFL)
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    /// Shows `prompt` and waits for one line, an interrupt or the end of input.
    func readLine(prompt: String) -> Input {
        drainWakePipe()
        LineHandler.result = nil
        state.withLock { $0.promptActive = true }
        defer { state.withLock { $0.promptActive = false } }
        rl_callback_handler_install(prompt, LineHandler.receive)
        defer { rl_callback_handler_remove() }

        while LineHandler.result == nil {
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return .endOfInput
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                drainWakePipe()
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_replace_line("", 0)
                rl_crlf()
                return .interrupted
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                rl_callback_read_char()
            }
        }
        switch LineHandler.result {
        case .some(.some(let line)): return .line(line)
        default: return .endOfInput
        }
    }

    /// Records a whole entry (possibly several lines) in the session and on disk.
    func remember(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        add_history(entry)
        history.append(entry)
    }

    private func drainWakePipe() {
        guard wakeRead >= 0 else { return }
        var pending = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        while poll(&pending, 1, 0) > 0, pending.revents & Int16(POLLIN) != 0 {
            if read(wakeRead, &byte, 1) <= 0 { break }
        }
    }
}

/// The line readline hands to its callback: set once per prompt, on the main thread.
private enum LineHandler {
    /// `nil` while waiting; `.some(nil)` at end of input; `.some(line)` for a line.
    nonisolated(unsafe) static var result: String??

    static let receive: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { raw in
        guard let raw else {
            LineHandler.result = .some(nil)
            return
        }
        LineHandler.result = .some(String(cString: raw))
        free(raw)
        rl_callback_handler_remove()
    }
}

/// Glue between readline's C completion hooks and a Swift candidate provider.
private enum Completion {
    nonisolated(unsafe) static var provider: ((String, Int, String) -> [String])?
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var nextIndex = 0

    /// Characters that end a word: completing after `run.` completes the field name.
    nonisolated(unsafe) static let wordBreaks: UnsafePointer<CChar>? = UnsafePointer(strdup(" \t\n\"\\'`@$><=;|&{(,.[]+-*/%^:!"))

    static let attempt: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
        msense_rl_completion_over()
        let word = text.map { String(cString: $0) } ?? ""
        let line = msense_rl_line_buffer().map { String(cString: $0) } ?? ""
        // A field completed after `x.` is often followed by another `.` or `(`: no space after it.
        let bytes = Array(line.utf8)
        if start > 0, Int(start) <= bytes.count, bytes[Int(start) - 1] == UInt8(ascii: ".") {
            msense_rl_set_completion_append_character(0)
        }
        Completion.candidates = Completion.provider?(line, Int(start), word) ?? []
        Completion.nextIndex = 0
        guard !Completion.candidates.isEmpty else { return nil }
        guard let text else { return nil }
        return rl_completion_matches(text, Completion.generate)
    }

    static let generate: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, _ in
        guard Completion.nextIndex < Completion.candidates.count else { return nil }
        defer { Completion.nextIndex += 1 }
        return strdup(Completion.candidates[Completion.nextIndex])
    }
}

/// A value guarded by a lock, shared between the main thread and the interrupt queue.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
