import Foundation
import Tensor

/// Writes the server's replies as JSON text without Foundation's `JSONSerialization`, which
/// bridges every number to `NSNumber`: the semantic tokens of a 2000-line document (130 000
/// integers) took half a second that way, and every other request waited behind them.
///
/// It writes what the server builds: strings, `Int`, `Double` (finite), `Bool`, `NSNull`,
/// arrays and `[String: Any]` dictionaries. Anything else (a request's `id` as it was parsed,
/// an `NSNumber`) goes through `JSONSerialization` on its own, so it is written as before.
enum JSONWriter {
    /// The UTF-8 JSON text of `value`, or nil when some part of it is not JSON (a non-finite
    /// number, an object of another type).
    static func bytes(_ value: Any) -> [UInt8]? {
        var out: [UInt8] = []
        return write(value, into: &out) ? out : nil
    }

    private static func write(_ value: Any, into out: inout [UInt8]) -> Bool {
        // The server's own containers are matched by their exact type first: a failed cast of
        // an array or dictionary (`as? String`, `is NSNull`) bridges all of it to Foundation,
        // which made writing a reply of many objects take seconds.
        let kind = type(of: value)
        if kind == [String: Any].self, let dictionary = value as? [String: Any] {
            return writeObject(dictionary, into: &out)
        } else if kind == [[String: Any]].self, let array = value as? [[String: Any]] {
            return writeArray(array, into: &out)
        } else if kind == [Any].self, let array = value as? [Any] {
            return writeArray(array, into: &out)
        } else if kind == [Int].self, let integers = value as? [Int] {
            writeIntegers(integers, into: &out)
            return true
        }
        // Scalars by exact type too: a cast such as `as? String` of a container of another
        // element type (`[String: [Int]]`) bridges every element to Foundation first.
        if kind == String.self, let string = value as? String {
            writeString(string, into: &out)
        } else if kind == Bool.self, let flag = value as? Bool {
            out += Array((flag ? "true" : "false").utf8)
        } else if kind == Int.self, let integer = value as? Int {
            out += Array(String(integer).utf8)
        } else if kind == Double.self, let double = value as? Double {
            guard double.isFinite else { return false }
            out += Array("\(double)".utf8)
        } else if kind == NSNull.self {
            out += Array("null".utf8)
        } else if let dictionary = value as? [String: Any] {
            return writeObject(dictionary, into: &out)
        } else if let array = value as? [Any] {
            return writeArray(array, into: &out)
        } else {
            return writeFragment(value, into: &out)
        }
        return true
    }

    /// An array of integers (the semantic tokens' data, five per token), each written digit by
    /// digit.
    private static func writeIntegers(_ integers: [Int], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + 4 * integers.count + 2)
        out.append(UInt8(ascii: "["))
        var digits: [UInt8] = []
        for (i, integer) in integers.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if integer < 0 { out.append(UInt8(ascii: "-")) }
            var magnitude = integer.magnitude
            digits.removeAll(keepingCapacity: true)
            repeat {
                digits.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: digits.reversed())
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func writeObject(_ dictionary: [String: Any], into out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "{"))
        for (i, (key, item)) in dictionary.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            guard write(item, into: &out) else { return false }
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    private static func writeArray<Item>(_ array: [Item], into out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "["))
        for (i, item) in array.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            guard write(item, into: &out) else { return false }
        }
        out.append(UInt8(ascii: "]"))
        return true
    }

    /// A JSON string, as Tensor's `jsonString` writes every JSON string of the project.
    private static func writeString(_ string: String, into out: inout [UInt8]) {
        out += jsonString(string).utf8
    }

    /// Any other value, written by `JSONSerialization` inside a one-element array whose
    /// brackets are then dropped.
    private static func writeFragment(_ value: Any, into out: inout [UInt8]) -> Bool {
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes]),
              data.count >= 2 else { return false }
        out += data.dropFirst().dropLast()
        return true
    }
}
