import MSenseCore
import Foundation
import Plot
import Tensor
import Sensing

/// Plots from scripts: `line` makes a series, `panel` a set of axes, `figure` writes panels
/// to .svg and/or .png; `plot` is the one-call form for trace columns against step.
///
///     figure(["out/f.svg", "out/f.png"], [
///         panel([line(t.step, t.loss, label: "loss")], title: "loss", x_label: "step", log_y: true),
///     ], cols: 2, title: "…")
enum PlotLibrary {
    static func builtins(access: @escaping @Sendable () -> FileAccess) -> [Builtin] {
        [
            Builtin(name: "line", doc: "A plot series joining the points (x[i], y[i]); points that cannot be drawn (NaN, ≤ 0 on a log axis) break the line. errors: half-widths of vertical error bars (e.g. standard deviations).",
                    parameters: [Parameter("x"), Parameter("y"), Parameter("label", default: .string("")),
                                 Parameter("dashed", default: .bool(false)), Parameter("color", default: .nil),
                                 Parameter("width", default: .number(2)), Parameter("errors", default: .nil)]
                        + FigureStyle.seriesParameters,
                example: """
                    let l = line([1, 2, 3], [2, 4, 8], label: "doubling", dashed: true, errors: [0.1, 0.2, 0.4])
                    print(type(l))  # expect: line
                    """) { args in
                let xs = try plotNumbers(args["x"], "x")
                let ys = try plotNumbers(args["y"], "y")
                guard xs.count == ys.count else {
                    throw ScriptError("line needs as many x as y values, got \(xs.count) and \(ys.count)")
                }
                let color = try FigureStyle.color(args["color"])
                var errors: [Double]?
                if case .nil = args["errors"] {} else {
                    errors = try plotNumbers(args["errors"], "errors")
                    guard errors?.count == ys.count else {
                        throw ScriptError("line needs one error half-width per y value, got \(errors?.count ?? 0) for \(ys.count)")
                    }
                }
                var series = Series(label: try args.string("label"), xs: xs, ys: ys, color: color,
                                    width: try args.number("width"), dashed: try args.bool("dashed"), errors: errors)
                try FigureStyle.apply(args, to: &series)
                return .object(SeriesObject(series))
            },
            Builtin(name: "panel", doc: "A set of axes holding a list of lines, with optional title, axis labels, log scales and limits ([lo, hi]).",
                    parameters: [Parameter("lines"), Parameter("title", default: .string("")),
                                 Parameter("x_label", default: .string("")), Parameter("y_label", default: .string("")),
                                 Parameter("log_x", default: .bool(false)), Parameter("log_y", default: .bool(false)),
                                 Parameter("x_limits", default: .nil), Parameter("y_limits", default: .nil),
                                 Parameter("legend", default: .bool(true), doc: FigureStyle.legendDoc)]
                        + FigureStyle.secondAxisParameters,
                example: """
                    let p = panel([line([1, 10, 100], [1, 0.1, 0.01])], log_x: true, log_y: true, x_label: "step")
                    print(type(p))  # expect: panel
                    """) { args in
                let series = try args.list("lines").items.map { item -> Series in
                    guard case .object(let o as SeriesObject) = item else {
                        throw ScriptError("panel takes a list of line(...), scatter(...) and band(...) values, found \(item.typeName)",
                                          hint: item.object(as: PanelObject.self) != nil ? "heatmap(M) is a panel of its own: put it in figure's list of panels" : nil)
                    }
                    return o.series
                }
                let (showLegend, position) = try FigureStyle.legend(args["legend"])
                var panel = Panel(
                    title: try args.string("title"), xLabel: try args.string("x_label"), yLabel: try args.string("y_label"),
                    xScale: try args.bool("log_x") ? .log10 : .linear, yScale: try args.bool("log_y") ? .log10 : .linear,
                    xLimits: try limits(args["x_limits"], "x_limits"), yLimits: try limits(args["y_limits"], "y_limits"),
                    legend: showLegend, series: series)
                panel.legendPosition = position
                try FigureStyle.applySecondAxis(args, to: &panel)
                return .object(PanelObject(panel))
            },
            Builtin(name: "figure", doc: "Writes panels (laid out `cols` per row) to one path or a list of paths, each .svg or .png, atomically; returns the paths. Without paths (`figure([panel(…)])`) the host shows it instead (inline in Jupyter) and it returns nil.",
                    parameters: [Parameter("paths"), Parameter("panels", default: .nil), Parameter("cols", default: .number(1)),
                                 Parameter("title", default: .string("")), Parameter("width", default: .number(480)),
                                 Parameter("height", default: .number(360))],
                example: """
                    let l = line([1, 2, 3], [1, 4, 9], label: "squares")
                    figure("squares.svg", [panel([l], title: "squares")])
                    print("written")  # expect: written
                    """) { args in
                // figure([panels…]) and figure(nil, [panels…]) show the figure instead of writing it.
                let (paths, panelList): (Value, Value) = if case .nil = args["panels"] { (.nil, args["paths"]) } else { (args["paths"], args["panels"]) }
                guard case .list(let list) = panelList else {
                    throw ScriptError("figure needs a list of panel(...) values, found \(panelList.typeName)",
                                      hint: "figure(path, [panel(…)]) writes a file; figure([panel(…)]) shows the figure")
                }
                let figure = try Self.figure(try panels(list), cols: args.integer("cols"), title: args.string("title"),
                                             width: args.number("width"), height: args.number("height"))
                if case .nil = paths {
                    try DisplayLibrary.show(figure, args)
                    return .nil
                }
                return try write(figure, to: try oneOrMoreStrings(paths, "figure paths"), access: access())
            },
            Builtin(name: "plot", doc: "Plots trace columns against step into a file (.svg or .png): plot(run.trace, \"loss.png\", y: [\"loss\"], log_y: true). Without a path the host shows it instead (inline in Jupyter) and it returns nil.",
                    parameters: [Parameter("trace"), Parameter("path", default: .nil), Parameter("y", default: .list([.string("loss")])),
                                 Parameter("x", default: .string("step")), Parameter("log_y", default: .bool(false)),
                                 Parameter("title", default: .string(""))],
                example: """
                    seed(1)
                    let problem = sensing(psd(8, eigs: [1.0]), gaussian(m: 100, d: 8))
                    let run = gd(problem, init: small(8, 1, alpha: 1e-3), lr: 0.1, steps: 300, every: 10)
                    plot(run.trace, "loss.svg", y: ["loss", "rel_err"], log_y: true)
                    print("written")  # expect: written
                    """) { args in
                let trace = try args.object("trace", as: TraceObject.self, typeName: "trace").trace
                let xName = try args.string("x")
                let xs = try trace.column(xName)
                let names = try args.list("y").items.map { item -> String in
                    guard case .string(let s) = item else { throw ScriptError("y must be a list of column names") }
                    return s
                }
                let series = try names.map { name in
                    Series(label: name, xs: xs, ys: try trace.column(name))
                }
                let panel = Panel(title: try args.string("title"), xLabel: xName, yScale: try args.bool("log_y") ? .log10 : .linear, series: series)
                if case .nil = args["path"] {
                    try DisplayLibrary.show(Figure(panels: [panel]), args)
                    return .nil
                }
                return try write(Figure(panels: [panel]), to: [try args.string("path")], access: access())
            },
        ]
    }

    /// The panels of a `figure`/`show` list, or an error naming what else it holds.
    static func panels(_ list: ScriptList) throws -> [Panel] {
        try list.items.map { item -> Panel in
            guard case .object(let o as PanelObject) = item else {
                throw ScriptError("figure takes a list of panel(...) values, found \(item.typeName)")
            }
            return o.panel
        }
    }

    /// A figure of `panels`, `cols` per row, each `width`×`height` pixels (checked ranges).
    static func figure(_ panels: [Panel], cols: Int, title: String, width: Double, height: Double) throws -> Figure {
        guard (1...64).contains(cols) else { throw ScriptError("cols must be between 1 and 64, not \(cols)") }
        guard (50...4000).contains(width), (50...4000).contains(height) else {
            throw ScriptError("panel width and height must be between 50 and 4000 pixels")
        }
        return Figure(title: title, panels: panels, columns: cols, panelWidth: width, panelHeight: height)
    }

    /// Writes `figure` to each of `paths`. Every path is checked (sandbox, format) before any
    /// folder is created, and each file is drawn (its cost checked) before its folder is made.
    static func write(_ figure: Figure, to paths: [String], access: FileAccess) throws -> Value {
        let targets = try paths.map { path -> (URL, FigureFormat) in
            let url = try access.writable(path)
            guard let format = FigureFormat(url: url) else { throw PlotError.unsupportedFormat(path: path) }
            return (url, format)
        }
        for ((url, format), path) in zip(targets, paths) {
            let bytes = try figure.rendered(as: format)
            do { try FileSystem.createFolder(url.deletingLastPathComponent()) } catch {
                throw ScriptError("cannot create the folder for '\(path)': \(error.reason)")
            }
            do { try FileSystem.writeAtomically(Data(bytes), to: url) } catch {
                throw PlotError.write(path: url.path, problem: error.reason)
            }
        }
        return .list(paths.map(Value.string))
    }

    static func limits(_ value: Value, _ name: String) throws -> ClosedRange<Double>? {
        if case .nil = value { return nil }
        let bounds = try SensingLibrary.numbers(value, name)
        guard bounds.count == 2, bounds[0].isFinite, bounds[1].isFinite, bounds[0] < bounds[1] else {
            throw ScriptError("\(name) must be [lo, hi] with lo < hi")
        }
        return bounds[0]...bounds[1]
    }
}

/// A plot series (`line(...)`).
final class SeriesObject: TabledScriptObject {
    let series: Series
    init(_ series: Series) { self.series = series }
    var typeName: String { "line" }
    static let fields = FieldTable<SeriesObject>(["label": { .string($0.series.label) }])
    func describe() -> String { "line(\(series.label.isEmpty ? "unlabelled" : series.label), \(counted(series.xs.count, "point")))" }
}

/// A set of axes (`panel(...)`).
final class PanelObject: TabledScriptObject {
    let panel: Panel
    init(_ panel: Panel) { self.panel = panel }
    var typeName: String { "panel" }
    static let fields = FieldTable<PanelObject>(["title": { .string($0.panel.title) }])
    func describe() -> String { "panel(\(panel.title.isEmpty ? "untitled" : panel.title), \(counted(panel.series.count, "line")))" }
}

/// Plot coordinates: numbers as given, `nil` (an empty table cell, a rank never learned) as
/// NaN, which leaves a gap in the line.
func plotNumbers(_ value: Value, _ name: String) throws -> [Double] {
    if case .list(let list) = value {
        return try list.items.map { item in
            switch item {
            case .number(let x): return x
            case .nil: return .nan
            default: throw ScriptError("\(name) must hold numbers (nil leaves a gap), found \(item.typeName)")
            }
        }
    }
    return try SensingLibrary.numbers(value, name)
}
