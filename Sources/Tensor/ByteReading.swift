/// Bounds-checked little-endian reads from a byte array, for the file parsers.
///
/// Each returns nil when the requested bytes do not all lie inside the array, so a parser
/// turns a short file into an error instead of reading past the end.
extension Array where Element == UInt8 {
    /// True when `offset ..< offset + length` lies inside the array (overflow-safe).
    func contains(offset: Int, length: Int) -> Bool {
        guard offset >= 0, length >= 0 else { return false }
        let (end, overflow) = offset.addingReportingOverflow(length)
        return !overflow && end <= count
    }

    /// The unsigned little-endian integer of `byteCount` (≤ 8) bytes at `offset`.
    func littleEndian(at offset: Int, byteCount: Int) -> UInt64? {
        guard byteCount <= 8, contains(offset: offset, length: byteCount) else { return nil }
        var v: UInt64 = 0
        for k in stride(from: byteCount - 1, through: 0, by: -1) { v = v << 8 | UInt64(self[offset + k]) }
        return v
    }

    /// The 16-bit little-endian integer at `offset`, as `Int`.
    func uint16(at offset: Int) -> Int? { littleEndian(at: offset, byteCount: 2).map { Int($0) } }

    /// The 32-bit little-endian integer at `offset`, as `Int`.
    func uint32(at offset: Int) -> Int? { littleEndian(at: offset, byteCount: 4).map { Int($0) } }

    /// The bytes `offset ..< offset + length`, or nil if they are not all inside the array.
    func bytes(at offset: Int, length: Int) -> ArraySlice<UInt8>? {
        contains(offset: offset, length: length) ? self[offset..<(offset + length)] : nil
    }
}

/// Appending little-endian integers, for the file writers.
extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
