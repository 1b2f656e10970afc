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
///
/// A small record finds a field by scanning its names; once it has more than 16 fields it also
/// keeps a name → position dictionary, so looking up and adding fields stays O(1) amortised
/// however many it has (a record built one field per loop iteration).
public final class ScriptRecord: @unchecked Sendable {
    /// Field names in order of creation.
    public private(set) var names: [String]
    /// Field values, parallel to `names`.
    public private(set) var values: [Value]
    /// The position of each name, kept once the record has more than `indexedFieldCount` fields.
    /// (Accessed without the dynamic exclusivity check: records are used on one thread, and no
    /// access to it overlaps another.)
    @exclusivity(unchecked) private(set) var positions: [String: Int]?

    /// Records with up to this many fields are searched by scanning their names.
    static let indexedFieldCount = 16

    /// A record with the given fields; names must be distinct (later duplicates are dropped).
    public init(names: [String], values: [Value]) {
        let count = min(names.count, values.count)
        var keptNames: [String] = [], keptValues: [Value] = []
        keptNames.reserveCapacity(count)
        keptValues.reserveCapacity(count)
        var index: [String: Int]? = count > Self.indexedFieldCount ? Dictionary(minimumCapacity: count) : nil
        for i in 0..<count {
            let name = names[i]
            if index != nil {
                if index?[name] != nil { continue }
                index?[name] = keptNames.count
            } else if keptNames.contains(name) {
                continue
            }
            keptNames.append(name)
            keptValues.append(values[i])
        }
        self.names = keptNames
        self.values = keptValues
        positions = keptNames.count > Self.indexedFieldCount ? index : nil
    }

    /// The value of field `name`, if present.
    @inline(__always)
    public subscript(name: String) -> Value? {
        guard let i = position(of: name) else { return nil }
        return values[i]
    }

    /// Sets field `name`, adding it at the end when it does not exist yet.
    public func set(_ name: String, _ value: Value) {
        if let i = position(of: name) { values[i] = value } else { append(name, value) }
    }

    /// Where field `name` is in `names`, or nil.
    @inline(__always)
    private func position(of name: String) -> Int? {
        if let positions { return positions[name] }
        return names.firstIndex(of: name)
    }

    /// Adds a field that does not exist yet, indexing the names once there are enough of them.
    private func append(_ name: String, _ value: Value) {
        names.append(name)
        values.append(value)
        if positions != nil {
            positions?[name] = names.count - 1
        } else if names.count > Self.indexedFieldCount {
            positions = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
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
        positions = nil
    }
}
