import Plot
import Tensor

/// Figure features beyond plain lines: shared colours (`group`), markers, a second y-axis,
/// legend positions, and the builtins `scatter`, `band` and `heatmap` (see docs/plots.md).
enum FigureStyle {
    /// The style parameters `line`, `scatter` and `band` share, in this order.
    static let seriesParameters = [
        Parameter("group", default: .nil, doc: "series with the same group (a number or string) share one palette colour, e.g. a theory line and its data curve"),
        Parameter("marker", default: .nil, doc: "\"circle\", \"square\", \"triangle\" or \"cross\" at every point"),
        Parameter("axis", default: .string("left"), doc: "\"left\" or \"right\": the vertical axis the series is measured on"),
    ]

    static let secondAxisParameters = [
        Parameter("y2_label", default: .string(""), doc: "label of the right axis (used by series with axis: \"right\")"),
        Parameter("log_y2", default: .bool(false), doc: "a log scale on the right axis"),
        Parameter("y2_limits", default: .nil, doc: "[lo, hi] of the right axis"),
    ]

    static let legendDoc = "true (the corner covering the fewest points), false or \"none\", \"upper right\", \"upper left\", \"lower right\", \"lower left\", or \"outside\" (right of the plot)"

    /// `axis: "left" | "right"` of a series: the vertical axis it is measured on.
    enum SeriesAxis: String, ScriptOption {
        case left, right
    }

    /// Applies the arguments of ``seriesParameters``: group, marker and axis.
    static func apply(_ args: Arguments, to series: inout Series) throws {
        switch args["group"] {
        case .nil: break
        case .number(let x): series.group = Formatting.number(x)
        case .string(let s): series.group = s
        case let other: throw ScriptError("group must be a number or a string, got \(other.typeName)")
        }
        if case .nil = args["marker"] {} else { series.marker = try args.option("marker", as: Marker.self) }
        series.rightAxis = try args.option("axis", as: SeriesAxis.self) == .right
    }

    /// Applies the arguments of ``secondAxisParameters``: y2_label, log_y2 and y2_limits.
    static func applySecondAxis(_ args: Arguments, to panel: inout Panel) throws {
        panel.y2Label = try args.string("y2_label")
        panel.y2Scale = try args.bool("log_y2") ? .log10 : .linear
        panel.y2Limits = try PlotLibrary.limits(args["y2_limits"], "y2_limits")
    }

    /// The `legend:` argument: whether to draw it, and where.
    static func legend(_ value: Value) throws -> (Bool, LegendPosition) {
        switch value {
        case .bool(let show): return (show, .best)
        case .nil: return (false, .best)
        case .string("none"): return (false, .best)
        case .string(let name):
            guard let position = LegendPosition(rawValue: name) else {
                let names = ["none"] + LegendPosition.allCases.map(\.rawValue)
                throw ScriptError("unknown legend position \"\(name)\"",
                                  hint: Suggestions.didYouMean(name, among: names) ?? "legend is true, false or one of: \(names.joined(separator: ", "))")
            }
            return (true, position)
        default:
            throw ScriptError("legend must be true, false or a position string, got \(value.typeName)")
        }
    }

    /// A series' `color:` as `#RRGGBB` (``ColorText``), nil for the palette's.
    static func color(_ value: Value) throws -> String? {
        switch value {
        case .nil:
            return nil
        case .string(let c):
            guard let hex = ColorText.hex(c) else {
                throw ScriptError("color \(Formatting.repr(value)) is not a colour",
                                  hint: "give \"#rrggbb\" or \"#rgb\" in hex digits, or a CSS name such as \"red\", \"steelblue\" or \"gray\"")
            }
            return hex
        default:
            throw ScriptError("color must be a string like \"#0072B2\" or \"red\", got \(value.typeName)")
        }
    }

    static let builtins: [Builtin] = [
        Builtin(name: "scatter", doc: "A plot series of unjoined markers at (x[i], y[i]); errors: half-widths of vertical error bars. Goes in a panel's list like line(...).",
                parameters: [Parameter("x"), Parameter("y"), Parameter("label", default: .string("")),
                             Parameter("color", default: .nil), Parameter("size", default: .number(7), doc: "marker size in pixels"),
                             Parameter("errors", default: .nil)] + seriesParameters,
                example: """
                    let s = scatter([1, 2, 3], [2, 4, 5], label: "runs", marker: "square")
                    print(s)  # expect: line(runs, 3 points)
                    """) { args in
            let xs = try plotNumbers(args["x"], "x"), ys = try plotNumbers(args["y"], "y")
            guard xs.count == ys.count else { throw ScriptError("scatter needs as many x as y values, got \(xs.count) and \(ys.count)") }
            var errors: [Double]?
            if case .nil = args["errors"] {} else {
                errors = try plotNumbers(args["errors"], "errors")
                guard errors?.count == ys.count else { throw ScriptError("scatter needs one error half-width per y value") }
            }
            let size = try args.number("size")
            guard size > 0, size <= 100 else { throw ScriptError("size must be between 0 and 100 pixels, got \(Formatting.number(size))") }
            var series = Series(label: try args.string("label"), xs: xs, ys: ys, color: try color(args["color"]), errors: errors)
            series.drawsLine = false
            series.marker = .circle
            series.markerSize = size
            try apply(args, to: &series)
            return .object(SeriesObject(series))
        },
        Builtin(name: "band", doc: "A shaded band between lo[i] and hi[i] over x[i] (e.g. mean ± std across seeds), drawn under the lines of its panel; give it the group of its line to share the colour.",
                parameters: [Parameter("x"), Parameter("lo"), Parameter("hi"), Parameter("label", default: .string("")),
                             Parameter("color", default: .nil), Parameter("opacity", default: .number(0.25), doc: "fill opacity from 0 to 1")]
                    + seriesParameters,
                example: """
                    let m = [1, 2, 3]
                    let b = band([0, 1, 2], m - 0.5, m + 0.5, group: 1)
                    print(b)  # expect: line(unlabelled, 3 points)
                    """) { args in
            let xs = try plotNumbers(args["x"], "x"), lo = try plotNumbers(args["lo"], "lo"), hi = try plotNumbers(args["hi"], "hi")
            guard xs.count == lo.count, xs.count == hi.count else {
                throw ScriptError("band needs as many x, lo and hi values, got \(xs.count), \(lo.count) and \(hi.count)")
            }
            let opacity = try args.number("opacity")
            guard opacity >= 0, opacity <= 1 else { throw ScriptError("opacity must be between 0 and 1, got \(Formatting.number(opacity))") }
            var series = Series(label: try args.string("label"), xs: xs, ys: hi, color: try color(args["color"]))
            series.bandLow = lo
            series.bandOpacity = opacity
            try apply(args, to: &series)
            return .object(SeriesObject(series))
        },
        Builtin(name: "heatmap", doc: "A panel showing a matrix as coloured cells (row 0 at the top; viridis colours from the smallest to the largest value, or over limits: [lo, hi]) with a colour bar; put it in figure's list of panels.",
                parameters: [Parameter("M", doc: "the matrix (e.g. U Uᵀ or a mask)"), Parameter("title", default: .string("")),
                             Parameter("x_label", default: .string("")), Parameter("y_label", default: .string("")),
                             Parameter("limits", default: .nil, doc: "[lo, hi] of the colour scale")],
                example: """
                    let h = heatmap([1, 0; 0, 1], title: "identity")
                    print(h)  # expect: panel(identity, 0 lines)
                    """) { args in
            let m = try args.matrix("M")
            guard m.count <= 1_000_000 else {
                throw ScriptError("a heatmap of \(m.rows)×\(m.cols) cells is too large to draw (at most 10⁶ cells)",
                                  hint: "draw a block of it, e.g. M[0:500, 0:500]")
            }
            guard let heatmap = Heatmap(rows: m.rows, cols: m.cols, values: m.elements, limits: try PlotLibrary.limits(args["limits"], "limits")) else {
                throw ScriptError("the heatmap's values do not fill a \(m.rows)×\(m.cols) grid")
            }
            var panel = Panel(title: try args.string("title"), xLabel: try args.string("x_label"), yLabel: try args.string("y_label"), legend: false)
            panel.heatmap = heatmap
            return .object(PanelObject(panel))
        },
    ]
}

/// `marker: "circle" | "square" | "triangle" | "cross"` of the plot series.
extension Marker: ScriptOption {}
