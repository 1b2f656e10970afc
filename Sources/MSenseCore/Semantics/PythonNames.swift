/// Hints for undefined names that are Python's or NumPy's spelling of something msense writes
/// otherwise (`True` is `true`, `None` is `nil`, `np.linalg.norm` is `norm`), so that a script
/// ported from NumPy gets the msense spelling instead of an unrelated "did you mean".
enum PythonNames {
    private static let spellings: [String: String] = [
        "True": "msense writes the booleans in lower case: true",
        "False": "msense writes the booleans in lower case: false",
        "None": "msense's missing value is nil",
        "np": "msense has no modules: NumPy's functions are builtins (np.linalg.norm(M) is norm(M), np.mean(x) is mean(x), M.T is M'); msense --help lists them",
        "numpy": "msense has no modules: NumPy's functions are builtins (np.linalg.norm(M) is norm(M), np.mean(x) is mean(x), M.T is M'); msense --help lists them",
        "math": "msense has no modules: sqrt, exp, log, abs, floor and ceil are builtins",
    ]

    /// The hint for `name` when it is a Python or NumPy spelling, else nil.
    static func hint(_ name: String) -> String? { spellings[name] }
}
