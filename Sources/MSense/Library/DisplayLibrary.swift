import MSenseCore
import Plot

/// Figures shown by the host instead of written to a file: `show(...)`, and `figure` or `plot`
/// called without a path. The host receives PNG and SVG renderings (``Interpreter/onDisplay``);
/// a Jupyter notebook puts them under the cell.
enum DisplayLibrary {
    static let builtins: [Builtin] = [
        Builtin(name: "show", doc: "Shows panels (a panel, a list of panels, or a line) as a figure in the host's display, e.g. inline in a Jupyter notebook; returns true when shown and false when the host displays nothing (a script run by `msense`).",
                parameters: [Parameter("panels", doc: "a panel(...), a list of panels, or a single line(...)"),
                             Parameter("cols", default: .number(1), doc: "panels per row"),
                             Parameter("title", default: .string(""), doc: "the figure's title"),
                             Parameter("width", default: .number(480), doc: "width of each panel in pixels (50 to 4000)"),
                             Parameter("height", default: .number(360), doc: "height of each panel in pixels (50 to 4000)")],
                example: """
                    let p = panel([line([0, 1, 2], [1, 4, 9], label: "squares")], title: "squares")
                    # Inline in a notebook; a script run by `msense` has no display, so it returns false.
                    print(show(p))  # expect: false
                    """) { args in
            let panels = try showable(args["panels"])
            let figure = try PlotLibrary.figure(panels, cols: args.integer("cols"), title: args.string("title"),
                                                width: args.number("width"), height: args.number("height"))
            guard args.hostDisplays else { return .bool(false) }
            try show(figure, args)
            return .bool(true)
        },
    ]

    /// Sends `figure` to the host's display as PNG and SVG, or fails when the host shows nothing.
    static func show(_ figure: Figure, _ args: Arguments) throws {
        guard args.hostDisplays else {
            throw ScriptError("\(args.callee) without a file path shows the figure, but this host displays nothing",
                              hint: "give a path to write it (e.g. \"out/figure.png\"); figures show inline in Jupyter and the Python package")
        }
        let png = try figure.rendered(as: .png)
        let svg = try figure.rendered(as: .svg)
        args.display(Display(representations: [
            .init(mimeType: "image/png", data: png),
            .init(mimeType: "image/svg+xml", data: svg),
        ]))
    }

    /// The panels `show` accepts: a panel, a list of panels, or one line (drawn on its own panel).
    private static func showable(_ value: Value) throws -> [Panel] {
        switch value {
        case .object(let o as PanelObject): return [o.panel]
        case .object(let o as SeriesObject): return [Panel(legend: !o.series.label.isEmpty, series: [o.series])]
        case .list(let list): return try PlotLibrary.panels(list)
        default:
            throw ScriptError("show takes a panel, a list of panels or a line, not \(value.typeName)",
                              hint: "make one with panel([line(x, y)])")
        }
    }
}
