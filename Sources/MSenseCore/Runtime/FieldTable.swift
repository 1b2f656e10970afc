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
    /// Every field of this kind of object.
    static var fields: FieldTable<Self> { get }
}

extension TabledScriptObject {
    public var fieldNames: [String] { Self.fields.names }

    public func field(named name: String) throws -> Value? {
        try Self.fields.value(of: self, named: name)
    }
}
