import Tensor

/// One value of a grid axis or of a field a point returned: a number or a string.
///
/// Numbers are `Double`s (the language has no other numeric type for sweep values). In JSON a
/// finite number is a JSON number and a string a JSON string; a non-finite number (a diverged
/// loss) has no JSON spelling, so it is written as the tagged object `{"number": "nan"}`,
/// `{"number": "inf"}` or `{"number": "-inf"}`. Decoding reverses all three forms exactly, so a
/// value survives a round trip through a point file bit for bit (including `-0.0`).
public enum GridValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case string(String)

    /// The number, or nil for a string.
    public var number: Double? {
        if case let .number(x) = self { return x }
        return nil
    }

    /// The string, or nil for a number.
    public var string: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The value as written in a CSV cell or a message: numbers by `NumberText.compact`,
    /// strings as they are.
    public var description: String {
        switch self {
        case let .number(x): return NumberText.compact(x)
        case let .string(s): return s
        }
    }
}

extension GridValue: Codable {
    private enum TagKey: String, CodingKey { case number }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if let x = try? single.decode(Double.self) {
                self = .number(x)
                return
            }
            if let s = try? single.decode(String.self) {
                self = .string(s)
                return
            }
        }
        let tagged = try decoder.container(keyedBy: TagKey.self)
        let spelling = try tagged.decode(String.self, forKey: .number)
        switch spelling {
        case "nan": self = .number(.nan)
        case "inf": self = .number(.infinity)
        case "-inf": self = .number(-.infinity)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .number, in: tagged,
                debugDescription: "\"\(spelling)\" is not nan, inf or -inf")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case let .number(x) where x.isFinite:
            var single = encoder.singleValueContainer()
            try single.encode(x)
        case let .number(x):
            var tagged = encoder.container(keyedBy: TagKey.self)
            try tagged.encode(NumberText.compact(x), forKey: .number)
        case let .string(s):
            var single = encoder.singleValueContainer()
            try single.encode(s)
        }
    }
}

/// A named value: one grid coordinate of a point (`alpha = 0.01`) or one field it returned.
///
/// In JSON: `{"name": "alpha", "value": 0.01}`; a list of these keeps its order, which a JSON
/// object would not.
public struct NamedValue: Sendable, Hashable, Codable {
    public var name: String
    /// The value; nil for a field a point declared but left empty (written as JSON `null`).
    public var value: GridValue?

    public init(_ name: String, _ value: GridValue?) {
        self.name = name
        self.value = value
    }

    private enum CodingKeys: String, CodingKey { case name, value }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        try keyed.encode(name, forKey: .name)
        try keyed.encode(value, forKey: .value)  // writes null for nil, so absence is explicit
    }
}
