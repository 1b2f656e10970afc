import Foundation
import Synchronization
import Testing
@testable import Sweep

/// The progress reporter: a redrawn bar on a terminal, sparse plain lines elsewhere.
@Suite("Progress reporter")
struct ReporterTests {
    /// Feeds `updates` (at the given clock times) to a reporter writing into a file; returns the text.
    static func written(style: ProgressReporter.Style, interval: Double = 60, _ updates: [(Double, SweepProgress)]) throws -> String {
        let folder = try TestFolder()
        let url = folder.url.appendingPathComponent("progress.txt")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        let now = Mutex(0.0)
        let reporter = ProgressReporter(
            handle: handle, style: style, interval: interval, clock: { now.withLock { $0 } })
        for (time, progress) in updates {
            now.withLock { $0 = time }
            reporter.update(progress)
        }
        try handle.close()
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func linesEveryTenthAndAtTheEnd() throws {
        let updates = (1...100).map { (Double($0), SweepProgress(done: $0, total: 100, failed: $0 >= 50 ? 1 : 0)) }
        let text = try Self.written(style: .lines, updates)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 10)
        #expect(!text.contains("\r"))
        #expect(lines.first == "sweep: 10/100 points (10%), elapsed 10s, eta 1m30s")
        #expect(lines.last == "sweep: 100/100 points (100%), 1 failed, elapsed 1m40s")
    }

    @Test func linesAlsoAfterTheIntervalWhenSlow() throws {
        // 1000 points, one per 10 s: a tenth takes 1000 s, so the 300 s interval sets the pace.
        let updates = (1...250).map { (Double($0) * 10, SweepProgress(done: $0, total: 1000, failed: 0)) }
        let lines = try Self.written(style: .lines, interval: 300, updates).split(separator: "\n")
        #expect(lines.count == 9)  // every 300 s since the last line, and at the tenths (points 100 and 200)
        #expect(lines.contains("sweep: 100/1000 points (10%), elapsed 16m40s, eta 2h30m"))
    }

    @Test func barRedrawsWithCarriageReturnsAndEndsWithNewline() throws {
        let updates = (1...4).map { (Double($0), SweepProgress(done: $0, total: 4, failed: 0)) }
        let text = try Self.written(style: .bar, updates)
        #expect(text.components(separatedBy: "\r").count == 5)
        #expect(text.hasSuffix("\rsweep [####################] 4/4 100%\n"))
        #expect(text.contains("\rsweep [##########----------] 2/4 50%  eta 2s"))
    }

    @Test func durations() {
        #expect(durationText(0) == "0s" && durationText(59.4) == "59s" && durationText(187) == "3m07s")
        #expect(durationText(7500) == "2h05m" && durationText(.nan) == "?")
    }
}
