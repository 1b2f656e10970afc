/// The element types msense reads from and writes to `.npy` files, named by NumPy's `descr`
/// strings: a byte-order character (`<` little, `>` big, `=` native, which is little on every
/// platform msense runs on), a kind (`f` float, `i` signed integer) and a size in bytes.
///
/// Supported: `f8`, `f4`, `i8`, `i4` in either byte order. Integers are converted to `Double`
/// on reading (exact up to 2⁵³ in magnitude, rounded to nearest beyond); only floats are written.
public struct NPYDType: Sendable, Equatable, CustomStringConvertible {
    /// Floating point or signed integer.
    public enum Kind: Sendable, Equatable {
        case float
        case signedInteger
    }

    /// Whether the values are IEEE floats or two's-complement integers.
    public let kind: Kind
    /// Bytes per element: 4 or 8.
    public let byteCount: Int
    /// True for little-endian storage.
    public let isLittleEndian: Bool

    /// `<f8`, IEEE binary64 little-endian: the type of every array made in memory.
    public static let float64 = NPYDType(kind: .float, byteCount: 8, isLittleEndian: true)
    /// `<f4`, IEEE binary32 little-endian.
    public static let float32 = NPYDType(kind: .float, byteCount: 4, isLittleEndian: true)

    /// `>f8`, IEEE binary64 big-endian.
    public static let float64BigEndian = NPYDType(kind: .float, byteCount: 8, isLittleEndian: false)
    /// `>f4`, IEEE binary32 big-endian.
    public static let float32BigEndian = NPYDType(kind: .float, byteCount: 4, isLittleEndian: false)

    /// A type from its parts; `byteCount` is 4 or 8 (other types come from ``init(descr:)``).
    private init(kind: Kind, byteCount: Int, isLittleEndian: Bool) {
        self.kind = kind
        self.byteCount = byteCount
        self.isLittleEndian = isLittleEndian
    }

    /// Parses a NumPy `descr` such as `<f8`; nil for anything unsupported (e.g. `<c16`, `|O`).
    public init?(descr: String) {
        let chars = Array(descr)
        guard chars.count == 3 else { return nil }
        let little: Bool, kind: Kind, size: Int
        switch chars[0] {
        case "<", "=": little = true
        case ">": little = false
        default: return nil
        }
        switch chars[1] {
        case "f": kind = .float
        case "i": kind = .signedInteger
        default: return nil
        }
        switch chars[2] {
        case "4": size = 4
        case "8": size = 8
        default: return nil
        }
        self.init(kind: kind, byteCount: size, isLittleEndian: little)
    }

    /// The canonical `descr` string, e.g. `<f8` or `>i4`.
    public var descr: String {
        (isLittleEndian ? "<" : ">") + (kind == .float ? "f" : "i") + String(byteCount)
    }

    public var description: String { descr }

    /// The `descr` strings accepted on reading, for error messages.
    static let supportedList = "'<f8', '>f8', '<f4', '>f4', '<i8', '>i8', '<i4', '>i4' ('=' for '<')"

    /// What to do with a file of the unsupported `descr`, by its kind: complex numbers have no
    /// real value to convert to without a choice (a cast would drop the imaginary part), Python
    /// objects are pickles msense never reads, and the other numbers convert exactly.
    static func advice(for descr: String) -> String {
        let kind = descr.dropFirst().first
        switch kind {
        case "c": return "msense holds real numbers: save the part you mean as float64, e.g. np.save(path, x.real) or np.save(path, np.abs(x))"
        case "O": return "an array of Python objects is stored as a pickle, which msense never reads: save a numeric array, e.g. np.save(path, np.asarray(x, dtype=np.float64))"
        case "b": return "convert the mask before saving, e.g. np.save(path, x.astype(np.float64))"
        case "U", "S", "M", "m", "V": return "msense reads numbers only: save the numeric columns as float64"
        default: return "convert it before saving, e.g. np.save(path, x.astype(np.float64))"
        }
    }
}
