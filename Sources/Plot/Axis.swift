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
            if hi - lo <= abs(hi) * 1e-12 || !(hi - lo).isFinite {
                let half = lo == 0 ? 1 : abs(lo) * 0.1
                (lo, hi) = (lo - half, hi + half)
            }
            if pad {
                let margin = (hi - lo) * 0.05
                (lo, hi) = (lo - margin, hi + margin)
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

    /// Whether a value can be placed on this axis.
    func canShow(_ v: Double) -> Bool { v.isFinite && (scale == .linear || v > 0) }

    /// Where `v` falls, 0 at `lo` and 1 at `hi` (outside for values beyond the range).
    func fraction(_ v: Double) -> Double {
        switch scale {
        case .linear: return (v - lo) / (hi - lo)
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
