import Foundation

/// Writes a laid-out figure as standalone SVG 1.1 text.
enum SVGRenderer {
    static func render(_ layout: FigureLayout) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(layout.width))" height="\(n(layout.height))" \
            viewBox="0 0 \(n(layout.width)) \(n(layout.height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">

            """
        var clips: [Rect: Int] = [:]
        for primitive in layout.primitives {
            switch primitive {
            case let .rect(r, stroke, fill, width):
                out += "<rect x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\" "
                    + "fill=\"\(fill ?? "none")\" stroke=\"\(stroke ?? "none")\" stroke-width=\"\(n(width))\"/>\n"
            case let .line(a, b, color, width):
                out += "<line x1=\"\(n(a.x))\" y1=\"\(n(a.y))\" x2=\"\(n(b.x))\" y2=\"\(n(b.y))\" stroke=\"\(color)\" stroke-width=\"\(n(width))\"/>\n"
            case let .polyline(points, color, width, dashed, clip):
                let id = clipID(clip, &clips, &out)
                let coordinates = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
                out += "<polyline clip-path=\"url(#c\(id))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(n(width))\" "
                    + "stroke-linejoin=\"round\"\(dashed ? " stroke-dasharray=\"6,4\"" : "") points=\"\(coordinates)\"/>\n"
            case let .polygon(points, fill, opacity, clip):
                let id = clipID(clip, &clips, &out)
                let coordinates = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
                out += "<polygon clip-path=\"url(#c\(id))\" fill=\"\(fill)\" fill-opacity=\"\(n(opacity))\" stroke=\"none\" points=\"\(coordinates)\"/>\n"
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

