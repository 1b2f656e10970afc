import Foundation
import MSense

/// A progress bar on standard error for long runs (`gd`, `glrl`, sweeps), drawn only when
/// standard error is a terminal: `gd [██████░░░░░░] 48% 4800/10000`.
final class ProgressBar: @unchecked Sendable {
    // Safety: `drawn` is guarded by `lock`; events may arrive from the interpreter's thread.
    private let lock = NSLock()
    private var drawn = false

    /// The run events the bar draws from; the others are not asked for.
    static let kinds: RunEventKinds = [.progress, .finished]

    func handle(_ event: RunEvent) {
        switch event {
        case let .progress(kind, done, total) where total > 0:
            let fraction = min(1, Double(done) / Double(total))
            let filled = Int(fraction * 24)
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 24 - filled)
            write("\r\(kind) [\(bar)] \(Int(fraction * 100))% \(done)/\(total)\u{1B}[K")
        case .finished:
            clear()
        default:
            break
        }
    }

    /// Erases the bar, if one is shown.
    func clear() {
        lock.lock()
        let wasDrawn = drawn
        drawn = false
        lock.unlock()
        if wasDrawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func write(_ text: String) {
        lock.lock()
        drawn = true
        lock.unlock()
        FileHandle.standardError.write(Data(text.utf8))
    }
}
