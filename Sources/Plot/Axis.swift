import Foundation

/// One axis of a panel: its range, the map from data to [0, 1], and its ticks.
///
/// The range fits the drawable data (finite, and positive on a log axis) unless limits are
/// given; a vertical axis gets 5% headroom (in log space on a log axis); an empty or
/// single-valued range is widened so something sensible is drawn.
struct Axis {
    let scale: Scale
    let lo: Double
    let hi: Double

    init(scale: Scale, values: [Double], limits: ClosedRange<Double>?, pad: Bool) {
        self.scale = scale
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        var lo: Double, hi: Double
        if let limits, limits.lowerBound.isFinite, limits.upperBound.isFinite,
           scale == .linear || limits.lowerBound > 0 {
            (lo, hi) = (limits.lowerBound, limits.upperBound)
        } else if let min = usable.min(), let max = usable.max() {
            (lo, hi) = (min, max)
        } else {
            (lo, hi) = scale == .linear ? (0, 1) : (1, 10)
        }
        switch scale {
        case .linear:
            // Spans are taken as hi/2 − lo/2 (``halfSpan``), which is finite for any finite
            // ends (data near ±1e308), and the ends are kept finite.
            let most = Double.greatestFiniteMagnitude
            if Self.halfSpan(lo, hi) <= abs(hi) * 0.5e-12 {
                let half = lo == 0 ? 1 : abs(lo) * 0.1
                (lo, hi) = (max(lo - half, -most), min(hi + half, most))
            }
            if pad {
                let margin = Self.halfSpan(lo, hi) * 0.1
                (lo, hi) = (max(lo - margin, -most), min(hi + margin, most))
            }
        case .log10:
            var (a, b) = (Foundation.log10(lo), Foundation.log10(hi))
            if b - a < 1e-9 { (a, b) = (a - 1, b + 1) }
            if pad {
                let margin = (b - a) * 0.05
                (a, b) = (a - margin, b + margin)
            }
            // Padding must not push the ends past what a Double holds (data near 1e308).
            (a, b) = (max(a, -307), min(b, 308))
            (lo, hi) = (pow(10, a), pow(10, b))
        }
        self.lo = lo
        self.hi = hi
    }

    /// `(hi − lo)/2`, computed so that it does not overflow: the same bits as the halved
    /// difference wherever that difference is finite (halving is exact above the subnormals).
    static func halfSpan(_ lo: Double, _ hi: Double) -> Double { hi / 2 - lo / 2 }

    /// Whether a value can be placed on this axis.
    func canShow(_ v: Double) -> Bool { v.isFinite && (scale == .linear || v > 0) }

    /// Where `v` falls, 0 at `lo` and 1 at `hi` (outside for values beyond the range).
    func fraction(_ v: Double) -> Double {
        switch scale {
        case .linear: return (v / 2 - lo / 2) / Self.halfSpan(lo, hi)
        case .log10: return (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo))
        }
    }

    var ticks: [(value: Double, label: String)] {
        switch scale {
        case .linear: return Ticks.linear(lo, hi)
        case .log10: return Ticks.log(lo, hi)
        }
    }
}
