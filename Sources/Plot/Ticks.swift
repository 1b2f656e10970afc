import Foundation

/// Tick positions and labels for an axis.
///
/// Linear axes use "nice" steps 1, 2 or 5 × 10ᵏ giving about `target` ticks inside the range.
/// Log axes put ticks at decades 10ᵏ, every n-th decade when there are more than eight, and
/// label them `1e-6`, `0.01`, `1`, `100`… (plain notation between 1e-3 and 1e4).
enum Ticks {
    /// Tick values and labels for a linear axis over `lo...hi`.
    static func linear(_ lo: Double, _ hi: Double, target: Int = 6) -> [(value: Double, label: String)] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return [] }
        // (hi − lo)/(target − 1) with the difference halved first, so that it stays finite.
        let step = niceStep(Axis.halfSpan(lo, hi) / Double(max(target - 1, 1)) * 2)
        guard step > 0, step.isFinite else { return [] }
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [] }
        var ticks: [(Double, String)] = []
        var k = first
        while k <= last {
            let value = k * step
            ticks.append((value, format(value, step: step)))
            k += 1
        }
        return ticks
    }

    /// 1, 2 or 5 × 10ᵏ nearest above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 0 }
        let magnitude = pow(10, (Foundation.log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Decade ticks for a log axis over `lo...hi` (both > 0).
    static func log(_ lo: Double, _ hi: Double) -> [(value: Double, label: String)] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return [] }
        let first = Int((Foundation.log10(lo) - 1e-9).rounded(.up))
        let last = Int((Foundation.log10(hi) + 1e-9).rounded(.down))
        guard last >= first, last - first < 700 else { return [] }
        let stride = max(1, Int((Double(last - first + 1) / 8).rounded(.up)))
        var ticks: [(Double, String)] = []
        for e in first...last where (e - first) % stride == 0 {
            let value = pow(10, Double(e))
            ticks.append((value, decadeLabel(e)))
        }
        return ticks
    }

    /// `1e-6`, `0.001`, `1`, `1000`, `1e5`.
    static func decadeLabel(_ e: Int) -> String {
        switch e {
        case -3 ... -1: return "0." + String(repeating: "0", count: -e - 1) + "1"
        case 0...4: return "1" + String(repeating: "0", count: e)
        default: return "1e\(e)"
        }
    }

    /// A tick value printed with as many decimals as the step needs, without float noise.
    static func format(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-4 {
            let exponent = Int(Foundation.log10(magnitude).rounded(.down))
            let mantissa = value / pow(10, Double(exponent))
            let digits = max(0, min(6, -Int(Foundation.log10(step / pow(10, Double(exponent))).rounded(.down))))
            return trim(String(format: "%.\(digits)f", mantissa)) + "e\(exponent)"
        }
        let decimals = max(0, min(10, -Int(Foundation.log10(step).rounded(.down))))
        return trim(String(format: "%.\(decimals)f", value))
    }

    private static func trim(_ text: String) -> String {
        guard text.contains(".") else { return text == "-0" ? "0" : text }
        var t = text
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t == "-0" ? "0" : t
    }
}
