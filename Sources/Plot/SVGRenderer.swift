import Foundation
import Tensor

/// Writes a laid-out figure as standalone SVG 1.1 text.
///
/// The text's memory is checked as it grows (``AvailableMemory``, which includes the host's
/// limit): each time it passes twice its size at the last check, from 4 MiB on, as many bytes
/// again must fit, so a figure with millions of points is refused before its text outgrows
/// what the run may use.
enum SVGRenderer {
    /// The SVG text of `layout`; `what` names the figure in a refusal.
    static func render(_ layout: FigureLayout, what: String = "a figure") throws(PlotError) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(layout.width))" height="\(n(layout.height))" \
            viewBox="0 0 \(n(layout.width)) \(n(layout.height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">

            """
        var clips: [Rect: Int] = [:]
        var growth = TextGrowth(what: what)
        for primitive in layout.primitives {
            try growth.check(out)
            switch primitive {
            case let .rect(r, stroke, fill, width):
                out += "<rect x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\" "
                    + "fill=\"\(fill ?? "none")\" stroke=\"\(stroke ?? "none")\" stroke-width=\"\(n(width))\"/>\n"
            case let .line(a, b, color, width):
                out += "<line x1=\"\(n(a.x))\" y1=\"\(n(a.y))\" x2=\"\(n(b.x))\" y2=\"\(n(b.y))\" stroke=\"\(color)\" stroke-width=\"\(n(width))\"/>\n"
            case let .polyline(points, color, width, dashed, clip):
                let id = clipID(clip, &clips, &out)
                out += "<polyline clip-path=\"url(#c\(id))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(n(width))\" "
                    + "stroke-linejoin=\"round\"\(dashed ? " stroke-dasharray=\"6,4\"" : "") points=\""
                try append(points, to: &out, &growth)
                out += "\"/>\n"
            case let .polygon(points, fill, opacity, clip):
                let id = clipID(clip, &clips, &out)
                out += "<polygon clip-path=\"url(#c\(id))\" fill=\"\(fill)\" fill-opacity=\"\(n(opacity))\" stroke=\"none\" points=\""
                try append(points, to: &out, &growth)
                out += "\"/>\n"
            case let .marker(p, shape, size, color):
                let r = size / 2
                switch shape {
                case .circle:
                    out += "<circle cx=\"\(n(p.x))\" cy=\"\(n(p.y))\" r=\"\(n(r))\" fill=\"\(color)\"/>\n"
                case .square:
                    out += "<rect x=\"\(n(p.x - r))\" y=\"\(n(p.y - r))\" width=\"\(n(size))\" height=\"\(n(size))\" fill=\"\(color)\"/>\n"
                case .triangle:
                    out += "<polygon fill=\"\(color)\" points=\"\(n(p.x)),\(n(p.y - r)) \(n(p.x + r)),\(n(p.y + r)) \(n(p.x - r)),\(n(p.y + r))\"/>\n"
                case .cross:
                    out += "<path stroke=\"\(color)\" stroke-width=\"2\" d=\"M\(n(p.x - r)),\(n(p.y - r)) L\(n(p.x + r)),\(n(p.y + r)) M\(n(p.x - r)),\(n(p.y + r)) L\(n(p.x + r)),\(n(p.y - r))\"/>\n"
                }
            case let .text(text, at, size, anchor, vertical, color, bold):
                let anchorName = switch anchor { case .start: "start"; case .middle: "middle"; case .end: "end" }
                let rotation = vertical ? " transform=\"rotate(-90 \(n(at.x)) \(n(at.y)))\"" : ""
                out += "<text x=\"\(n(at.x))\" y=\"\(n(at.y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchorName)\" "
                    + "fill=\"\(color)\"\(bold ? " font-weight=\"bold\"" : "")\(rotation)>\(escape(text))</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    /// Appends `x,y` for each point, separated by spaces, without building each pair apart.
    private static func append(_ points: [Point], to out: inout String, _ growth: inout TextGrowth) throws(PlotError) {
        for (k, p) in points.enumerated() {
            if k & 4095 == 4095 { try growth.check(out) }
            if k > 0 { out += " " }
            out += n(p.x)
            out += ","
            out += n(p.y)
        }
    }

    /// The memory check of the growing text.
    private struct TextGrowth {
        let what: String
        private var nextCheck = AvailableMemory.uncheckedBytes

        init(what: String) { self.what = what }

        /// Throws unless another `out.utf8.count` bytes fit, once the text has passed the next
        /// size to check at (then twice its size).
        mutating func check(_ out: String) throws(PlotError) {
            let count = out.utf8.count
            guard count > nextCheck else { return }
            nextCheck = 2 * count
            if let problem = AvailableMemory.refusal(bytes: count, for: "the text of \(what), \(count) bytes so far,") {
                throw .tooLarge(problem: problem, hint: FigureCost.hint(.svg))
            }
        }
    }

    /// The id of the clip path for `clip`, written before its first use.
    private static func clipID(_ clip: Rect, _ clips: inout [Rect: Int], _ out: inout String) -> Int {
        if let known = clips[clip] { return known }
        let id = clips.count
        clips[clip] = id
        out += "<clipPath id=\"c\(id)\"><rect x=\"\(n(clip.x))\" y=\"\(n(clip.y))\" width=\"\(n(clip.width))\" height=\"\(n(clip.height))\"/></clipPath>\n"
        return id
    }

    /// A coordinate with at most two decimals, clamped so extreme data cannot produce "inf".
    static func n(_ v: Double) -> String {
        let clamped = v.isFinite ? min(max(v, -1e6), 1e6) : 0
        let rounded = (clamped * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Text with the XML special characters escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

