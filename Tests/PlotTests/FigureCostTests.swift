import Foundation
import Testing
import Tensor
@testable import Plot

/// A figure's memory and work are put to the thread's run budget before it is laid out, drawn
/// or encoded, and an SVG's text again as it grows (docs/plots.md, "Cost").
@Suite("Limits: figures")
struct FigureCostTests {
    /// A budget refusing memory requests above `memory` bytes (or whose wording contains
    /// `refusing`) and work beyond `operations`; it records what it was asked.
    final class Budget: ResourceBudget, @unchecked Sendable {
        // Safety: used on the test's thread only.
        let memory: Int
        let refusing: String?
        var operations: Int
        var requests: [(bytes: Int?, what: String)] = []
        var spent = 0
        let isCancelled: Bool
        init(memory: Int = .max, refusing: String? = nil, operations: Int = .max, cancelled: Bool = false) {
            self.memory = memory
            self.refusing = refusing
            self.operations = operations
            isCancelled = cancelled
        }
        func memoryRefusal(bytes: Int?, for what: String) -> String? {
            requests.append((bytes, what))
            if let refusing, what.contains(refusing) { return "memory limit exceeded: \(what)" }
            guard let bytes, bytes <= memory else { return "memory limit exceeded: \(what) needs \(bytes ?? -1) bytes" }
            return nil
        }
        func spend(operations count: Int?, for what: @autoclosure () -> String) -> String? {
            guard let count, count <= operations else { return "step limit exceeded: \(what())" }
            operations -= count
            spent += count
            return nil
        }
        func affords(operations count: Int?) -> Bool { count.map { $0 <= operations } ?? false }
    }

    /// 16 panels of 4000×4000, four per row: a 16000×16000 PNG.
    static let huge = Figure(panels: Array(repeating: Panel(series: [Series(xs: [1, 2], ys: [1, 2])]), count: 16),
                             columns: 4, panelWidth: 4000, panelHeight: 4000)

    /// One line of `n` points.
    static func line(_ n: Int) -> Figure {
        Figure(panels: [Panel(series: [Series(xs: (0..<n).map(Double.init), ys: (0..<n).map { Double($0 % 7) })])])
    }

    /// The error `body` throws with `budget` installed on this thread (nil: none).
    static func refusal(_ budget: Budget, _ body: () throws -> Void) -> PlotError? {
        RunBudget.with(budget) {
            do { try body() } catch { return error as? PlotError }
            return nil
        }
    }

    @Test func aHugePNGIsRefusedBeforeItIsDrawn() throws {
        let budget = Budget(memory: 100_000_000)
        let error = try #require(Self.refusal(budget) { _ = try Self.huge.pngData() })
        #expect(error.description.contains("memory limit exceeded: a PNG figure of 16000×16000 pixels needs"), "\(error)")
        #expect(error.hint?.contains("lower width and height") == true)
        // 8 bytes per pixel, asked before anything was drawn: the one request made.
        #expect(budget.requests.count == 1)
        #expect((budget.requests.first?.bytes ?? 0) >= 8 * 16000 * 16000)
        #expect(budget.spent == 0)
    }

    @Test func anSVGOfManyPointsIsRefusedByItsPoints() throws {
        let budget = Budget(memory: 10_000_000)
        let error = try #require(Self.refusal(budget) { _ = try Self.line(1_000_000).svgString() })
        #expect(error.description.contains("an SVG figure of 1000000 points needs"), "\(error)")
        #expect(error.hint?.contains("plot fewer points") == true)
        #expect(budget.spent == 0)
    }

    /// The layout fits; the text is refused once it passes 4 MiB, before it grows further.
    @Test func anSVGsTextIsCheckedAsItGrows() throws {
        let budget = Budget(refusing: "the text of")
        let error = try #require(Self.refusal(budget) { _ = try Self.line(1_000_000).svgString() })
        #expect(error.description.contains("the text of an SVG figure of 1000000 points"), "\(error)")
        let text = try #require(budget.requests.last)
        #expect((text.bytes ?? 0) > AvailableMemory.uncheckedBytes && (text.bytes ?? .max) < 2 * AvailableMemory.uncheckedBytes)
    }

    /// Work: a vertex and a piece (the line) each, and one per pixel for a PNG.
    @Test func drawingIsChargedAsWork() throws {
        let figure = Self.line(1000)
        let budget = Budget()
        try RunBudget.with(budget) { () throws(PlotError) in
            _ = try figure.rendered(as: .svg)
            #expect(budget.spent == 1000 + 1)
            _ = try figure.rendered(as: .png)
        }
        #expect(budget.spent == 2 * (1000 + 1) + 480 * 360)
        let small = Budget(operations: 100_000)
        let error = try #require(Self.refusal(small) { _ = try figure.pngData() })
        #expect(error.description.contains("step limit exceeded: drawing a PNG figure of 480×360 pixels"), "\(error)")
        #expect(error.hint?.contains("Interpreter.limits") == true)
        let cancelled = Budget(cancelled: true)
        #expect(Self.refusal(cancelled) { _ = try figure.pngData() }.map { "\($0)" } == "cancelled")
    }

    /// Runs of drawable points are counted as the layout draws them: gaps split a line, a lone
    /// point counts two, a band counts its low and high, markers and error bars are pieces.
    @Test func countsFollowTheLayout() {
        var gappy = Series(xs: [1, 2, .nan, 4, .nan, 6, 7, 8], ys: [1, 2, 3, 4, 5, 6, 7, 8])
        gappy.marker = .circle
        gappy.errors = Array(repeating: 0.1, count: 8)
        var band = Series(xs: [1, 2, 3], ys: [2, 2, 2])
        band.bandLow = [1, 1, 1]
        let cost = FigureCost(Figure(panels: [Panel(yScale: .log10, series: [gappy, band, Series(xs: [1, 2], ys: [0, 1])])]))
        // gappy: runs [1, 2], [4], [6, 7, 8] → 2 + 2 + 3 vertices; band: 3 × 2; the log axis drops y = 0.
        #expect(cost.vertices == 7 + 6 + 2)
        // Runs 3 + 1 + 1, markers 6, error-bar strokes 3 × 8.
        #expect(cost.pieces == 5 + 6 + 24)
        #expect(FigureCost(Self.huge).pixels == 16000 * 16000)
    }
}
