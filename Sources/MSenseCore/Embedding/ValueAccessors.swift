import Tensor

/// Typed access to script values for hosts: each accessor returns the Swift value when the
/// script value has that type, and nil otherwise (no conversions beyond the ones stated).
extension Value {
    /// The number, or nil.
    public var doubleValue: Double? {
        if case .number(let x) = self { return x }
        return nil
    }

    /// The number when it is an integer exactly representable as `Int`, or nil.
    public var intValue: Int? {
        guard case .number(let x) = self, x.rounded() == x, abs(x) < 9.007199254740992e15 else { return nil }
        return Int(x)
    }

    /// The string, or nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The bool, or nil.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The list's items (a snapshot: lists are shared and mutable), a range's integers, or nil.
    public var listValue: [Value]? {
        switch self {
        case .list(let list): return list.items
        case .range(let lower, let upper): return lower < upper ? (lower..<upper).map { .number(Double($0)) } : []
        default: return nil
        }
    }

    /// The matrix, or nil.
    public var matrixValue: Matrix? {
        if case .matrix(let m) = self { return m }
        return nil
    }

    /// The record's fields in order (a snapshot), or nil.
    public var recordValue: [(name: String, value: Value)]? {
        guard case .record(let record) = self else { return nil }
        return zip(record.names, record.values).map { ($0, $1) }
    }

    /// The host object when it is a `T` (a trace, a panel), or nil: how code asks what kind of
    /// object a value is, instead of comparing `typeName`s.
    public func object<T: ScriptObject>(as type: T.Type) -> T? {
        if case .object(let object as T) = self { return object }
        return nil
    }

    /// Field `name` of a record or host object (`run["trace"]`), or nil when there is none.
    public subscript(field name: String) -> Value? {
        switch self {
        case .record(let record):
            return record[name]
        case .object(let object):
            return (try? object.field(named: name)) ?? nil
        default:
            return nil
        }
    }
}

extension Value: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    /// `let v: Value = 0.5`
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `let v: Value = 3`
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `let v: Value = "gaussian"`
    public init(stringLiteral value: String) { self = .string(value) }
    /// `let v: Value = true`
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `let v: Value = [1, 2, "three"]` (a new list)
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    /// `let v: Value = nil`
    public init(nilLiteral: ()) { self = .nil }
}
