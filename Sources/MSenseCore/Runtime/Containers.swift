/// The shared, mutable containers behind list and record values.
///
/// Safety of `@unchecked Sendable`: containers are created and mutated only on the thread
/// that runs the interpreter owning them; the annotation lets finished values be handed back
/// to the host thread after the run.
///
/// Both release their contents iteratively, so a list nested a million levels deep (built by a
/// loop such as `xs = [xs]`) is freed without recursing once per level.

/// A list value's storage.
public final class ScriptList: @unchecked Sendable {
    /// The elements, in order.
    public var items: [Value]

    /// A list holding `items`.
    public init(_ items: [Value] = []) { self.items = items }

    deinit { ContainerRelease.drain(&items) }
}

/// A record value's storage: ordered field names and their values.
public final class ScriptRecord: @unchecked Sendable {
    /// Field names in order of creation.
    public private(set) var names: [String]
    /// Field values, parallel to `names`.
    public private(set) var values: [Value]

    /// A record with the given fields; names must be distinct (later duplicates are dropped).
    public init(names: [String], values: [Value]) {
        var seenNames: [String] = [], seenValues: [Value] = []
        for (name, value) in zip(names, values) where !seenNames.contains(name) {
            seenNames.append(name)
            seenValues.append(value)
        }
        self.names = seenNames
        self.values = seenValues
    }

    /// The value of field `name`, if present.
    public subscript(name: String) -> Value? {
        guard let i = names.firstIndex(of: name) else { return nil }
        return values[i]
    }

    /// Sets field `name`, adding it at the end when it does not exist yet.
    public func set(_ name: String, _ value: Value) {
        if let i = names.firstIndex(of: name) { values[i] = value } else {
            names.append(name)
            values.append(value)
        }
    }

    deinit { ContainerRelease.drain(&values) }
}

/// Releases nested containers with an explicit work list instead of recursion.
enum ContainerRelease {
    static func drain(_ items: inout [Value]) {
        var pending: [Value] = []
        swap(&pending, &items)
        while var next = pending.popLast() {
            var list: ScriptList?
            var record: ScriptRecord?
            switch next {
            case .list(let l): list = l
            case .record(let r): record = r
            default: continue
            }
            next = .nil  // drop the enum's reference so the uniqueness test below can succeed
            // Only steal the children when this is the last reference to the container.
            if isKnownUniquelyReferenced(&list), let l = list {
                pending.append(contentsOf: l.items)
                l.items = []
            }
            if isKnownUniquelyReferenced(&record), let r = record {
                pending.append(contentsOf: r.values)
                r.clearForRelease()
            }
        }
    }
}

extension ScriptRecord {
    fileprivate func clearForRelease() {
        names = []
        values = []
    }
}
