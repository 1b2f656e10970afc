import CCairo
import Foundation
import Tensor

/// Draws a laid-out figure with cairo and stores it as the bytes of a PNG file (``PNGEncoder``).
/// The surface is freed before its filtered rows are compressed, so at most two full-size
/// buffers (4 bytes per pixel each) exist at once (``FigureCost``).
enum PNGRenderer {
    /// A figure's width or height in whole pixels, 1 to 16000 (cairo's image surfaces are at
    /// most 32767 pixels a side; 16000 keeps one at 1 GB).
    static func pixels(_ size: Double) -> Int {
        Int(max(1, min(size.isNaN ? 1 : size, 16000)).rounded())
    }

    /// The PNG file's bytes.
    static func data(_ layout: FigureLayout, path: String = "<png>") throws(PlotError) -> [UInt8] {
        var image = try withSurface(layout, path: path) { surface throws(PlotError) in
            guard let image = PNGEncoder.filteredImage(surface) else {
                throw .write(path: path, problem: "cairo has no pixels for the drawn image")
            }
            return image
        }
        guard let bytes = PNGEncoder.encode(&image) else {
            throw .write(path: path, problem: "the drawn image could not be encoded as PNG")
        }
        return bytes
    }

    /// Draws `layout` on a new image surface and hands it to `body`; the surface is freed when
    /// `body` returns.
    private static func withSurface<T>(_ layout: FigureLayout, path: String,
                                       _ body: (OpaquePointer) throws(PlotError) -> T) throws(PlotError) -> T {
        let width = Int32(pixels(layout.width))
        let height = Int32(pixels(layout.height))
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height) else {
            throw .write(path: path, problem: "cairo could not create an image surface")
        }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw .write(path: path, problem: "cairo could not create a \(width)×\(height) image surface")
        }
        guard let cr = cairo_create(surface) else {
            throw .write(path: path, problem: "cairo could not create a drawing context")
        }
        defer { cairo_destroy(cr) }
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_BEST)
        for primitive in layout.primitives { draw(primitive, cr) }
        cairo_surface_flush(surface)
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .write(path: path, problem: "cairo: \(String(cString: cairo_status_to_string(status)))")
        }
        return try body(surface)
    }

    private static func draw(_ primitive: Primitive, _ cr: OpaquePointer) {
        switch primitive {
        case let .rect(r, stroke, fill, width):
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
            if let fill {
                setColor(cr, fill)
                if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
            }
            if let stroke {
                setColor(cr, stroke)
                cairo_set_line_width(cr, width)
                cairo_stroke(cr)
            }
        case let .line(a, b, color, width):
            setColor(cr, color)
            cairo_set_line_width(cr, width)
            // Half-pixel offsets keep 1-pixel lines crisp.
            cairo_move_to(cr, a.x.rounded() + 0.5, a.y.rounded() + 0.5)
            cairo_line_to(cr, b.x.rounded() + 0.5, b.y.rounded() + 0.5)
            cairo_stroke(cr)
        case let .polyline(points, color, width, dashed, clip):
            guard let first = points.first else { return }
            cairo_save(cr)
            cairo_rectangle(cr, clip.x, clip.y, clip.width, clip.height)
            cairo_clip(cr)
            setColor(cr, color)
            cairo_set_line_width(cr, width)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            if dashed {
                let pattern: [Double] = [6, 4]
                cairo_set_dash(cr, pattern, 2, 0)
            }
            cairo_move_to(cr, clamp(first.x), clamp(first.y))
            for p in points.dropFirst() { cairo_line_to(cr, clamp(p.x), clamp(p.y)) }
            cairo_stroke(cr)
            cairo_restore(cr)
        case let .polygon(points, fill, opacity, clip):
            guard let first = points.first else { return }
            cairo_save(cr)
            cairo_rectangle(cr, clip.x, clip.y, clip.width, clip.height)
            cairo_clip(cr)
            setColor(cr, fill, alpha: opacity)
            cairo_move_to(cr, clamp(first.x), clamp(first.y))
            for p in points.dropFirst() { cairo_line_to(cr, clamp(p.x), clamp(p.y)) }
            cairo_close_path(cr)
            cairo_fill(cr)
            cairo_restore(cr)
        case let .marker(p, shape, size, color):
            let r = size / 2
            setColor(cr, color)
            switch shape {
            case .circle:
                cairo_arc(cr, p.x, p.y, r, 0, 2 * Double.pi)
                cairo_fill(cr)
            case .square:
                cairo_rectangle(cr, p.x - r, p.y - r, size, size)
                cairo_fill(cr)
            case .triangle:
                cairo_move_to(cr, p.x, p.y - r)
                cairo_line_to(cr, p.x + r, p.y + r)
                cairo_line_to(cr, p.x - r, p.y + r)
                cairo_close_path(cr)
                cairo_fill(cr)
            case .cross:
                cairo_set_line_width(cr, 2)
                cairo_move_to(cr, p.x - r, p.y - r)
                cairo_line_to(cr, p.x + r, p.y + r)
                cairo_move_to(cr, p.x - r, p.y + r)
                cairo_line_to(cr, p.x + r, p.y - r)
                cairo_stroke(cr)
            }
        case let .text(text, at, size, anchor, vertical, color, bold):
            cairo_save(cr)
            cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
            cairo_set_font_size(cr, size)
            setColor(cr, color)
            var extents = cairo_text_extents_t()
            cairo_text_extents(cr, text, &extents)
            let shift: Double = switch anchor {
            case .start: 0
            case .middle: -extents.x_advance / 2
            case .end: -extents.x_advance
            }
            cairo_translate(cr, at.x, at.y)
            if vertical { cairo_rotate(cr, -Double.pi / 2) }
            cairo_move_to(cr, shift, 0)
            cairo_show_text(cr, text)
            cairo_restore(cr)
        }
    }

    /// Keeps far-off coordinates in the range cairo's fixed-point arithmetic handles.
    private static func clamp(_ v: Double) -> Double { v.isFinite ? min(max(v, -1e5), 1e5) : 0 }

    private static func setColor(_ cr: OpaquePointer, _ hex: String, alpha: Double = 1) {
        var value: UInt64 = 0
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, Scanner(string: digits).scanHexInt64(&value) else {
            cairo_set_source_rgba(cr, 0, 0, 0, alpha)
            return
        }
        cairo_set_source_rgba(cr, Double((value >> 16) & 0xff) / 255, Double((value >> 8) & 0xff) / 255, Double(value & 0xff) / 255, alpha)
    }
}
