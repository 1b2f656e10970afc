import Foundation

/// A NUL-terminated UTF-8 copy of a string, owned by the library and handed to C as
/// `const char *`; valid as long as the `CText` lives (the handle or cache holding it).
final class CText: @unchecked Sendable {
    // Safety: immutable after init.
    let pointer: UnsafeMutablePointer<CChar>
    /// Bytes before the terminating NUL (a string may hold NUL itself; C sees it cut there).
    let length: Int

    init(_ text: String) {
        let bytes = Array(text.utf8)
        length = bytes.count
        pointer = .allocate(capacity: bytes.count + 1)
        bytes.withUnsafeBufferPointer { source in
            for (i, byte) in source.enumerated() { pointer[i] = CChar(bitPattern: byte) }
        }
        pointer[bytes.count] = 0
    }

    deinit { pointer.deallocate() }

    var constPointer: UnsafePointer<CChar> { UnsafePointer(pointer) }
}

/// Host input decoded defensively: strings must be valid UTF-8, counts must fit.
enum CInput {
    /// A NUL-terminated C string as a Swift string; nil for null or invalid UTF-8.
    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(validatingCString: pointer)
    }

    /// `length` bytes at `pointer` (null with length 0 is the empty input); nil for a null
    /// pointer with a positive length or a length beyond `Interpreter.maxSourceBytes`.
    static func bytes(_ pointer: UnsafePointer<CChar>?, _ length: Int, limit: Int) -> [UInt8]? {
        guard length >= 0, length <= limit else { return nil }
        guard length > 0 else { return [] }
        guard let pointer else { return nil }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }
}

/// The last misuse (null or invalid handle, invalid UTF-8, an interpreter already running) on
/// the calling thread, for `msense_misuse()`.
enum Misuse {
    private static let key = "msense.misuse"

    /// Records `message` for this thread and returns `status` (for `return Misuse.report(...)`).
    static func report<T>(_ message: String, _ status: T) -> T {
        Thread.current.threadDictionary[key] = CText(message)
        return status
    }

    /// The last message on this thread, or nil when there was none.
    static var last: CText? { Thread.current.threadDictionary[key] as? CText }
}
