import Foundation
import Synchronization

/// Standard output as the command line writes what scripts print. When it is a file or a pipe,
/// C buffers it in blocks of a few KiB, so a run killed at its time limit (a SLURM job) would
/// lose the lines it printed last, possibly all of them. A background thread flushes pending
/// output every ``flushInterval`` seconds: a printed line reaches the file within that time,
/// while a loop that prints many lines still writes them in blocks.
final class StandardOutput: Sendable {
    static let shared = StandardOutput()

    /// Seconds at most between a print and the flush that makes it visible.
    static let flushInterval = 0.5

    private let pending = Atomic<Bool>(false)
    private let flusherStarted = Atomic<Bool>(false)

    /// Writes `text` (buffered by C) and makes sure it is flushed within ``flushInterval``.
    func write(_ text: String) {
        Swift.print(text, terminator: "")
        pending.store(true, ordering: .releasing)
        if !flusherStarted.exchange(true, ordering: .acquiringAndReleasing) { startFlusher() }
    }

    private func startFlusher() {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: Self.flushInterval)
                if pending.exchange(false, ordering: .acquiringAndReleasing) { fflush(nil) }
            }
        }
        thread.start()
    }
}
