import Foundation
import Testing
@testable import MSenseLSP

/// The server's JSON writer: what it writes reads back, through Foundation's parser, as the
/// value it was given.
@Suite struct JSONWriterTests {
    /// `value` written and parsed back.
    private func roundTrip(_ value: Any) throws -> Any {
        let bytes = try #require(JSONWriter.bytes(value))
        return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    @Test func stringsKeepEveryCharacter() throws {
        for text in ["", "plain", "quote \" backslash \\ slash /", "line\nreturn\r\ttab", "\u{01}\u{1F}\u{7F}",
                     "α + β = γ, 😀", "\u{2028}\u{2029}", "NUL \u{0} inside"] {
            #expect(try roundTrip(text) as? String == text, "\(text.debugDescription)")
        }
        #expect(JSONWriter.bytes("a/b").map { String(decoding: $0, as: UTF8.self) } == #""a/b""#)
    }

    @Test func numbersBoolsAndNullKeepTheirKind() throws {
        let text = try #require(JSONWriter.bytes(["int": -42, "big": 9_007_199_254_740_993, "half": 0.5, "tiny": 1e-300,
                                                  "yes": true, "no": false, "none": NSNull()] as [String: Any]))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text)) as? [String: Any])
        #expect(JSON.int(parsed["int"]) == -42)
        #expect((parsed["big"] as? NSNumber)?.int64Value == 9_007_199_254_740_993)
        #expect((parsed["half"] as? NSNumber)?.doubleValue == 0.5)
        #expect((parsed["tiny"] as? NSNumber)?.doubleValue == 1e-300)
        #expect(parsed["none"] is NSNull)
        let written = String(decoding: text, as: UTF8.self)
        #expect(written.contains(#""yes":true"#) && written.contains(#""no":false"#))
    }

    @Test func containersOfOneElementTypeAndExtremeIntegers() throws {
        let tokens: [String: [Int]] = ["data": [0, -1, Int.max, Int.min, 10, 9, 100]]
        #expect(JSONWriter.bytes(tokens).map { String(decoding: $0, as: UTF8.self) }
                == "{\"data\":[0,-1,9223372036854775807,-9223372036854775808,10,9,100]}")
        let names: [String: String] = ["kind": "gd"], nested: [[Int]] = [[1, 2], []]
        #expect(try roundTrip(names) as? [String: String] == names)
        #expect(try roundTrip(nested) as? [[Int]] == nested)
    }

    @Test func nestedValuesAndParsedIDs() throws {
        let message = try #require(JSON.object(Array(#"{"id": 7, "other": "x"}"#.utf8)))
        let reply: [String: Any] = ["jsonrpc": "2.0", "id": message["id"] as Any,
                                    "result": ["data": [0, 1, -2, 3, 4], "items": [["label": "gd", "kind": 3]], "empty": [Int]()]]
        let parsed = try #require(try roundTrip(reply) as? [String: Any])
        #expect(JSON.int(parsed["id"]) == 7)
        let result = try #require(parsed["result"] as? [String: Any])
        #expect((result["data"] as? [Any])?.compactMap(JSON.int) == [0, 1, -2, 3, 4])
        #expect(((result["items"] as? [Any])?.first as? [String: Any])?["label"] as? String == "gd")
        #expect((result["empty"] as? [Any])?.isEmpty == true)
    }

    @Test func somethingNotJSONIsRefused() {
        #expect(JSONWriter.bytes(["x": Double.nan]) == nil)
        #expect(JSONWriter.bytes([Double.infinity]) == nil)
        #expect(JSONWriter.bytes(["x": Date()]) == nil)
        let reply = String(decoding: JSON.data(["x": Double.nan]), as: UTF8.self)
        #expect(reply.contains("the server built an invalid reply"))
    }
}
