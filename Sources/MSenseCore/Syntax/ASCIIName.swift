import Foundation

/// The ASCII spelling of a name written with other letters, for the hint of the error that
/// refuses it: names are ASCII (`a`–`z`, `A`–`Z`, `0`–`9`, `_`), while papers write `α`, `λ₁`,
/// `σ_max`. Greek letters become their English names (`α` → `alpha`, `Σ` → `Sigma`), sub- and
/// superscript digits the digits (`₁` → `1`), accented Latin letters their base letter
/// (`é` → `e`); ASCII name characters stay.
enum ASCIIName {
    /// The spelling of `word`, or nil when some character has none or the result is not a
    /// usable name (empty, starting with a digit, or a keyword).
    static func spelling(of word: String) -> String? {
        var out = ""
        for scalar in word.unicodeScalars {
            guard let part = spelling(of: scalar) else { return nil }
            out += part
        }
        guard let first = out.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
              TokenKind.keywords[out] == nil else { return nil }
        return out
    }

    /// Whether `scalar` may continue a word that an ASCII spelling is offered for: a letter or a
    /// digit of any script (`α`, `é`, `₁`).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType == .digit
            || scalar.properties.numericType == .decimal
    }

    private static func spelling(of scalar: Unicode.Scalar) -> String? {
        if scalar.isASCII {
            return Lexer.isIdentifierByte(UInt8(scalar.value)) ? String(scalar) : nil
        }
        if let name = greek[scalar] { return name }
        if let digit = scalar.properties.numericValue, scalar.properties.numericType == .digit || scalar.properties.numericType == .decimal,
           digit >= 0, digit <= 9, digit == digit.rounded() {
            return String(Int(digit))
        }
        let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            $0.isASCII && Lexer.isIdentifierByte(UInt8($0.value))
        }
        return base.isEmpty ? nil : String(String.UnicodeScalarView(base))
    }

    private static let greek: [Unicode.Scalar: String] = [
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
        "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
        "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho",
        "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
        "χ": "chi", "ψ": "psi", "ω": "omega",
        "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
        "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
    ]
}
