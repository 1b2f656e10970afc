/// Lays out a heatmap panel: square cells (row 0 at the top, column 0 at the left), index
/// labels on both axes, and a colour bar on the right with value ticks.
enum HeatmapLayout {
    /// A step of 1, 2 or 5 × 10ᵏ giving at most about 6 index labels over `n` positions.
    static func labelStep(_ n: Int) -> Int {
        var step = 1
        while n / step > 6 {
            let decade = step
            if n / (2 * decade) <= 6 { return 2 * decade }
            if n / (5 * decade) <= 6 { return 5 * decade }
            step = 10 * decade
        }
        return step
    }

    static func primitives(_ panel: Panel, _ heatmap: Heatmap, in cell: Rect) -> [Primitive] {
        var out: [Primitive] = []
        let axisColor = PanelLayout.axisColor
        let (lo, hi) = heatmap.range
        let barTicks = Ticks.linear(lo, hi)
        let barLabelWidth = barTicks.map { FigureLayout.textWidth($0.label, size: 11) }.max() ?? 20
        let rowLabelWidth = FigureLayout.textWidth(String(max(heatmap.rows - 1, 0)), size: 11)
        let leftEdge = cell.x + 14 + (panel.yLabel.isEmpty ? 0 : 18) + rowLabelWidth + 6
        let rightEdge = cell.x + cell.width - (16 + 14 + 8 + barLabelWidth + 10)
        let top = cell.y + (panel.title.isEmpty ? 14 : 34)
        let bottom = cell.y + cell.height - (panel.xLabel.isEmpty ? 30 : 48)
        let side = max(min((rightEdge - leftEdge) / Double(max(heatmap.cols, 1)), (bottom - top) / Double(max(heatmap.rows, 1))), 0.01)
        let width = side * Double(heatmap.cols), height = side * Double(heatmap.rows)
        let area = Rect(x: leftEdge + max(0, (rightEdge - leftEdge - width) / 2), y: top, width: width, height: height)

        if !panel.title.isEmpty {
            out.append(.text(panel.title, at: Point(x: cell.x + cell.width / 2, y: cell.y + 22),
                             size: FigureLayout.fitting(panel.title, 13, cell.width - 20),
                             anchor: .middle, vertical: false, color: "#000000", bold: true))
        }
        for i in 0..<heatmap.rows {
            for j in 0..<heatmap.cols {
                let v = heatmap.values[i * heatmap.cols + j]
                let t = (v - lo) / (hi - lo)
                // Cells overlap by a hair so no background shows between them.
                out.append(.rect(Rect(x: area.x + Double(j) * side, y: area.y + Double(i) * side, width: side + 0.3, height: side + 0.3),
                                 stroke: nil, fill: ColorMap.color(t), width: 0))
            }
        }
        out.append(.rect(area, stroke: axisColor, fill: nil, width: 1))
        let colStep = labelStep(heatmap.cols), rowStep = labelStep(heatmap.rows)
        for j in stride(from: 0, to: heatmap.cols, by: colStep) {
            let x = area.x + (Double(j) + 0.5) * side
            out.append(.line(Point(x: x, y: area.y + area.height), Point(x: x, y: area.y + area.height + 4), color: axisColor, width: 1))
            out.append(.text(String(j), at: Point(x: x, y: area.y + area.height + 17), size: 11, anchor: .middle,
                             vertical: false, color: axisColor, bold: false))
        }
        for i in stride(from: 0, to: heatmap.rows, by: rowStep) {
            let y = area.y + (Double(i) + 0.5) * side
            out.append(.line(Point(x: area.x - 4, y: y), Point(x: area.x, y: y), color: axisColor, width: 1))
            out.append(.text(String(i), at: Point(x: area.x - 7, y: y + 4), size: 11, anchor: .end,
                             vertical: false, color: axisColor, bold: false))
        }
        if !panel.xLabel.isEmpty {
            out.append(.text(panel.xLabel, at: Point(x: area.x + area.width / 2, y: area.y + area.height + 36), size: 12,
                             anchor: .middle, vertical: false, color: "#000000", bold: false))
        }
        if !panel.yLabel.isEmpty {
            out.append(.text(panel.yLabel, at: Point(x: area.x - rowLabelWidth - 20, y: area.y + area.height / 2), size: 12,
                             anchor: .middle, vertical: true, color: "#000000", bold: false))
        }
        // The colour bar: 64 bands from lo (bottom) to hi (top).
        let bar = Rect(x: area.x + area.width + 16, y: area.y, width: 14, height: area.height)
        let bands = 64
        for k in 0..<bands {
            let y0 = bar.y + bar.height * Double(bands - k - 1) / Double(bands)
            out.append(.rect(Rect(x: bar.x, y: y0, width: bar.width, height: bar.height / Double(bands) + 0.3),
                             stroke: nil, fill: ColorMap.color((Double(k) + 0.5) / Double(bands)), width: 0))
        }
        out.append(.rect(bar, stroke: axisColor, fill: nil, width: 1))
        for tick in barTicks {
            let y = bar.y + bar.height * (1 - (tick.value - lo) / (hi - lo))
            out.append(.line(Point(x: bar.x + bar.width, y: y), Point(x: bar.x + bar.width + 4, y: y), color: axisColor, width: 1))
            out.append(.text(tick.label, at: Point(x: bar.x + bar.width + 7, y: y + 4), size: 11, anchor: .start,
                             vertical: false, color: axisColor, bold: false))
        }
        return out
    }
}
