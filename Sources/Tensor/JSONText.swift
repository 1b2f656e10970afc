/// `text` as a JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`,
/// `\r`, or `\u00XX` (lowercase hex). The one JSON string writer of traces, sweep tables,
/// script values saved as `.json` and the language server's replies.
public func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
