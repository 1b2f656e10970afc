/// The shape drawn at each point of a scatter series.
public enum Marker: String, Sendable, CaseIterable {
    case circle, square, triangle, cross
}

/// Where a panel's legend is drawn: inside one corner of the plot area (`best` picks the corner
/// covering the fewest drawn points), or outside it, to the right of the plot area.
public enum LegendPosition: String, Sendable, CaseIterable {
    case best
    case upperRight = "upper right"
    case upperLeft = "upper left"
    case lowerRight = "lower right"
    case lowerLeft = "lower left"
    case outside
}

/// A matrix shown as a grid of coloured cells: cell (i, j) is row i from the top, column j from
/// the left, coloured by the viridis colour map at t = (vᵢⱼ − lo)/(hi − lo), with lo…hi the colour limits
/// (the finite minimum and maximum by default). A colour bar to the right maps colours back to
/// values; non-finite cells are drawn grey.
public struct Heatmap: Sendable {
    public var rows: Int
    public var cols: Int
    /// The values in row-major order (`rows * cols` of them).
    public var values: [Double]
    /// Fixed colour limits; nil fits the finite values.
    public var limits: ClosedRange<Double>?

    /// A heatmap of `values` (row-major); nil when the count does not match the shape.
    public init?(rows: Int, cols: Int, values: [Double], limits: ClosedRange<Double>? = nil) {
        guard rows >= 0, cols >= 0, rows.multipliedReportingOverflow(by: cols).partialValue == values.count else { return nil }
        self.rows = rows
        self.cols = cols
        self.values = values
        self.limits = limits
    }

    /// The colour limits: `limits`, else the finite minimum and maximum (widened when equal).
    var range: (lo: Double, hi: Double) {
        if let limits { return (limits.lowerBound, limits.upperBound) }
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return (0, 1) }
        return hi > lo ? (lo, hi) : (lo - 0.5, hi + 0.5)
    }
}

/// The perceptually uniform "viridis" colour map (as in matplotlib), sampled at 9 evenly spaced
/// stops and interpolated linearly in RGB between them; t is clamped to [0, 1].
enum ColorMap {
    static let stops: [(Double, Double, Double)] = [
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]

    /// The colour at t as `#rrggbb`.
    static func color(_ t: Double) -> String {
        guard t.isFinite else { return "#bbbbbb" }
        let x = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let f = x - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        func channel(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * f).rounded()) }
        return hex(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }

    static func hex(_ r: Int, _ g: Int, _ b: Int) -> String {
        let digits = Array("0123456789abcdef")
        func two(_ v: Int) -> String { let c = min(max(v, 0), 255); return String([digits[c / 16], digits[c % 16]]) }
        return "#" + two(r) + two(g) + two(b)
    }
}
