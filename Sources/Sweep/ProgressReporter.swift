import Foundation
import Synchronization

/// Shows a sweep's progress on a stream, in the form that suits where the stream goes.
///
/// - `.bar` (a terminal): one line redrawn in place with a carriage return,
///   `sweep [#######-------------]  12/40  30%  1 failed  eta 2m31s`, at most every 0.1 s,
///   ended with a newline when the last point finishes.
/// - `.lines` (a log file, e.g. a SLURM task's output): a plain line
///   `sweep: 12/40 points (30%), 1 failed, elapsed 1m05s, eta 2m31s` each time another tenth of
///   the points is done or `interval` seconds have passed since the last line, and at the end.
///   Redrawn bars would flood such files with carriage returns.
///
/// The estimate is `eta = elapsed · (total − done) / done`.
public final class ProgressReporter: Sendable {
    /// How progress is drawn.
    public enum Style: Sendable { case bar, lines }

    private struct State {
        var lastDraw: Double
        var lastTenth = 0
        var finished = false
    }

    private let handle: FileHandle
    private let style: Style
    private let label: String
    private let interval: Double
    private let clock: @Sendable () -> Double
    private let start: Double
    private let state: Mutex<State>

    /// A reporter writing to `handle`.
    ///
    /// - Parameters:
    ///   - handle: where the bar or the lines go (standard error for the command line).
    ///   - style: a redrawn bar (a terminal) or plain status lines (logs).
    ///   - label: the word that starts each report.
    ///   - interval: for `.lines`, the longest time in seconds between two lines.
    ///   - clock: seconds on a monotonic clock (injectable for tests).
    public init(
        handle: FileHandle, style: Style, label: String = "sweep", interval: Double = 60,
        clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        self.handle = handle
        self.style = style
        self.label = label
        self.interval = interval
        self.clock = clock
        let start = clock()
        self.start = start
        self.state = Mutex(State(lastDraw: start))
    }

    /// A reporter on standard error: a bar when it is a terminal (`isatty(2)`), lines otherwise.
    public static func standardError(label: String = "sweep") -> ProgressReporter {
        ProgressReporter(
            handle: FileHandle.standardError, style: isatty(2) == 1 ? .bar : .lines, label: label)
    }

    /// Records progress and draws it when due; pass it as the runner's `progress` callback.
    public func update(_ progress: SweepProgress) {
        let now = clock()
        let text: String? = state.withLock { s in
            guard !s.finished else { return nil }
            let complete = progress.total > 0 && progress.done >= progress.total
            let tenth = progress.total > 0 ? progress.done * 10 / progress.total : 10
            let due: Bool
            switch style {
            case .bar: due = complete || now - s.lastDraw >= 0.1
            case .lines: due = complete || tenth > s.lastTenth || now - s.lastDraw >= interval
            }
            guard due else { return nil }
            s.lastDraw = now
            s.lastTenth = tenth
            s.finished = complete
            let elapsed = now - start
            switch style {
            case .bar: return "\r" + barText(progress, elapsed: elapsed) + (complete ? "\n" : "")
            case .lines: return lineText(progress, elapsed: elapsed) + "\n"
            }
        }
        if let text { handle.write(Data(text.utf8)) }
    }

    /// The redrawn bar (without the carriage return).
    func barText(_ p: SweepProgress, elapsed: Double) -> String {
        let width = 20
        let filled = p.total > 0 ? min(width, p.done * width / p.total) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var text = "\(label) [\(bar)] \(p.done)/\(p.total) \(percent(p))%"
        if p.failed > 0 { text += "  \(p.failed) failed" }
        if let eta = eta(p, elapsed: elapsed) { text += "  eta \(eta)" }
        return text
    }

    /// One status line (without the newline).
    func lineText(_ p: SweepProgress, elapsed: Double) -> String {
        var text = "\(label): \(p.done)/\(p.total) points (\(percent(p))%)"
        if p.failed > 0 { text += ", \(p.failed) failed" }
        text += ", elapsed \(durationText(elapsed))"
        if let eta = eta(p, elapsed: elapsed) { text += ", eta \(eta)" }
        return text
    }

    private func percent(_ p: SweepProgress) -> Int { p.total > 0 ? p.done * 100 / p.total : 100 }

    private func eta(_ p: SweepProgress, elapsed: Double) -> String? {
        guard p.done > 0, p.done < p.total, elapsed.isFinite, elapsed >= 0 else { return nil }
        return durationText(elapsed * Double(p.total - p.done) / Double(p.done))
    }
}

/// A duration as `42s`, `3m07s` or `2h05m`.
func durationText(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "?" }
    let s = Int(min(seconds, 1e9).rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m" + pad2(s % 60) + "s" }
    return "\(s / 3600)h" + pad2(s % 3600 / 60) + "m"
}

private func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
