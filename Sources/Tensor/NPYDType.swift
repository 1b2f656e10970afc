/// The element types msense reads from and writes to `.npy` files, named by NumPy's `descr`
/// strings: a byte-order character (`<` little, `>` big, `=` native, which is little on every
/// platform msense runs on, `|` for one-byte types), a kind (`f` float, `i` signed integer, `u`
/// unsigned integer, `b` boolean) and a size in bytes.
///
/// Read: `f8`, `f4`, `f2`; `i1`, `i2`, `i4`, `i8`; `u1`, `u2`, `u4`, `u8`; `b1` (a mask: 0 or 1), in
/// either byte order. Every value is converted to `Double` on reading: exactly, except 64-bit
/// integers beyond 2⁵³ in magnitude, which are rounded to nearest. Only floats are written.
public struct NPYDType: Sendable, Equatable, CustomStringConvertible {
    /// The kind of the stored values.
    public enum Kind: Sendable, Equatable {
        case float
        case signedInteger
        case unsignedInteger
        case boolean
    }

    /// Whether the values are IEEE floats, two's-complement or unsigned integers, or booleans.
    public let kind: Kind
    /// Bytes per element: 2, 4 or 8 for floats, 1, 2, 4 or 8 for integers, 1 for booleans.
    public let byteCount: Int
    /// True for little-endian storage (and for one-byte types, which have no order).
    public let isLittleEndian: Bool

    /// `<f8`, IEEE binary64 little-endian: the type of every array made in memory.
    public static let float64 = NPYDType(kind: .float, byteCount: 8, isLittleEndian: true)
    /// `<f4`, IEEE binary32 little-endian.
    public static let float32 = NPYDType(kind: .float, byteCount: 4, isLittleEndian: true)

    /// `>f8`, IEEE binary64 big-endian.
    public static let float64BigEndian = NPYDType(kind: .float, byteCount: 8, isLittleEndian: false)
    /// `>f4`, IEEE binary32 big-endian.
    public static let float32BigEndian = NPYDType(kind: .float, byteCount: 4, isLittleEndian: false)

    /// A type from its parts (other types come from ``init(descr:)``).
    private init(kind: Kind, byteCount: Int, isLittleEndian: Bool) {
        self.kind = kind
        self.byteCount = byteCount
        self.isLittleEndian = isLittleEndian
    }

    /// Parses a NumPy `descr` such as `<f8` or `|u1`; nil for anything unsupported (e.g. `<c16`,
    /// `|O`, `<f16`).
    public init?(descr: String) {
        let chars = Array(descr)
        guard chars.count == 3, let size = Int(String(chars[2])) else { return nil }
        let kind: Kind
        switch (chars[1], size) {
        case ("f", 2), ("f", 4), ("f", 8): kind = .float
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signedInteger
        case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsignedInteger
        case ("b", 1): kind = .boolean
        default: return nil
        }
        switch chars[0] {
        case "<", "=": self.init(kind: kind, byteCount: size, isLittleEndian: true)
        case ">": self.init(kind: kind, byteCount: size, isLittleEndian: false)
        case "|" where size == 1: self.init(kind: kind, byteCount: size, isLittleEndian: true)
        default: return nil
        }
    }

    /// The canonical `descr` string, e.g. `<f8`, `>i4` or `|b1`.
    public var descr: String {
        let letter = switch kind {
        case .float: "f"
        case .signedInteger: "i"
        case .unsignedInteger: "u"
        case .boolean: "b"
        }
        return (byteCount == 1 ? "|" : isLittleEndian ? "<" : ">") + letter + String(byteCount)
    }

    public var description: String { descr }

    /// The value of the `byteCount` bytes at `raw + offset` as a `Double`.
    func value(in raw: UnsafeRawBufferPointer, at offset: Int) -> Double {
        func word<T: FixedWidthInteger>(_: T.Type) -> T {
            let stored = raw.loadUnaligned(fromByteOffset: offset, as: T.self)
            return isLittleEndian ? T(littleEndian: stored) : T(bigEndian: stored)
        }
        switch (kind, byteCount) {
        case (.float, 8): return Double(bitPattern: word(UInt64.self))
        case (.float, 4): return Double(Float(bitPattern: word(UInt32.self)))
        case (.float, _): return Self.half(word(UInt16.self))
        case (.signedInteger, 8): return Double(word(Int64.self))
        case (.signedInteger, 4): return Double(word(Int32.self))
        case (.signedInteger, 2): return Double(word(Int16.self))
        case (.signedInteger, _): return Double(word(Int8.self))
        case (.unsignedInteger, 8): return Double(word(UInt64.self))
        case (.unsignedInteger, 4): return Double(word(UInt32.self))
        case (.unsignedInteger, 2): return Double(word(UInt16.self))
        case (.unsignedInteger, _): return Double(word(UInt8.self))
        case (.boolean, _): return word(UInt8.self) == 0 ? 0 : 1
        }
    }

    /// The IEEE binary16 number with these bits, exactly: ±2^(e−15)·(1 + f/1024) for an exponent
    /// field e of 1…30, ±2⁻¹⁴·f/1024 for e = 0 (zero and subnormals), ±∞ or NaN for e = 31.
    static func half(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int(bits >> 10 & 0x1F), fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// The `descr` strings accepted on reading, for error messages.
    static let supportedList = "'<f8', '<f4', '<f2', '<i1'…'<i8', '<u1'…'<u8', '|b1' in either byte order ('=' for '<', '|' for one byte)"

    /// What to do with a file of the unsupported `descr`, by its kind: complex numbers have no
    /// real value to convert to without a choice (a cast would drop the imaginary part), Python
    /// objects are pickles msense never reads, and the other numbers convert exactly.
    static func advice(for descr: String) -> String {
        let kind = descr.dropFirst().first
        switch kind {
        case "c": return "msense holds real numbers: save the part you mean as float64, e.g. np.save(path, x.real) or np.save(path, np.abs(x))"
        case "O": return "an array of Python objects is stored as a pickle, which msense never reads: save a numeric array, e.g. np.save(path, np.asarray(x, dtype=np.float64))"
        case "U", "S", "M", "m", "V": return "msense reads numbers only: save the numeric columns as float64"
        default: return "convert it before saving, e.g. np.save(path, x.astype(np.float64))"
        }
    }
}
