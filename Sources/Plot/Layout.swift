import Foundation

/// A point in pixels, origin at the top left.
struct Point: Equatable {
    var x: Double
    var y: Double
}

/// A rectangle in pixels.
struct Rect: Hashable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    func contains(_ p: Point) -> Bool {
        p.x >= x && p.x <= x + width && p.y >= y && p.y <= y + height
    }
}

/// Horizontal alignment of text relative to its anchor point.
enum TextAnchor {
    case start, middle, end
}

/// What the back ends draw: the whole figure reduced to a few kinds of marks.
enum Primitive {
    case rect(Rect, stroke: String?, fill: String?, width: Double)
    case line(Point, Point, color: String, width: Double)
    /// A connected line, clipped to `clip`.
    case polyline([Point], color: String, width: Double, dashed: Bool, clip: Rect)
    /// Text whose baseline-middle sits at `at`; `vertical` rotates it 90° counter-clockwise.
    case text(String, at: Point, size: Double, anchor: TextAnchor, vertical: Bool, color: String, bold: Bool)
}

/// The laid-out figure: size and the primitives in drawing order.
struct FigureLayout {
    let width: Double
    let height: Double
    private(set) var primitives: [Primitive] = []

    /// The font size, at most `size`, at which `text` fits in `room` pixels (never below 8).
    static func fitting(_ text: String, _ size: Double, _ room: Double) -> Double {
        let needed = textWidth(text, size: size)
        return needed <= room ? size : max(8, size * room / needed)
    }

    /// Approximate width of `text` at `size` in a sans-serif font (both back ends use it).
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.56
    }

    init(_ figure: Figure) {
        let size = figure.size
        width = size.width
        height = size.height
        primitives.append(.rect(Rect(x: 0, y: 0, width: width, height: height), stroke: nil, fill: "#ffffff", width: 0))
        if !figure.title.isEmpty {
            primitives.append(.text(figure.title, at: Point(x: width / 2, y: 23), size: FigureLayout.fitting(figure.title, 16, width - 20), anchor: .middle,
                                    vertical: false, color: "#000000", bold: true))
        }
        for (i, panel) in figure.panels.enumerated() {
            // Colours restart in every panel, so "series k" has the same colour across panels.
            var colorIndex = 0
            let cell = Rect(x: Double(i % figure.columns) * figure.panelWidth,
                            y: figure.titleHeight + Double(i / figure.columns) * figure.panelHeight,
                            width: figure.panelWidth, height: figure.panelHeight)
            primitives += PanelLayout.primitives(panel, in: cell, colorIndex: &colorIndex)
        }
    }
}

/// Lays out one panel inside its cell.
enum PanelLayout {
    static let axisColor = "#333333"
    static let gridColor = "#e5e5e5"

    static func primitives(_ panel: Panel, in cell: Rect, colorIndex: inout Int) -> [Primitive] {
        var out: [Primitive] = []
        let xAxis = Axis(scale: panel.xScale, values: panel.series.flatMap { s in
            zip(s.xs, s.ys).filter { panel.yScale == .linear || $0.1 > 0 }.map(\.0) }, limits: panel.xLimits, pad: false)
        let yAxis = Axis(scale: panel.yScale, values: panel.series.flatMap { s in
            zip(s.xs, s.ys).filter { panel.xScale == .linear || $0.0 > 0 }.map(\.1)
                + s.errorBars.flatMap { [$0.low, $0.high] } }, limits: panel.yLimits, pad: true)

        let yTicks = yAxis.ticks
        let labelWidth = yTicks.map { FigureLayout.textWidth($0.label, size: 11) }.max() ?? 20
        let left = cell.x + 14 + (panel.yLabel.isEmpty ? 0 : 18) + labelWidth + 6
        let top = cell.y + (panel.title.isEmpty ? 14 : 34)
        let bottom = cell.y + cell.height - (panel.xLabel.isEmpty ? 30 : 48)
        let right = cell.x + cell.width - 16
        let plot = Rect(x: left, y: top, width: max(right - left, 10), height: max(bottom - top, 10))

        func px(_ x: Double) -> Double { plot.x + xAxis.fraction(x) * plot.width }
        func py(_ y: Double) -> Double { plot.y + plot.height - yAxis.fraction(y) * plot.height }

        if !panel.title.isEmpty {
            out.append(.text(panel.title, at: Point(x: plot.x + plot.width / 2, y: cell.y + 22),
                             size: FigureLayout.fitting(panel.title, 13, cell.width - 20),
                             anchor: .middle, vertical: false, color: "#000000", bold: true))
        }
        // Grid and ticks.
        for tick in xAxis.ticks {
            let x = px(tick.value)
            out.append(.line(Point(x: x, y: plot.y), Point(x: x, y: plot.y + plot.height), color: gridColor, width: 1))
            out.append(.line(Point(x: x, y: plot.y + plot.height), Point(x: x, y: plot.y + plot.height + 4), color: axisColor, width: 1))
            out.append(.text(tick.label, at: Point(x: x, y: plot.y + plot.height + 17), size: 11, anchor: .middle,
                             vertical: false, color: axisColor, bold: false))
        }
        for tick in yTicks {
            let y = py(tick.value)
            out.append(.line(Point(x: plot.x, y: y), Point(x: plot.x + plot.width, y: y), color: gridColor, width: 1))
            out.append(.line(Point(x: plot.x - 4, y: y), Point(x: plot.x, y: y), color: axisColor, width: 1))
            out.append(.text(tick.label, at: Point(x: plot.x - 7, y: y + 4), size: 11, anchor: .end,
                             vertical: false, color: axisColor, bold: false))
        }
        out.append(.rect(plot, stroke: axisColor, fill: nil, width: 1))
        if !panel.xLabel.isEmpty {
            out.append(.text(panel.xLabel, at: Point(x: plot.x + plot.width / 2, y: plot.y + plot.height + 36), size: 12,
                             anchor: .middle, vertical: false, color: "#000000", bold: false))
        }
        if !panel.yLabel.isEmpty {
            out.append(.text(panel.yLabel, at: Point(x: cell.x + 18, y: plot.y + plot.height / 2), size: 12,
                             anchor: .middle, vertical: true, color: "#000000", bold: false))
        }

        // Series, broken at points that cannot be drawn.
        var legend: [(String, String, Bool)] = []
        var drawn: [Point] = []
        for series in panel.series {
            let color = series.color ?? Palette.color(colorIndex)
            if series.color == nil { colorIndex += 1 }
            var run: [Point] = []
            func flush() {
                if run.count == 1 { run.append(Point(x: run[0].x + 0.01, y: run[0].y)) }
                if run.count >= 2 {
                    out.append(.polyline(run, color: color, width: series.width, dashed: series.dashed, clip: plot))
                }
                run = []
            }
            for (x, y) in zip(series.xs, series.ys) {
                guard xAxis.canShow(x), yAxis.canShow(y) else { flush(); continue }
                let p = Point(x: px(x), y: py(y))
                run.append(p)
                drawn.append(p)
            }
            flush()
            for bar in series.errorBars where xAxis.canShow(bar.x) {
                let low = yAxis.canShow(bar.low) ? bar.low : bar.high
                guard yAxis.canShow(low), yAxis.canShow(bar.high) else { continue }
                let x = px(bar.x), top = py(bar.high), bottom = py(low)
                out.append(.polyline([Point(x: x, y: top), Point(x: x, y: bottom)], color: color, width: 1.5, dashed: false, clip: plot))
                for y in [top, bottom] {
                    out.append(.polyline([Point(x: x - 4, y: y), Point(x: x + 4, y: y)], color: color, width: 1.5, dashed: false, clip: plot))
                }
            }
            if !series.label.isEmpty { legend.append((series.label, color, series.dashed)) }
        }
        if drawn.isEmpty {
            out.append(.text("no data", at: Point(x: plot.x + plot.width / 2, y: plot.y + plot.height / 2), size: 12,
                             anchor: .middle, vertical: false, color: "#888888", bold: false))
        }
        if panel.legend, !legend.isEmpty {
            out += Legend.primitives(legend, plot: plot, avoiding: drawn)
        }
        return out
    }
}

/// A legend box placed in the corner of the plot that covers the fewest drawn points.
enum Legend {
    static func primitives(_ entries: [(label: String, color: String, dashed: Bool)], plot: Rect, avoiding points: [Point]) -> [Primitive] {
        let width = (entries.map { FigureLayout.textWidth($0.label, size: 11) }.max() ?? 0) + 40
        let height = Double(entries.count) * 17 + 8
        let inset = 6.0
        let corners = [
            Rect(x: plot.x + plot.width - width - inset, y: plot.y + inset, width: width, height: height),
            Rect(x: plot.x + inset, y: plot.y + inset, width: width, height: height),
            Rect(x: plot.x + plot.width - width - inset, y: plot.y + plot.height - height - inset, width: width, height: height),
            Rect(x: plot.x + inset, y: plot.y + plot.height - height - inset, width: width, height: height),
        ]
        let box = corners.min { a, b in
            points.lazy.filter(a.contains).count < points.lazy.filter(b.contains).count
        } ?? corners[0]
        var out: [Primitive] = [.rect(box, stroke: "#bbbbbb", fill: "#ffffff", width: 1)]
        for (i, entry) in entries.enumerated() {
            let y = box.y + 13 + Double(i) * 17
            out.append(.polyline([Point(x: box.x + 6, y: y - 4), Point(x: box.x + 28, y: y - 4)],
                                 color: entry.color, width: 2, dashed: entry.dashed, clip: box))
            out.append(.text(entry.label, at: Point(x: box.x + 33, y: y), size: 11, anchor: .start,
                             vertical: false, color: "#000000", bold: false))
        }
        return out
    }
}

/// The colour-blind-safe Okabe–Ito palette (black moved last), cycled.
enum Palette {
    static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
    static func color(_ i: Int) -> String { colors[((i % colors.count) + colors.count) % colors.count] }
}
