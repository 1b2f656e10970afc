/// The names of an interpreter's global variables, functions and builtins, and their indices.
///
/// A value type: resolution works on a copy that is committed only when a whole script
/// resolves without errors, so a failed `run` or `check` leaves the interpreter unchanged.
struct GlobalTable {
    struct Binding {
        let index: Int
        var kind: Resolver.Kind
    }

    private(set) var bindings: [String: Binding] = [:]
    private(set) var count = 0

    /// Adds `name` and returns its new index.
    mutating func add(_ name: String, kind: Resolver.Kind) -> Int {
        bindings[name] = Binding(index: count, kind: kind)
        count += 1
        return count - 1
    }

    /// Changes the kind of an existing binding (a REPL re-definition).
    mutating func setKind(_ name: String, _ kind: Resolver.Kind) {
        bindings[name]?.kind = kind
    }
}
