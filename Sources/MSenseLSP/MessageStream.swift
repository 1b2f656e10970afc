import Foundation

/// The Language Server Protocol's framing on a byte stream: each message is
/// `Content-Length: N\r\n` (other headers allowed) `\r\n` and N bytes of JSON.
///
/// Bad framing never stops the stream: a header block without a valid length is dropped and
/// reading goes on at the next header; a length over `maxMessageBytes` has its bytes skipped.
/// A length shorter than its body leaves the body's rest in front of the next header, on the
/// same line as its `Content-Length`; the header is still found there (the rest is dropped), so
/// one wrong length loses one message, not every message after it.
struct MessageStream {
    /// The longest message body accepted (a document of up to 256 MiB, as JSON).
    static let maxMessageBytes = 1 << 29

    enum Event: Equatable {
        case message([UInt8])
        /// A header block or a body that had to be dropped, and why.
        case malformed(String)
    }

    private var buffer: [UInt8] = []
    private var start = 0
    private var skipping = 0

    /// Adds bytes read from the stream and returns the complete messages (and framing errors).
    mutating func append(_ bytes: some Collection<UInt8>) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while true {
            if skipping > 0 {
                let n = min(skipping, buffer.count - start)
                start += n
                skipping -= n
                if skipping > 0 { break }
            }
            guard let headerEnd = Self.find([13, 10, 13, 10], in: buffer, from: start) else { break }
            let header = String(decoding: buffer[start..<headerEnd], as: UTF8.self)
            let bodyStart = headerEnd + 4
            guard let length = Self.contentLength(header) else {
                events.append(.malformed("a message header without a valid Content-Length"))
                start = bodyStart
                continue
            }
            if length > Self.maxMessageBytes {
                events.append(.malformed("a message of \(length) bytes (more than \(Self.maxMessageBytes))"))
                start = bodyStart
                skipping = length
                continue
            }
            guard buffer.count - bodyStart >= length else { break }
            events.append(.message(Array(buffer[bodyStart..<bodyStart + length])))
            start = bodyStart + length
        }
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        return events
    }

    /// The value of the `Content-Length` header, when it is a non-negative integer (bytes left
    /// over in front of the header's name are skipped).
    static func contentLength(_ header: String) -> Int? {
        for line in header.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let name = line.range(of: "content-length:", options: [.caseInsensitive, .backwards]) else { continue }
            let value = line[name.upperBound...].trimmingCharacters(in: .whitespaces)
            guard value.count <= 12, let n = Int(value), n >= 0 else { return nil }
            return n
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], Array(haystack[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// `body` framed for sending.
    static func frame(_ body: [UInt8]) -> [UInt8] {
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}
