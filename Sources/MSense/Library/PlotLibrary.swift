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
                        + FigureStyle.seriesParameters) { args in
                let xs = try plotNumbers(args[0], "x")
                let ys = try plotNumbers(args[1], "y")
                guard xs.count == ys.count else {
                    throw ScriptError("line needs as many x as y values, got \(xs.count) and \(ys.count)")
                }
                var color: String?
                if case .string(let c) = args[4] { color = c }
                var errors: [Double]?
                if case .nil = args[6] {} else {
                    errors = try plotNumbers(args[6], "errors")
                    guard errors?.count == ys.count else {
                        throw ScriptError("line needs one error half-width per y value, got \(errors?.count ?? 0) for \(ys.count)")
                    }
                }
                var series = Series(label: try args.string(2), xs: xs, ys: ys, color: color,
                                    width: try args.number(5), dashed: try args.bool(3), errors: errors)
                try FigureStyle.apply(args, from: 7, to: &series)
                return .object(SeriesObject(series))
            },
            Builtin(name: "panel", doc: "A set of axes holding a list of lines, with optional title, axis labels, log scales and limits ([lo, hi]).",
                    parameters: [Parameter("lines"), Parameter("title", default: .string("")),
                                 Parameter("x_label", default: .string("")), Parameter("y_label", default: .string("")),
                                 Parameter("log_x", default: .bool(false)), Parameter("log_y", default: .bool(false)),
                                 Parameter("x_limits", default: .nil), Parameter("y_limits", default: .nil),
                                 Parameter("legend", default: .bool(true), doc: FigureStyle.legendDoc)]
                        + FigureStyle.secondAxisParameters) { args in
                let series = try args.list(0).items.map { item -> Series in
                    guard case .object(let o as SeriesObject) = item else {
                        throw ScriptError("panel takes a list of line(...), scatter(...) and band(...) values, found \(item.typeName)",
                                          hint: item.typeName == "panel" ? "heatmap(M) is a panel of its own: put it in figure's list of panels" : nil)
                    }
                    return o.series
                }
                let (showLegend, position) = try FigureStyle.legend(args[8])
                var panel = Panel(
                    title: try args.string(1), xLabel: try args.string(2), yLabel: try args.string(3),
                    xScale: try args.bool(4) ? .log10 : .linear, yScale: try args.bool(5) ? .log10 : .linear,
                    xLimits: try limits(args[6], "x_limits"), yLimits: try limits(args[7], "y_limits"),
                    legend: showLegend, series: series)
                panel.legendPosition = position
                try FigureStyle.applySecondAxis(args, from: 9, to: &panel)
                return .object(PanelObject(panel))
            },
            Builtin(name: "figure", doc: "Writes panels (laid out `cols` per row) to one path or a list of paths, each .svg or .png, atomically; returns the paths. Without paths (`figure([panel(…)])`) the host shows it instead (inline in Jupyter) and it returns nil.",
                    parameters: [Parameter("paths"), Parameter("panels", default: .nil), Parameter("cols", default: .number(1)),
                                 Parameter("title", default: .string("")), Parameter("width", default: .number(480)),
                                 Parameter("height", default: .number(360))]) { args in
                // figure([panels…]) and figure(nil, [panels…]) show the figure instead of writing it.
                let (paths, panelList): (Value, Value) = if case .nil = args[1] { (.nil, args[0]) } else { (args[0], args[1]) }
                guard case .list(let list) = panelList else {
                    throw ScriptError("figure needs a list of panel(...) values, found \(panelList.typeName)",
                                      hint: "figure(path, [panel(…)]) writes a file; figure([panel(…)]) shows the figure")
                }
                let figure = try Self.figure(try panels(list), cols: args.integer(2), title: args.string(3),
                                             width: args.number(4), height: args.number(5))
                if case .nil = paths {
                    try DisplayLibrary.show(figure, args)
                    return .nil
                }
                return try write(figure, to: try oneOrMoreStrings(paths, "figure paths"), access: access())
            },
            Builtin(name: "plot", doc: "Plots trace columns against step into a file (.svg or .png): plot(run.trace, \"loss.png\", y: [\"loss\"], log_y: true). Without a path the host shows it instead (inline in Jupyter) and it returns nil.",
                    parameters: [Parameter("trace"), Parameter("path", default: .nil), Parameter("y", default: .list([.string("loss")])),
                                 Parameter("x", default: .string("step")), Parameter("log_y", default: .bool(false)),
                                 Parameter("title", default: .string(""))]) { args in
                let trace = try args.object(0, as: TraceObject.self, typeName: "trace").trace
                let xName = try args.string(3)
                let xs = try sensing { () throws in try trace.column(xName) }
                let names = try args.list(2).items.map { item -> String in
                    guard case .string(let s) = item else { throw ScriptError("y must be a list of column names") }
                    return s
                }
                let series = try names.map { name in
                    Series(label: name, xs: xs, ys: try sensing { () throws in try trace.column(name) })
                }
                let panel = Panel(title: try args.string(5), xLabel: xName, yScale: try args.bool(4) ? .log10 : .linear, series: series)
                if case .nil = args[1] {
                    try DisplayLibrary.show(Figure(panels: [panel]), args)
                    return .nil
                }
                return try write(Figure(panels: [panel]), to: [try args.string(1)], access: access())
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

    static func write(_ figure: Figure, to paths: [String], access: FileAccess) throws -> Value {
        for path in paths {
            let url = try access.writable(path)
            do { try FileSystem.createFolder(url.deletingLastPathComponent()) } catch {
                throw ScriptError("cannot create the folder for '\(path)': \(error.reason)")
            }
            do { try figure.write(to: url) } catch { throw ScriptError(error.description) }
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
final class SeriesObject: ScriptObject {
    let series: Series
    init(_ series: Series) { self.series = series }
    var typeName: String { "line" }
    var fieldNames: [String] { ["label"] }
    func field(named name: String) throws -> Value? { name == "label" ? .string(series.label) : nil }
    func describe() -> String { "line(\(series.label.isEmpty ? "unlabelled" : series.label), \(series.xs.count) points)" }
}

/// A set of axes (`panel(...)`).
final class PanelObject: ScriptObject {
    let panel: Panel
    init(_ panel: Panel) { self.panel = panel }
    var typeName: String { "panel" }
    var fieldNames: [String] { ["title"] }
    func field(named name: String) throws -> Value? { name == "title" ? .string(panel.title) : nil }
    func describe() -> String { "panel(\(panel.title.isEmpty ? "untitled" : panel.title), \(panel.series.count) lines)" }
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
