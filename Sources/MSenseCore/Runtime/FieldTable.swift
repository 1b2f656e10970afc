/// The fields of one kind of script object, declared once: each name with how to read it. The
/// names a script can list (`keys(x)`, "did you mean" hints) and the values it reads come from
/// the same table.
public struct FieldTable<Object>: Sendable {
    /// Reads one field of an object.
    public typealias Getter = @Sendable (Object) throws -> Value
    private let entries: [(name: String, get: Getter)]

    /// A table of `entries`, in the order scripts see them.
    public init(_ entries: KeyValuePairs<String, Getter>) {
        self.entries = entries.map { (name: $0.key, get: $0.value) }
    }

    /// A table of `entries` made at run time (fields named by data, such as a trace's columns
    /// or a model's factors), in the order scripts see them.
    public init(_ entries: [(name: String, get: Getter)]) {
        self.entries = entries
    }

    /// The fields of `first`, then those of `second` (a name in both reads from `first`).
    public static func + (first: FieldTable, second: FieldTable) -> FieldTable {
        FieldTable(first.entries + second.entries)
    }

    /// The field names, in order.
    public var names: [String] { entries.map(\.name) }

    /// Field `name` of `object`, or nil when the table has no such field.
    public func value(of object: Object, named name: String) throws -> Value? {
        guard let entry = entries.first(where: { $0.name == name }) else { return nil }
        return try entry.get(object)
    }
}

/// A script object whose fields come from one ``FieldTable``: `fieldNames` and `field(named:)`
/// are derived from it.
public protocol TabledScriptObject: ScriptObject {
    /// The fields every object of this kind has.
    static var fields: FieldTable<Self> { get }
    /// The fields of this object: ``fields`` unless some depend on the object (a trace's
    /// columns, a model's factors), which it then adds to them.
    var fieldTable: FieldTable<Self> { get }
}

extension TabledScriptObject {
    public var fieldTable: FieldTable<Self> { Self.fields }

    public var fieldNames: [String] { fieldTable.names }

    public func field(named name: String) throws -> Value? {
        try fieldTable.value(of: self, named: name)
    }
}
