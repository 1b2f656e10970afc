import CCairo
import Tensor

/// The bytes of a PNG file (RFC 2083) holding a drawn cairo ARGB32 image surface.
///
/// Like cairo's own writer it stores 8-bit RGB when every pixel is opaque (a figure's white
/// background makes it so) and RGBA otherwise, with each colour un-premultiplied as
/// `c = (c_premultiplied·255 + a/2) / a` (0 where `a = 0`). It differs in how it compresses: every
/// row is filtered with Sub (filter type 1: each byte minus the same channel of the pixel to its
/// left) and the rows are deflated at zlib's level 1, where cairo's writer (libpng) tries all five
/// filters on every row and deflates at level 6. On a figure that is most of the time the figure
/// takes to write, for a file of similar size (docs/performance.md, "Whole experiments").
enum PNGEncoder {
    /// A drawn image as PNG stores it before compression: each row a filter byte (Sub) and its
    /// filtered pixels, 3 bytes per pixel when every pixel is opaque, else 4.
    struct FilteredImage {
        let width: Int
        let height: Int
        let opaque: Bool
        var rows: [UInt8]
    }

    /// The filtered rows of `surface` (an ARGB32 image surface, flushed), or nil when cairo has
    /// no pixels for it.
    static func filteredImage(_ surface: OpaquePointer) -> FilteredImage? {
        guard cairo_image_surface_get_format(surface) == CAIRO_FORMAT_ARGB32,
              let data = cairo_image_surface_get_data(surface) else { return nil }
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard width > 0, height > 0, stride >= 4 * width else { return nil }
        func pixel(_ x: Int, _ y: Int) -> UInt32 {
            UnsafeRawPointer(data + y * stride + 4 * x).loadUnaligned(as: UInt32.self)
        }
        var opaque = true
        for y in 0..<height where opaque {
            for x in 0..<width where pixel(x, y) >> 24 != 0xFF {
                opaque = false
                break
            }
        }
        let channels = opaque ? 3 : 4
        let rowBytes = 1 + channels * width
        var raw = [UInt8](repeating: 0, count: rowBytes * height)
        raw.withUnsafeMutableBufferPointer { out in
            var previous: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
            for y in 0..<height {
                var at = y * rowBytes
                out[at] = 1  // Sub
                at += 1
                previous = (0, 0, 0, 0)
                for x in 0..<width {
                    let p = pixel(x, y)
                    let a = p >> 24
                    var (r, g, b) = ((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF)
                    if a != 0xFF {
                        (r, g, b) = a == 0 ? (0, 0, 0) : ((r * 255 + a / 2) / a, (g * 255 + a / 2) / a, (b * 255 + a / 2) / a)
                    }
                    let current = (UInt8(truncatingIfNeeded: r), UInt8(truncatingIfNeeded: g),
                                   UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: a))
                    out[at] = current.0 &- previous.0
                    out[at + 1] = current.1 &- previous.1
                    out[at + 2] = current.2 &- previous.2
                    if channels == 4 { out[at + 3] = current.3 &- previous.3 }
                    previous = current
                    at += channels
                }
            }
        }
        return FilteredImage(width: width, height: height, opaque: opaque, rows: raw)
    }

    /// The PNG bytes of `image`, or nil when zlib fails. Its rows are released once compressed,
    /// before the file's bytes are assembled.
    static func encode(_ image: inout FilteredImage) -> [UInt8]? {
        guard let compressed = try? Deflate.zlibStream(image.rows, level: 1) else { return nil }
        image.rows = []
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.reserveCapacity(compressed.count + 64)
        var header: [UInt8] = []
        appendBigEndian(UInt32(image.width), to: &header)
        appendBigEndian(UInt32(image.height), to: &header)
        header += [8, image.opaque ? 2 : 6, 0, 0, 0]  // bit depth, colour type (RGB or RGBA), deflate, filters, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", compressed, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// A chunk: length, type, data, and the CRC-32 of type and data.
    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        appendBigEndian(UInt32(data.count), to: &png)
        png += typeBytes
        png += data
        let crc = Deflate.crc32(data[...], initial: Deflate.crc32(typeBytes[...]))
        appendBigEndian(crc, to: &png)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
