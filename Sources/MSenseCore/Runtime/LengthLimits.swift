/// The longest string and list a script may build, so that growing one without bound (say
/// `s = s + s` in a loop) stops with an error instead of aborting the process when an
/// allocation fails. Both are documented in docs/language.md ("Limits").
package enum LengthLimits {
    /// A string holds at most 10⁸ bytes of UTF-8 (100 MB).
    package static let maxStringBytes = 100_000_000
    /// A list holds at most 10⁸ items (the same bound as `range`).
    package static let maxListCount = 100_000_000

    /// The error message when a string of `bytes` UTF-8 bytes is too long, or nil.
    package static func stringProblem(_ bytes: Int) -> String? {
        bytes <= maxStringBytes ? nil
            : "the string would be \(bytes) bytes long, more than the \(maxStringBytes) a string may hold"
    }

    /// The error message when a list of `count` items is too long, or nil.
    package static func listProblem(_ count: Int) -> String? {
        count <= maxListCount ? nil
            : "the list would have \(count) items, more than the \(maxListCount) a list may hold"
    }

    /// The error message when the text of a value of type `typeName` (say a large matrix
    /// passed to `str`) would be longer than a string may hold; building it stopped at the limit.
    package static func textProblem(of typeName: String) -> String {
        "the text of this \(typeName) would be more than the \(maxStringBytes) bytes a string may hold"
    }
}
