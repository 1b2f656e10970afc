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
    /// A closed polygon filled with `fill` at `opacity`, clipped to `clip`.
    case polygon([Point], fill: String, opacity: Double, clip: Rect)
    /// A point marker of `size` pixels centred at the point.
    case marker(Point, Marker, size: Double, color: String)
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
///
/// Drawing order: grid and axes, shaded bands, lines, markers, error bars, legend. Series
/// without a colour take palette colours in order, except that series sharing a `group` share
/// the colour the group's first series took.
enum PanelLayout {
    static let axisColor = "#333333"
    static let gridColor = "#e5e5e5"

    /// The vertical values a series puts on its axis: points, error bar ends, band lows.
    private static func verticalValues(_ s: Series, xScale: Scale) -> [Double] {
        zip(s.xs, s.ys).filter { xScale == .linear || $0.0 > 0 }.map(\.1)
            + s.errorBars.flatMap { [$0.low, $0.high] }
            + zip(s.xs, s.bandLow ?? []).filter { xScale == .linear || $0.0 > 0 }.map(\.1)
    }

    /// The colour of every series: its own (as ``ColorText/hex(_:)`` reads it; black when it is
    /// not a colour), its group's, or the next palette colour.
    static func colors(_ series: [Series], colorIndex: inout Int) -> [String] {
        var groups: [String: String] = [:]
        return series.map { s in
            if let color = s.color { return ColorText.hex(color) ?? "#000000" }
            if let group = s.group, let known = groups[group] { return known }
            let color = Palette.color(colorIndex)
            colorIndex += 1
            if let group = s.group { groups[group] = color }
            return color
        }
    }

    static func primitives(_ panel: Panel, in cell: Rect, colorIndex: inout Int) -> [Primitive] {
        if let heatmap = panel.heatmap { return HeatmapLayout.primitives(panel, heatmap, in: cell) }
        var out: [Primitive] = []
        let left = panel.series.filter { !$0.rightAxis }, right = panel.series.filter(\.rightAxis)
        let xAxis = Axis(scale: panel.xScale, values: panel.series.flatMap { s in
            zip(s.xs, s.ys).filter { (s.rightAxis ? panel.y2Scale : panel.yScale) == .linear || $0.1 > 0 }.map(\.0) }, limits: panel.xLimits, pad: false)
        let yAxis = Axis(scale: panel.yScale, values: left.flatMap { verticalValues($0, xScale: panel.xScale) }, limits: panel.yLimits, pad: true)
        let y2Axis: Axis? = right.isEmpty ? nil
            : Axis(scale: panel.y2Scale, values: right.flatMap { verticalValues($0, xScale: panel.xScale) }, limits: panel.y2Limits, pad: true)
        let colors = colors(panel.series, colorIndex: &colorIndex)
        let entries = zip(panel.series, colors).compactMap { s, color in
            s.label.isEmpty ? nil : LegendEntry(label: s.label, color: color, series: s)
        }
        let showLegend = panel.legend && !entries.isEmpty

        let yTicks = yAxis.ticks
        let labelWidth = yTicks.map { FigureLayout.textWidth($0.label, size: 11) }.max() ?? 20
        let y2Ticks = y2Axis?.ticks ?? []
        let label2Width = y2Ticks.map { FigureLayout.textWidth($0.label, size: 11) }.max() ?? 0
        // Right of the plot area: the second axis's labels, then an outside legend.
        let axisRoom = y2Axis == nil ? 0 : label2Width + 10 + (panel.y2Label.isEmpty ? 0 : 18)
        var rightRoom = 16 + axisRoom
        if showLegend, panel.legendPosition == .outside { rightRoom += Legend.size(entries).width + 10 }
        let leftEdge = cell.x + 14 + (panel.yLabel.isEmpty ? 0 : 18) + labelWidth + 6
        let top = cell.y + (panel.title.isEmpty ? 14 : 34)
        let bottom = cell.y + cell.height - (panel.xLabel.isEmpty ? 30 : 48)
        let rightEdge = cell.x + cell.width - rightRoom
        let plot = Rect(x: leftEdge, y: top, width: max(rightEdge - leftEdge, 10), height: max(bottom - top, 10))

        func px(_ x: Double) -> Double { plot.x + xAxis.fraction(x) * plot.width }
        func py(_ y: Double, _ axis: Axis) -> Double { plot.y + plot.height - axis.fraction(y) * plot.height }

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
            let y = py(tick.value, yAxis)
            out.append(.line(Point(x: plot.x, y: y), Point(x: plot.x + plot.width, y: y), color: gridColor, width: 1))
            out.append(.line(Point(x: plot.x - 4, y: y), Point(x: plot.x, y: y), color: axisColor, width: 1))
            out.append(.text(tick.label, at: Point(x: plot.x - 7, y: y + 4), size: 11, anchor: .end,
                             vertical: false, color: axisColor, bold: false))
        }
        if let y2Axis {
            let x = plot.x + plot.width
            for tick in y2Ticks {
                let y = py(tick.value, y2Axis)
                out.append(.line(Point(x: x, y: y), Point(x: x + 4, y: y), color: axisColor, width: 1))
                out.append(.text(tick.label, at: Point(x: x + 7, y: y + 4), size: 11, anchor: .start,
                                 vertical: false, color: axisColor, bold: false))
            }
            if !panel.y2Label.isEmpty {
                out.append(.text(panel.y2Label, at: Point(x: x + label2Width + 24, y: plot.y + plot.height / 2), size: 12,
                                 anchor: .middle, vertical: true, color: "#000000", bold: false))
            }
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

        var drawn: [Point] = []
        // Bands first, under every line.
        for (series, color) in zip(panel.series, colors) {
            guard let lows = series.bandLow else { continue }
            let axis = series.rightAxis ? (y2Axis ?? yAxis) : yAxis
            var upper: [Point] = [], lower: [Point] = []
            func flush() {
                if upper.count >= 2 {
                    out.append(.polygon(upper + lower.reversed(), fill: color, opacity: series.bandOpacity, clip: plot))
                }
                upper = []
                lower = []
            }
            for ((x, hi), lo) in zip(zip(series.xs, series.ys), lows) {
                guard xAxis.canShow(x), axis.canShow(hi), axis.canShow(lo) else { flush(); continue }
                upper.append(Point(x: px(x), y: py(hi, axis)))
                lower.append(Point(x: px(x), y: py(lo, axis)))
                drawn.append(contentsOf: [upper[upper.count - 1], lower[lower.count - 1]])
            }
            flush()
        }
        // Lines and markers, broken at points that cannot be drawn.
        for (series, color) in zip(panel.series, colors) where series.bandLow == nil {
            let axis = series.rightAxis ? (y2Axis ?? yAxis) : yAxis
            var run: [Point] = []
            func flush() {
                if run.count == 1 { run.append(Point(x: run[0].x + 0.01, y: run[0].y)) }
                if run.count >= 2, series.drawsLine {
                    out.append(.polyline(run, color: color, width: series.width, dashed: series.dashed, clip: plot))
                }
                run = []
            }
            var points: [Point] = []
            for (x, y) in zip(series.xs, series.ys) {
                guard xAxis.canShow(x), axis.canShow(y) else { flush(); continue }
                let p = Point(x: px(x), y: py(y, axis))
                run.append(p)
                points.append(p)
            }
            flush()
            drawn += points
            if let marker = series.marker {
                for p in points where plot.contains(p) {
                    out.append(.marker(p, marker, size: series.markerSize, color: color))
                }
            }
            for bar in series.errorBars where xAxis.canShow(bar.x) {
                let low = axis.canShow(bar.low) ? bar.low : bar.high
                guard axis.canShow(low), axis.canShow(bar.high) else { continue }
                let x = px(bar.x), top = py(bar.high, axis), bottom = py(low, axis)
                out.append(.polyline([Point(x: x, y: top), Point(x: x, y: bottom)], color: color, width: 1.5, dashed: false, clip: plot))
                for y in [top, bottom] {
                    out.append(.polyline([Point(x: x - 4, y: y), Point(x: x + 4, y: y)], color: color, width: 1.5, dashed: false, clip: plot))
                }
            }
        }
        if drawn.isEmpty {
            out.append(.text("no data", at: Point(x: plot.x + plot.width / 2, y: plot.y + plot.height / 2), size: 12,
                             anchor: .middle, vertical: false, color: "#888888", bold: false))
        }
        if showLegend {
            out += Legend.primitives(entries, plot: plot, position: panel.legendPosition, outsideGap: axisRoom + 10, avoiding: drawn)
        }
        return out
    }
}

/// One legend line: a swatch in the series' style (line, dashes, marker, or band) and its label.
struct LegendEntry {
    let label: String
    let color: String
    let series: Series
}

/// A legend box in a corner of the plot (the one covering the fewest drawn points for `best`),
/// or outside, right of the plot area.
enum Legend {
    static func size(_ entries: [LegendEntry]) -> (width: Double, height: Double) {
        ((entries.map { FigureLayout.textWidth($0.label, size: 11) }.max() ?? 0) + 40, Double(entries.count) * 17 + 8)
    }

    /// `outsideGap`: the distance from the plot's right edge to an outside legend.
    static func primitives(_ entries: [LegendEntry], plot: Rect, position: LegendPosition, outsideGap: Double, avoiding points: [Point]) -> [Primitive] {
        let (width, height) = size(entries)
        let inset = 6.0
        let upperRight = Rect(x: plot.x + plot.width - width - inset, y: plot.y + inset, width: width, height: height)
        let upperLeft = Rect(x: plot.x + inset, y: plot.y + inset, width: width, height: height)
        let lowerRight = Rect(x: plot.x + plot.width - width - inset, y: plot.y + plot.height - height - inset, width: width, height: height)
        let lowerLeft = Rect(x: plot.x + inset, y: plot.y + plot.height - height - inset, width: width, height: height)
        let box: Rect
        switch position {
        case .best:
            box = [upperRight, upperLeft, lowerRight, lowerLeft].min { a, b in
                points.lazy.filter(a.contains).count < points.lazy.filter(b.contains).count
            } ?? upperRight
        case .upperRight: box = upperRight
        case .upperLeft: box = upperLeft
        case .lowerRight: box = lowerRight
        case .lowerLeft: box = lowerLeft
        case .outside: box = Rect(x: plot.x + plot.width + outsideGap, y: plot.y, width: width, height: height)
        }
        var out: [Primitive] = [.rect(box, stroke: "#bbbbbb", fill: "#ffffff", width: 1)]
        for (i, entry) in entries.enumerated() {
            let y = box.y + 13 + Double(i) * 17
            let s = entry.series
            if s.bandLow != nil {
                out.append(.polygon([Point(x: box.x + 6, y: y - 9), Point(x: box.x + 28, y: y - 9), Point(x: box.x + 28, y: y + 1), Point(x: box.x + 6, y: y + 1)],
                                    fill: entry.color, opacity: s.bandOpacity, clip: box))
            } else {
                if s.drawsLine {
                    out.append(.polyline([Point(x: box.x + 6, y: y - 4), Point(x: box.x + 28, y: y - 4)],
                                         color: entry.color, width: 2, dashed: s.dashed, clip: box))
                }
                if let marker = s.marker {
                    out.append(.marker(Point(x: box.x + 17, y: y - 4), marker, size: min(s.markerSize, 10), color: entry.color))
                }
            }
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
