/// The fields of one kind of script object, declared once: each name with how to read it. The
/// names a script can list (`keys(x)`, "did you mean" hints) and the values it reads come from
/// the same table.
public struct FieldTable<Object>: Sendable {
    /// Reads one field of an object.
    public typealias Getter = @Sendable (Object) throws -> Value
    /// The field names, in the order scripts see them. Kept apart from the getters, so finding a
    /// field compares strings in a `[String]` (no generic code runs per lookup).
    public let names: [String]
    /// The getter of each name, in the same order.
    private let getters: [Getter]

    /// A table of `entries`, in the order scripts see them.
    public init(_ entries: KeyValuePairs<String, Getter>) {
        names = entries.map(\.key)
        getters = entries.map(\.value)
    }

    /// A table of `entries` made at run time (fields named by data, such as a trace's columns
    /// or a model's factors), in the order scripts see them.
    public init(_ entries: [(name: String, get: Getter)]) {
        names = entries.map(\.name)
        getters = entries.map(\.get)
    }

    private init(names: [String], getters: [Getter]) {
        self.names = names
        self.getters = getters
    }

    /// The fields of `first`, then those of `second` (a name in both reads from `first`).
    public static func + (first: FieldTable, second: FieldTable) -> FieldTable {
        FieldTable(names: first.names + second.names, getters: first.getters + second.getters)
    }

    /// Field `name` of `object`, or nil when the table has no such field.
    public func value(of object: Object, named name: String) throws -> Value? {
        guard let k = names.firstIndex(of: name), k < getters.count else { return nil }
        return try getters[k](object)
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
