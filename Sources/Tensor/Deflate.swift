import CZlib

/// Deflate streams (RFC 1951: raw, as inside zip archives, or in the zlib wrapper of RFC 1950, as
/// inside PNG files) and the CRC-32 checksum, by zlib.
package enum Deflate {
    /// Why an inflate failed, as a phrase for an error message.
    package struct Failure: Error {
        package let reason: String
    }

    /// The CRC-32 (ISO 3309 polynomial, as zip and PNG use) of `bytes`, continuing from the CRC
    /// `initial` of the bytes before them (0 for none).
    package static func crc32(_ bytes: ArraySlice<UInt8>, initial: UInt32 = 0) -> UInt32 {
        var crc = UInt(initial)
        var start = bytes.startIndex
        while start < bytes.endIndex {  // zlib takes at most 2³² − 1 bytes per call
            let end = bytes.index(start, offsetBy: min(bytes.endIndex - start, 1 << 30))
            crc = bytes[start..<end].withUnsafeBufferPointer { CZlib.crc32(crc, $0.baseAddress, UInt32($0.count)) }
            start = end
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// Inflates a raw deflate stream that must expand to exactly `expectedSize` bytes
    /// (at most 2³² − 2, the zip32 limit).
    static func inflate(_ input: ArraySlice<UInt8>, expectedSize: Int) throws(Failure) -> [UInt8] {
        guard input.count < Int(UInt32.max), expectedSize >= 0, expectedSize < Int(UInt32.max) else {
            throw Failure(reason: "is too large for a zip32 archive")
        }
        var source = Array(input)
        var output = [UInt8](repeating: 0, count: expectedSize + 1)  // one spare byte detects overlong streams
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(reason: "could not be inflated: zlib failed to initialise")
        }
        defer { inflateEnd(&stream) }
        let status = finish(&stream, from: &source, into: &output) { CZlib.inflate($0, Z_FINISH) }
        let produced = Int(stream.total_out)
        switch status {
        case Z_STREAM_END where produced == expectedSize:
            output.removeLast()
            return output
        case Z_STREAM_END:
            throw Failure(reason: "inflates to \(produced) bytes, not the \(expectedSize) the directory declares")
        case Z_DATA_ERROR:
            let message = stream.msg.map { String(cString: $0) } ?? "invalid data"
            throw Failure(reason: "holds corrupt deflate data (\(message))")
        default:
            if produced > expectedSize {
                throw Failure(reason: "inflates to more than the \(expectedSize) bytes the directory declares")
            }
            throw Failure(reason: "holds a deflate stream that ends early (zlib status \(status))")
        }
    }

    /// `input` compressed as a raw deflate stream at zlib's default level.
    static func deflate(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        try compress(input, windowBits: -15, level: Z_DEFAULT_COMPRESSION)
    }

    /// `input` compressed as one zlib stream (RFC 1950: header, deflate data, Adler-32) at `level`
    /// (0 to 9; 1 is zlib's fastest).
    package static func zlibStream(_ input: [UInt8], level: Int32) throws(Failure) -> [UInt8] {
        try compress(input, windowBits: 15, level: level)
    }

    /// `input` deflated with a 2¹⁵-byte window, raw (`windowBits` −15) or zlib-wrapped (15).
    /// zlib reads `input` in place, and the output's pages beyond what it writes are never
    /// touched, so a well-compressed image takes little more memory than its input.
    private static func compress(_ input: [UInt8], windowBits: Int32, level: Int32) throws(Failure) -> [UInt8] {
        guard input.count < Int(UInt32.max) else { throw Failure(reason: "is too large to compress in one call (4 GB)") }
        var stream = z_stream()
        guard deflateInit2_(
            &stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw Failure(reason: "could not be compressed: zlib failed to initialise") }
        defer { deflateEnd(&stream) }
        let capacity = Int(deflateBound(&stream, UInt(input.count))) + 16
        var status = Z_OK
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
            input.withUnsafeBufferPointer { pin in
                // zlib's next_in is not const, but deflate only reads through it.
                stream.next_in = pin.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
                stream.avail_in = UInt32(pin.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                status = CZlib.deflate(&stream, Z_FINISH)
            }
            count = status == Z_STREAM_END ? Int(stream.total_out) : 0
        }
        guard status == Z_STREAM_END else {
            throw Failure(reason: "could not be compressed (zlib status \(status))")
        }
        return output
    }

    /// Points `stream` at all of `source` and `output` and runs `step` (inflate with
    /// `Z_FINISH`) once; returns zlib's status.
    private static func finish(_ stream: inout z_stream, from source: inout [UInt8], into output: inout [UInt8],
                               _ step: (UnsafeMutablePointer<z_stream>) -> Int32) -> Int32 {
        source.withUnsafeMutableBufferPointer { pin in
            output.withUnsafeMutableBufferPointer { pout in
                stream.next_in = pin.baseAddress
                stream.avail_in = UInt32(pin.count)
                stream.next_out = pout.baseAddress
                stream.avail_out = UInt32(pout.count)
                return step(&stream)
            }
        }
    }
}
