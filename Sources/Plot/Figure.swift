import Foundation
import Tensor

/// How an axis maps data to position.
public enum Scale: Sendable, Equatable {
    /// Position proportional to the value.
    case linear
    /// Position proportional to log₁₀ of the value; non-positive values are not drawn.
    case log10
}

/// One line in a panel: points `(xs[i], ys[i])` joined in order.
///
/// Points with a non-finite coordinate (or a non-positive one on a log axis) are skipped and
/// break the line, so gaps in the data show as gaps.
public struct Series: Sendable {
    /// The legend entry; an empty label keeps the series out of the legend.
    public var label: String
    /// Horizontal coordinates.
    public var xs: [Double]
    /// Vertical coordinates (paired with `xs`; extra values of the longer list are ignored).
    public var ys: [Double]
    /// The colour: `#rrggbb`, `#rgb` or a CSS name (``ColorText``; anything else draws black);
    /// `nil` takes the next palette colour.
    public var color: String?
    /// Line width in pixels.
    public var width: Double
    /// Whether the line is dashed.
    public var dashed: Bool
    /// Error bars: point i gets a vertical bar from `ys[i] − errors[i]` to `ys[i] + errors[i]`
    /// with caps (e.g. one standard deviation across seeds); nil for none. A non-finite or
    /// negative half-width draws no bar at that point.
    public var errors: [Double]?
    /// Series with the same group share one palette colour (a theory line and its data curve);
    /// nil takes the next palette colour.
    public var group: String?
    /// A marker drawn at every point (a scatter plot when `drawsLine` is false).
    public var marker: Marker?
    /// Marker size in pixels (the width of its box).
    public var markerSize: Double = 7
    /// Whether the points are joined by a line.
    public var drawsLine: Bool = true
    /// A shaded band: when set, the region between these lower values and `ys` (the upper
    /// values) is filled at `bandOpacity`, and no line is drawn.
    public var bandLow: [Double]?
    /// The band's fill opacity, 0…1.
    public var bandOpacity: Double = 0.25
    /// Whether the series is measured on the panel's second (right) vertical axis.
    public var rightAxis: Bool = false

    /// A series of points joined by a solid 2-pixel line in the next palette colour.
    public init(label: String = "", xs: [Double], ys: [Double], color: String? = nil,
                width: Double = 2, dashed: Bool = false, errors: [Double]? = nil) {
        self.label = label
        self.xs = xs
        self.ys = ys
        self.color = color
        self.width = width
        self.dashed = dashed
        self.errors = errors
    }

    /// The error bars' ends `(x, low, high)` that can be drawn.
    var errorBars: [(x: Double, low: Double, high: Double)] {
        guard let errors else { return [] }
        return zip(zip(xs, ys), errors).compactMap { point, e in
            guard e.isFinite, e >= 0, point.0.isFinite, point.1.isFinite else { return nil }
            return (point.0, point.1 - e, point.1 + e)
        }
    }
}

/// One set of axes: a title, axis labels and scales, and the series drawn in it.
public struct Panel: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    /// Fixed axis limits; `nil` fits the data.
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    /// Whether to draw a legend for the labelled series.
    public var legend: Bool
    /// Where the legend goes (when `legend` is true).
    public var legendPosition: LegendPosition = .best
    public var series: [Series]
    /// The second vertical axis (on the right), used by series with `rightAxis`.
    public var y2Label: String = ""
    public var y2Scale: Scale = .linear
    public var y2Limits: ClosedRange<Double>?
    /// A matrix drawn as coloured cells with a colour bar; the panel then shows only it.
    public var heatmap: Heatmap?

    /// A panel with linear axes fitted to its series and a legend.
    public init(title: String = "", xLabel: String = "", yLabel: String = "",
                xScale: Scale = .linear, yScale: Scale = .linear,
                xLimits: ClosedRange<Double>? = nil, yLimits: ClosedRange<Double>? = nil,
                legend: Bool = true, series: [Series] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.xLimits = xLimits
        self.yLimits = yLimits
        self.legend = legend
        self.series = series
    }
}

/// A figure: panels on a grid (filled row by row), an optional overall title, and a size.
///
/// The same layout feeds both outputs: ``svgString()`` (text) and PNG through cairo, so the
/// two files show the same picture.
public struct Figure: Sendable {
    public var title: String
    public var panels: [Panel]
    /// Panels per row.
    public var columns: Int
    /// Size of one panel cell in pixels; the figure is `columns × rows` cells plus the title.
    public var panelWidth: Double
    public var panelHeight: Double

    /// A figure of `panels`, `columns` per row, each cell 480×360 pixels by default.
    public init(title: String = "", panels: [Panel], columns: Int = 1,
                panelWidth: Double = 480, panelHeight: Double = 360) {
        self.title = title
        self.panels = panels
        self.columns = max(1, columns)
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
    }

    /// Number of panel rows.
    public var rows: Int { max(1, (panels.count + columns - 1) / columns) }

    /// Height of the title band (zero without a title).
    var titleHeight: Double { title.isEmpty ? 0 : 34 }

    /// Total size in pixels.
    public var size: (width: Double, height: Double) {
        (Double(columns) * panelWidth, Double(rows) * panelHeight + titleHeight)
    }

    /// The figure as standalone SVG text, once its cost fits (`FigureCost`: the machine's
    /// memory, and the host's limits when a script draws it).
    public func svgString() throws(PlotError) -> String {
        try svgString(FigureCost(self))
    }

    private func svgString(_ cost: FigureCost) throws(PlotError) -> String {
        try cost.require(.svg)
        return try SVGRenderer.render(FigureLayout(self), what: cost.description(.svg))
    }

    /// The figure as the bytes of a PNG file (for hosts that show figures inline), once its
    /// cost fits (`FigureCost`).
    public func pngData() throws(PlotError) -> [UInt8] {
        try FigureCost(self).require(.png)
        return try PNGRenderer.data(FigureLayout(self))
    }

    /// The bytes of the figure's file in `format`, once its cost fits (`FigureCost`; an SVG's
    /// text is checked again before it is copied into the bytes).
    public func rendered(as format: FigureFormat) throws(PlotError) -> [UInt8] {
        switch format {
        case .svg:
            let cost = FigureCost(self)
            let text = try svgString(cost)
            let count = text.utf8.count
            if let problem = AvailableMemory.refusal(bytes: count, for: "the \(count) bytes of \(cost.description(.svg))") {
                throw .tooLarge(problem: problem, hint: FigureCost.hint(.svg))
            }
            return Array(text.utf8)
        case .png:
            return try pngData()
        }
    }

    /// Writes the figure to `url` as SVG (`.svg`) or PNG (`.png`), atomically.
    public func write(to url: URL) throws(PlotError) {
        guard let format = FigureFormat(url: url) else { throw .unsupportedFormat(path: url.path) }
        let bytes = try rendered(as: format)
        do { try FileSystem.writeAtomically(Data(bytes), to: url) } catch {
            throw .write(path: url.path, problem: error.reason)
        }
    }
}

/// Why a figure could not be drawn or written.
public enum PlotError: Error, Sendable, CustomStringConvertible {
    /// The file name does not end in `.svg` or `.png`.
    case unsupportedFormat(path: String)
    /// The file could not be written (the message names the path and the reason).
    case write(path: String, problem: String)
    /// The figure needs more memory or work than the machine or the host's limits allow
    /// (`problem` names the figure's size and the limit; `hint` how to make it smaller).
    case tooLarge(problem: String, hint: String)
    /// The host cancelled the run before the figure was drawn.
    case cancelled

    public var description: String {
        switch self {
        case .unsupportedFormat(let path):
            "cannot write '\(path)': figures are written as .svg or .png"
        case .write(let path, let problem):
            "cannot write '\(path)': \(problem)"
        case .tooLarge(let problem, _):
            "cannot draw the figure: \(problem)"
        case .cancelled:
            "cancelled"
        }
    }
}

extension PlotError: ExplainedError {
    /// How to make a figure that is too large fit.
    public var hint: String? {
        if case .tooLarge(_, let hint) = self { return hint }
        return nil
    }
}
