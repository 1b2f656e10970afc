/// The subset of the zip format (PKWARE APPNOTE 6.3) that `.npz` files use: one disk, no
/// encryption, entries stored (method 0) or deflated (method 8), 32-bit sizes (no Zip64).
///
/// Reading trusts the central directory, not the local headers, for sizes and checksums, so
/// entries written with data descriptors (general-purpose flag bit 3) read correctly.
/// Every inconsistency is reported as a phrase; the caller names the archive.
enum ZipArchive {
    /// One file inside an archive, as its central directory describes it.
    struct Entry {
        let name: String
        let method: Int
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    /// Why an archive cannot be read or written; `entry` names the member when one is at fault.
    struct Failure: Error {
        let entry: String?
        let reason: String
    }

    static let localSignature = 0x0403_4B50
    static let centralSignature = 0x0201_4B50
    static let endSignature = 0x0605_4B50
    static let zip64LocatorSignature = 0x0706_4B50

    // MARK: Reading

    /// The entries listed in the central directory of `bytes`, in directory order.
    static func entries(_ bytes: [UInt8]) throws(Failure) -> [Entry] {
        let end = try findEndRecord(bytes)
        guard let diskNumber = bytes.uint16(at: end + 4), let cdDisk = bytes.uint16(at: end + 6),
              let diskEntries = bytes.uint16(at: end + 8), let totalEntries = bytes.uint16(at: end + 10),
              let cdSize = bytes.uint32(at: end + 12), let cdOffset = bytes.uint32(at: end + 16)
        else { throw Failure(entry: nil, reason: "is truncated inside its end-of-central-directory record") }
        if totalEntries == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF
            || (end >= 20 && bytes.uint32(at: end - 20) == zip64LocatorSignature) {
            throw Failure(entry: nil, reason: "is a Zip64 archive, which msense does not support")
        }
        guard diskNumber == 0, cdDisk == 0, diskEntries == totalEntries else {
            throw Failure(entry: nil, reason: "is a multi-disk archive, which msense does not support")
        }
        guard cdOffset + cdSize <= end else {
            throw Failure(entry: nil, reason: "has a central directory that lies outside the file")
        }
        var entries: [Entry] = []
        var p = cdOffset
        for index in 0..<totalEntries {
            guard let signature = bytes.uint32(at: p), signature == centralSignature,
                  let flags = bytes.uint16(at: p + 8), let method = bytes.uint16(at: p + 10),
                  let crc = bytes.uint32(at: p + 16), let compressed = bytes.uint32(at: p + 20),
                  let uncompressed = bytes.uint32(at: p + 24), let nameLength = bytes.uint16(at: p + 28),
                  let extraLength = bytes.uint16(at: p + 30), let commentLength = bytes.uint16(at: p + 32),
                  let localOffset = bytes.uint32(at: p + 42),
                  let nameBytes = bytes.bytes(at: p + 46, length: nameLength),
                  p + 46 + nameLength + extraLength + commentLength <= cdOffset + cdSize
            else {
                throw Failure(entry: nil, reason: "has a damaged central directory (entry \(index + 1) of \(totalEntries))")
            }
            let name = String(validating: nameBytes, as: UTF8.self)
                ?? String(String.UnicodeScalarView(nameBytes.map { Unicode.Scalar($0) }))
            if flags & 1 != 0 {
                throw Failure(entry: name, reason: "is encrypted, which msense does not support")
            }
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                throw Failure(entry: name, reason: "needs Zip64 sizes, which msense does not support")
            }
            entries.append(Entry(
                name: name, method: method, crc32: UInt32(crc), compressedSize: compressed,
                uncompressedSize: uncompressed, localHeaderOffset: localOffset))
            p += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// The uncompressed contents of `entry`, checked against its CRC-32.
    static func contents(of entry: Entry, in bytes: [UInt8]) throws(Failure) -> [UInt8] {
        func failure(_ reason: String) -> Failure { Failure(entry: entry.name, reason: reason) }
        let p = entry.localHeaderOffset
        guard let signature = bytes.uint32(at: p), signature == localSignature else {
            throw failure("has no local file header where the central directory says (offset \(p))")
        }
        guard let nameLength = bytes.uint16(at: p + 26), let extraLength = bytes.uint16(at: p + 28) else {
            throw failure("has a truncated local file header")
        }
        guard let stored = bytes.bytes(at: p + 30 + nameLength + extraLength, length: entry.compressedSize) else {
            throw failure("is truncated: its \(entry.compressedSize) compressed bytes run past the end of the file")
        }
        let data: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw failure("is stored uncompressed but declares \(entry.compressedSize) stored and \(entry.uncompressedSize) uncompressed bytes")
            }
            data = Array(stored)
        case 8:
            // Deflate cannot expand data more than about 1032:1; larger claims are corrupt.
            guard entry.uncompressedSize <= entry.compressedSize * 1032 + 1024 else {
                throw failure("declares \(entry.uncompressedSize) uncompressed bytes, impossible from \(entry.compressedSize) deflated bytes")
            }
            do {
                data = try Deflate.inflate(stored, expectedSize: entry.uncompressedSize)
            } catch {
                throw failure(error.reason)
            }
        default:
            throw failure("uses compression method \(entry.method); only 0 (stored) and 8 (deflate) are supported")
        }
        let actual = Deflate.crc32(data[...])
        guard actual == entry.crc32 else {
            throw failure("fails its CRC-32 check (directory says \(hex(entry.crc32)), data gives \(hex(actual)))")
        }
        return data
    }

    static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16, uppercase: true) }

    /// The offset of the end-of-central-directory record: the last signature within the final
    /// 22 + 65535 bytes whose comment length fits the file.
    static func findEndRecord(_ bytes: [UInt8]) throws(Failure) -> Int {
        guard bytes.count >= 22 else {
            throw Failure(entry: nil, reason: "is not a zip archive: it is \(bytes.count) bytes long, shorter than an end-of-central-directory record")
        }
        let lowest = max(0, bytes.count - 22 - 65535)
        for p in stride(from: bytes.count - 22, through: lowest, by: -1)
        where bytes.uint32(at: p) == endSignature {
            if let comment = bytes.uint16(at: p + 20), p + 22 + comment <= bytes.count { return p }
        }
        throw Failure(entry: nil, reason: "is not a zip archive (or is truncated): no end-of-central-directory record")
    }

    // MARK: Writing

    /// Builds an archive of the given (name, contents) members, each stored or deflated.
    ///
    /// Timestamps are fixed at 1980-01-01 00:00 so equal inputs give equal bytes.
    static func archive(_ members: [(name: String, data: [UInt8])], compressed: Bool) throws(Failure) -> [UInt8] {
        guard members.count < 0xFFFF else {
            throw Failure(entry: nil, reason: "would hold \(members.count) entries, which needs Zip64 (not supported)")
        }
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in members {
            let nameBytes = Array(name.utf8)
            guard !nameBytes.isEmpty, nameBytes.count < 0xFFFF else {
                throw Failure(entry: name, reason: "has an empty or overlong name")
            }
            let payload: [UInt8]
            do {
                payload = compressed ? try Deflate.deflate(data) : data
            } catch {
                throw Failure(entry: name, reason: error.reason)
            }
            guard data.count < 0xFFFF_FFFF, payload.count < 0xFFFF_FFFF, out.count < 0xFFFF_FFFF else {
                throw Failure(entry: name, reason: "is too large for a zip32 archive (Zip64 is not supported)")
            }
            let crc = Deflate.crc32(data[...])
            let flags: UInt16 = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 0x0800  // bit 11: UTF-8 name
            let method: UInt16 = compressed ? 8 : 0
            func common(_ into: inout [UInt8]) {
                into.appendLittleEndian(UInt16(20))  // version needed: 2.0
                into.appendLittleEndian(flags)
                into.appendLittleEndian(method)
                into.appendLittleEndian(UInt16(0))  // time 00:00:00
                into.appendLittleEndian(UInt16(0x21))  // date 1980-01-01
                into.appendLittleEndian(crc)
                into.appendLittleEndian(UInt32(payload.count))
                into.appendLittleEndian(UInt32(data.count))
                into.appendLittleEndian(UInt16(nameBytes.count))
                into.appendLittleEndian(UInt16(0))  // extra field length
            }
            central.appendLittleEndian(UInt32(centralSignature))
            central.appendLittleEndian(UInt16(0x0314))  // made by: Unix, 2.0
            common(&central)
            central.appendLittleEndian(UInt16(0))  // comment length
            central.appendLittleEndian(UInt16(0))  // disk number
            central.appendLittleEndian(UInt16(0))  // internal attributes
            central.appendLittleEndian(UInt32(0o100644) << 16)  // external: regular file, rw-r--r--
            central.appendLittleEndian(UInt32(out.count))  // local header offset
            central.append(contentsOf: nameBytes)

            out.appendLittleEndian(UInt32(localSignature))
            common(&out)
            out.append(contentsOf: nameBytes)
            out.append(contentsOf: payload)
        }
        guard out.count < 0xFFFF_FFFF, central.count < 0xFFFF_FFFF else {
            throw Failure(entry: nil, reason: "is too large for a zip32 archive (Zip64 is not supported)")
        }
        let centralOffset = out.count
        out.append(contentsOf: central)
        out.appendLittleEndian(UInt32(endSignature))
        out.appendLittleEndian(UInt16(0))  // this disk
        out.appendLittleEndian(UInt16(0))  // disk with the central directory
        out.appendLittleEndian(UInt16(members.count))
        out.appendLittleEndian(UInt16(members.count))
        out.appendLittleEndian(UInt32(central.count))
        out.appendLittleEndian(UInt32(centralOffset))
        out.appendLittleEndian(UInt16(0))  // comment length
        return out
    }
}
