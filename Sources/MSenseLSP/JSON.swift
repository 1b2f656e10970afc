import Foundation

/// JSON values as the server reads and writes them (Foundation's JSONSerialization objects),
/// with the checks that keep any input from stopping the server.
enum JSON {
    /// Deepest nesting accepted before parsing: LSP messages nest a few levels; a deeply nested
    /// input is refused up front rather than handed to a recursive parser.
    static let maxDepth = 64

    /// The object in `bytes`, or nil when they are not a JSON object (or nest too deeply).
    static func object(_ bytes: [UInt8]) -> [String: Any]? {
        guard depth(of: bytes) <= maxDepth else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(bytes), options: [])) as? [String: Any]
    }

    /// The deepest nesting of `[` and `{` outside strings.
    static func depth(of bytes: [UInt8]) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// The UTF-8 text of `value` (an object built by the server from strings, numbers, Bools,
    /// arrays, dictionaries and NSNull), written by `JSONWriter`.
    static func data(_ value: Any) -> [UInt8] {
        guard let bytes = JSONWriter.bytes(value) else {
            return Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"the server built an invalid reply"}}"#.utf8)
        }
        return bytes
    }

    /// An integer field (JSON numbers arrive as NSNumber).
    static func int(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double.isFinite, double == double.rounded(), abs(double) < 1e15 else { return nil }
        return Int(double)
    }
}
