/// `text` as one word for a POSIX shell (bash, sh), with nothing in it expanded.
///
/// A word made only of `A–Z a–z 0–9 _ - . / , : = + @ %` is returned as is (it means the same
/// quoted or not). Anything else is wrapped in single quotes, inside which a shell expands
/// nothing (`$`, the backquote, `\`, `*`, spaces and newlines are all literal); a single quote itself,
/// which cannot appear inside single quotes, is written as `'\''` (close, escaped quote, reopen).
/// The empty string is `''`.
public func shellQuote(_ text: String) -> String {
    if !text.isEmpty, text.unicodeScalars.allSatisfy(isShellSafe) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

private func isShellSafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "A"..."Z", "0"..."9": return true
    case "_", "-", ".", "/", ",", ":", "=", "+", "@", "%": return true
    default: return false
    }
}
