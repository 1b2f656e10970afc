import Tensor

/// What drawing a figure costs, counted from its data before anything is laid out, drawn or
/// encoded, so that a figure the run cannot afford is refused up front: by the memory the
/// machine has and the host's memory and step limits (the thread's `RunBudget`).
///
/// Counts (docs/plots.md, "Cost"):
/// - `vertices` V: the drawable points of lines and bands (a band's low and high each count),
///   runs of one point counting two (the layout widens them to a short segment);
/// - `pieces` S: the runs of drawable points (each a polyline or polygon of its own), markers,
///   error-bar strokes (three per bar), heatmap cells and colour-bar bands;
/// - `pixels` P: the PNG's width × height (each at most 16000).
///
/// Memory: the layout takes at most `48·V + 256·S` bytes, checked before it is made; a PNG
/// adds `8·P`, checked with it (4 bytes per pixel of cairo's surface, then at most 4 per pixel
/// for the filtered rows and as many for their compressed form). An SVG's text is checked as
/// it grows instead (``SVGRenderer``: each time it doubles past 4 MiB, and before its bytes are
/// copied for the file). Work: one operation per vertex and piece, and one per pixel for a PNG.
struct FigureCost {
    private(set) var vertices = 0
    private(set) var pieces = 0
    let width: Int
    let height: Int

    init(_ figure: Figure) {
        let size = figure.size
        (width, height) = (PNGRenderer.pixels(size.width), PNGRenderer.pixels(size.height))
        for panel in figure.panels {
            if let heatmap = panel.heatmap {
                pieces = Self.sum(pieces, Self.sum(heatmap.rows.multipliedReportingOverflow(by: heatmap.cols).partialValue, 64))
                continue
            }
            for series in panel.series { count(series, xScale: panel.xScale, yScale: series.rightAxis ? panel.y2Scale : panel.yScale) }
        }
    }

    /// Adds a series' vertices and pieces, finding its runs of drawable points as the layout does.
    private mutating func count(_ series: Series, xScale: Scale, yScale: Scale) {
        let perPoint = series.bandLow == nil ? 1 : 2
        var run = 0
        func endRun() {
            if run > 0 { vertices = Self.sum(vertices, max(run, 2) * perPoint); pieces = Self.sum(pieces, 1) }
            run = 0
        }
        let n = min(series.xs.count, series.ys.count, series.bandLow?.count ?? .max)
        for i in 0..<n {
            let drawable = Self.canShow(series.xs[i], xScale) && Self.canShow(series.ys[i], yScale)
                && series.bandLow.map { Self.canShow($0[i], yScale) } != false
            if drawable { run += 1 } else { endRun() }
            if drawable, series.marker != nil { pieces = Self.sum(pieces, 1) }
        }
        endRun()
        if let errors = series.errors { pieces = Self.sum(pieces, 3 * min(errors.count, n)) }
    }

    /// Whether the layout can place `v` on an axis of `scale` (``Axis/canShow(_:)``).
    private static func canShow(_ v: Double, _ scale: Scale) -> Bool { v.isFinite && (scale == .linear || v > 0) }

    /// `a + b`, saturating at `Int.max` (the counts only decide whether the figure fits).
    private static func sum(_ a: Int, _ b: Int) -> Int {
        let (total, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : total
    }

    var pixels: Int { width * height }

    /// Bytes checked before drawing in `format` (nil: more than `Int.max`): the layout's, and
    /// for a PNG its buffers'.
    func bytes(_ format: FigureFormat) -> Int? {
        switch format {
        case .svg: AvailableMemory.doubles((vertices, 48), (pieces, 256))
        case .png: AvailableMemory.doubles((vertices, 48), (pieces, 256), (pixels, 8))
        }
    }

    /// Elementary operations of drawing and encoding the figure in `format` (nil: more than `Int.max`).
    func operations(_ format: FigureFormat) -> Int? {
        switch format {
        case .svg: AvailableMemory.doubles((vertices, 1), (pieces, 1))
        case .png: AvailableMemory.doubles((vertices, 1), (pieces, 1), (pixels, 1))
        }
    }

    /// How the figure is named in a refusal: its size, and for SVG the points it writes.
    func description(_ format: FigureFormat) -> String {
        switch format {
        case .png: "a PNG figure of \(width)×\(height) pixels"
        case .svg: "an SVG figure of \(vertices) points"
        }
    }

    /// How to make a figure in `format` smaller.
    static func hint(_ format: FigureFormat) -> String {
        switch format {
        case .png: "draw it smaller: a PNG is cols × width by rows × height pixels, so lower width and height (pixels per panel) or put fewer panels in it"
        case .svg: "plot fewer points (thin the data, or record traces with a larger `every`), or write a .png, whose size does not grow with the points"
        }
    }

    /// Throws unless the machine's memory and the thread's budget allow drawing the figure in
    /// `format`; charges its work to the budget.
    func require(_ format: FigureFormat) throws(PlotError) {
        let what = description(format)
        let hint = Self.hint(format)
        if let problem = AvailableMemory.refusal(bytes: bytes(format), for: what) {
            throw .tooLarge(problem: problem, hint: hint)
        }
        do { try RunBudget.charge(operations(format), for: "drawing \(what)") } catch {
            if error == .cancelled { throw .cancelled }
            throw .tooLarge(problem: error.message, hint: "\(hint); the host set this limit (Interpreter.limits)")
        }
    }
}
