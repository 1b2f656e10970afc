import Tensor

/// The longest string and list a script may build, so that growing one without bound (say
/// `s = s + s` in a loop) stops with an error instead of aborting the process when an
/// allocation fails. Both are documented in docs/language.md ("Limits"). Within them, the
/// memory for a new string or list is checked like any large allocation (`AvailableMemory`,
/// which includes the host's memory limit) before it is built.
package enum LengthLimits {
    /// A string holds at most 10⁸ bytes of UTF-8 (100 MB).
    package static let maxStringBytes = 100_000_000
    /// A list holds at most 10⁸ items (the same bound as `range`).
    package static let maxListCount = 100_000_000

    /// The error message when a string of `bytes` UTF-8 bytes is too long, or nil.
    package static func stringProblem(_ bytes: Int) -> String? {
        bytes <= maxStringBytes
            ? AvailableMemory.refusal(bytes: bytes, for: "a string of \(bytes) bytes")
            : "the string would be \(bytes) bytes long, more than the \(maxStringBytes) a string may hold"
    }

    /// The error message when a list of `count` items is too long, or nil.
    /// Memory for a list is checked for all its items: call it before building a list anew
    /// (pushing one item is covered by the periodic resident-size check instead).
    package static func listProblem(_ count: Int) -> String? {
        count <= maxListCount
            ? AvailableMemory.refusal(bytes: count * MemoryLayout<Value>.stride, for: "a list of \(count) items")
            : "the list would have \(count) items, more than the \(maxListCount) a list may hold"
    }

    /// Checks a new list of `count` items before it is built, as every builtin and operator that
    /// builds one calls it: its length, its memory, then its work, `operations` elementary
    /// operations (nil: one per item) charged to the run's budget like a matrix's fill
    /// (docs/embedding.md § Steps). Throws a ``ScriptError`` (with `hint`) for the length or the
    /// memory, and the budget's `TensorError` for the work (a refusal, or a cancel).
    package static func requireList(_ count: Int, operations: Int? = nil, hint: String? = nil) throws {
        if let problem = listProblem(count) { throw ScriptError(problem, hint: hint) }
        try RunBudget.charge(operations ?? count, for: "a list of \(count) items")
    }

    /// ``requireList(_:operations:hint:)`` for an operator: its errors are failures at `site`.
    static func requireList(_ count: Int, at site: Site) throws {
        if let problem = listProblem(count) { throw RuntimeFailure(problem, at: site) }
        try Operators.tensor(site) { try RunBudget.charge(count, for: "a list of \(count) items") }
    }

    /// The error message when a list grown in place to `count` items is too long: its memory is
    /// checked each time its storage doubles (`count` a power of two).
    package static func growthProblem(_ count: Int) -> String? {
        count > maxListCount || count & (count - 1) == 0 ? listProblem(count) : nil
    }

    /// Text written to a file (`save` as .json) holds at most 10⁹ bytes (1 GB).
    package static let maxFileTextBytes = 1_000_000_000

    /// Checks text being built: nil while it holds at most `limit` bytes and, each time it
    /// doubles past 4 MiB (`nextCheck` keeps the next size to check at), as many bytes again fit
    /// the memory available and the host's limit; else why not (`.tooLong` or the memory refusal).
    package static func textGrowthProblem(bytes count: Int, limit: Int, nextCheck: inout Int) -> TextProblem? {
        if count > limit { return .tooLong }
        guard count > nextCheck else { return nil }
        nextCheck = 2 * count
        return AvailableMemory.refusal(bytes: 2 * count, for: "text of \(count) bytes so far").map(TextProblem.memory)
    }

    /// Why text being built was stopped.
    package enum TextProblem: Error {
        /// It passed its byte limit.
        case tooLong
        /// Memory refused it (the message says how much was needed and available).
        case memory(String)
    }

    /// The error message when the text of a value of type `typeName` (say a large matrix
    /// passed to `str`) would be longer than a string may hold; building it stopped at the limit.
    package static func textProblem(of typeName: String) -> String {
        "the text of this \(typeName) would be more than the \(maxStringBytes) bytes a string may hold"
    }
}
