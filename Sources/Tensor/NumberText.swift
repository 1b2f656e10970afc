import Foundation

/// The text of a number: the one owner of number-to-text for printed values, CSV and JSON
/// files, traces and sweep tables.
///
/// Every form reads back to the same `Double` (except `display`'s `-0.0` → `0`). Integral
/// values are written as integers when they have at most 16 digits (|x| < 10¹⁶,
/// ``integerLimit``): exact, and no longer than the shortest float text; from 10¹⁶ on the
/// float text is shorter and does not suggest digits the value does not hold (`1e+16`, not
/// `10000000000000000`). Non-finite values are `nan`, `inf`, `-inf` (what pandas and NumPy read
/// back as floats; a NaN's sign bit is dropped).
public enum NumberText {
    /// 10¹⁶: integral values with |x| below this are written as integers by ``compact(_:)``
    /// and ``display(_:)``.
    public static let integerLimit: Double = 1e16

    /// Swift's shortest round-trip text (`0.1`, `1e-06`, `2.0`, `1e+300`), `nan`, `inf`,
    /// `-inf`: a float always looks like one (data columns of CSV files and traces).
    public static func roundTrip(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return x.description
    }

    /// The shortest exact form: integral values with |x| < 10¹⁶ without a fraction (`5`, `-3`),
    /// `-0.0` kept as `-0.0`, everything else ``roundTrip(_:)`` (sweep tables, JSON files, trace
    /// step columns). A finite result is a JSON number.
    public static func compact(_ x: Double) -> String {
        if x == 0 { return x.sign == .minus ? "-0.0" : "0" }
        if let whole = integer(x) { return whole }
        return roundTrip(x)
    }

    /// What `print` shows: ``compact(_:)``, except that `-0.0` shows as `0`.
    public static func display(_ x: Double) -> String {
        x == 0 ? "0" : compact(x)
    }

    /// `x` to `digits` significant decimal digits (1…17) as C's `%.<digits>g` writes it: plain
    /// decimals when the exponent is −4…digits−1, else `d.dde±XX`, trailing zeros dropped
    /// (`2.1e+17`, `0.587`, `4.7e+07`, `1e+06`): for messages that quote a magnitude, not for
    /// data (it does not read back exactly). `0` for ±0; `nan`, `inf`, `-inf`.
    public static func significant(_ x: Double, digits: Int) -> String {
        guard x.isFinite, x != 0 else { return display(x) }
        return String(format: "%.\(min(max(digits, 1), 17))g", x)
    }

    /// `x` as decimal integer text when it is integral with |x| < 10¹⁶, else nil.
    private static func integer(_ x: Double) -> String? {
        guard x == x.rounded(.towardZero), x.magnitude < integerLimit else { return nil }
        return String(Int64(x))
    }
}
