import Tensor

/// A string option of a builtin (`kernel: "gram"`, `storage: "float32"`) as an enum: the cases'
/// raw values are the spellings scripts write, and ``Arguments/option(_:as:)`` reads one with a
/// single error wording for every option.
public protocol ScriptOption: RawRepresentable, CaseIterable where RawValue == String {}

extension ScriptOption {
    /// The spellings as scripts write them, quoted, for messages and docs: `"a", "b" or "c"`.
    public static var spellings: String {
        let quoted = allCases.map { "\"\($0.rawValue)\"" }
        guard let last = quoted.last, quoted.count > 1 else { return quoted.joined() }
        return quoted.dropLast().joined(separator: ", ") + " or " + last
    }
}

extension Arguments {
    /// The declaration index of parameter `name`, or an error saying the builtin has no such
    /// parameter (a builtin reading a parameter it did not declare).
    private func position(_ name: String) throws -> Int {
        guard let i = parameterNames.firstIndex(of: name) else {
            throw ScriptError("\(callee) has no parameter named '\(name)'")
        }
        return i
    }

    /// The value of parameter `name` (defaults filled in); `.nil` when the builtin declares no
    /// parameter of that name.
    public subscript(_ name: String) -> Value {
        parameterNames.firstIndex(of: name).map { values[$0] } ?? .nil
    }

    /// Parameter `name` as a number, or an error naming the parameter.
    public func number(_ name: String) throws -> Double { try number(position(name)) }

    /// Parameter `name` as an exact integer (|x| ≤ 2⁵³), or an error.
    public func integer(_ name: String) throws -> Int { try integer(position(name)) }

    /// Parameter `name` as a string, or an error.
    public func string(_ name: String) throws -> String { try string(position(name)) }

    /// Parameter `name` as a bool, or an error.
    public func bool(_ name: String) throws -> Bool { try bool(position(name)) }

    /// Parameter `name` as a list, or an error.
    public func list(_ name: String) throws -> ScriptList { try list(position(name)) }

    /// Parameter `name` as a matrix (a number is a 1×1 matrix), or an error.
    public func matrix(_ name: String) throws -> Matrix { try matrix(position(name)) }

    /// Parameter `name` as a host object of type `T`, or an error naming `typeName`.
    public func object<T: ScriptObject>(_ name: String, as type: T.Type, typeName: String) throws -> T {
        try object(position(name), as: type, typeName: typeName)
    }

    /// Parameter `name` as a seed (``seed(_:_:hint:)``), or an error naming `what`.
    package func seed(_ name: String, _ what: String, hint: String? = nil) throws -> UInt64 { try seed(position(name), what, hint: hint) }

    /// Parameter `name` as one of the spellings of option `O`, or an error listing them (with
    /// the closest one as a hint).
    public func option<O: ScriptOption>(_ name: String, as type: O.Type) throws -> O {
        let text = try string(name)
        if let option = O(rawValue: text) { return option }
        throw ScriptError("argument '\(name)' must be \(O.spellings), not \"\(text)\"",
                          hint: Suggestions.didYouMean(text, among: O.allCases.map(\.rawValue)))
    }
}
