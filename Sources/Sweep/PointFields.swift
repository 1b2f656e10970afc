/// What one point returned: an ordered record of named values (`loss`, `rank`, `phase`, …).
///
/// The order is kept because it becomes the order of the table's columns (first seen, first
/// placed). Setting a name twice replaces its value in place. A nil value means "declared but
/// empty" and becomes an empty cell.
public struct PointFields: Sendable, Hashable {
    /// The fields in the order they were first set.
    public private(set) var entries: [NamedValue] = []

    /// No fields.
    public init() {}

    /// Fields in the order given; a repeated name keeps its first position and last value.
    public init(_ entries: [NamedValue]) {
        for entry in entries { self[entry.name] = entry.value }
    }

    /// The field names in order.
    public var names: [String] { entries.map(\.name) }

    /// The value of `name`; nil when absent or empty. Setting appends a new name at the end and
    /// replaces an existing one in place.
    public subscript(name: String) -> GridValue? {
        get { entries.first(where: { $0.name == name })?.value }
        set {
            if let k = entries.firstIndex(where: { $0.name == name }) {
                entries[k].value = newValue
            } else {
                entries.append(NamedValue(name, newValue))
            }
        }
    }
}

extension PointFields: ExpressibleByDictionaryLiteral {
    /// `["loss": .number(0.1), "phase": .string("escape")]`, in the order written.
    public init(dictionaryLiteral elements: (String, GridValue?)...) {
        self.init(elements.map { NamedValue($0.0, $0.1) })
    }
}

extension PointFields: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [NamedValue](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try entries.encode(to: encoder)
    }
}
