/// Hints for undefined names that are Python's or NumPy's spelling of something msense writes
/// otherwise (`True` is `true`, `None` is `nil`, `np.linalg.norm` is `norm`, `np.pi` is
/// `acos(-1)`), so that a script
/// ported from NumPy gets the msense spelling instead of an unrelated "did you mean".
enum PythonNames {
    private static let spellings: [String: String] = [
        "True": "msense writes the booleans in lower case: true",
        "False": "msense writes the booleans in lower case: false",
        "None": "msense's missing value is nil",
        "np": "msense has no modules: NumPy's functions are builtins (np.linalg.norm(M) is norm(M), np.mean(x) is mean(x), M.T is M'); msense --help lists them",
        "numpy": "msense has no modules: NumPy's functions are builtins (np.linalg.norm(M) is norm(M), np.mean(x) is mean(x), M.T is M'); msense --help lists them",
        "math": "msense has no modules: sqrt, exp, log, sin, cos, acos, abs, floor and ceil are builtins",
        "nan": "msense has no nan constant: num(\"nan\") is NaN",
        "NaN": "msense has no nan constant: num(\"nan\") is NaN",
        "inf": "msense has no inf constant: num(\"inf\") is +∞ (-num(\"inf\") is −∞)",
        "pi": "msense has no pi constant: acos(-1) is π",
    ]

    /// The hint for `name` when it is a Python or NumPy spelling, else nil.
    static func hint(_ name: String) -> String? { spellings[name] }
}
