import Foundation
import Testing
@testable import Tensor

@Suite(".npz archives and the zip subset")
struct NPZTests {
    let arrays: [String: NDArray]

    init() throws {
        arrays = [
            "u": try NDArray(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6]),
            "y": try NDArray(shape: [4], elements: [0.5, 0.5, 0.5, 0.5]),
            "s": NDArray(scalar: -1e-7),
        ]
    }

    @Test(arguments: [false, true])
    func roundTrips(compressed: Bool) throws {
        let bytes = try NPZ.encode(arrays, compressed: compressed)
        let back = try NPZ.decode(bytes, path: "a.npz")
        #expect(back == arrays)
        let entries = try ZipArchive.entries(bytes)
        #expect(entries.map(\.name) == ["s.npy", "u.npy", "y.npy"])
        #expect(entries.allSatisfy { $0.method == (compressed ? 8 : 0) })
    }

    @Test func writesAndReadsFiles() throws {
        let dir = try makeTemporaryDirectory("npz")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.npz")
        try NPZ.write(arrays, to: url, compressed: true, dtype: .float32)
        let back = try NPZ.read(from: url)
        #expect(back["u"]?.dtype == .float32 && back["u"]?.elements == [1, 2, 3, 4, 5, 6])
        #expect(back["s"]?.elements == [Double(Float(-1e-7))])
    }

    @Test func deflateRoundTripAndCRC() throws {
        let data = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * $0 / 7) }
        let packed = try Deflate.deflate(data)
        #expect(try Deflate.inflate(packed[...], expectedSize: data.count) == data)
        #expect(throws: Deflate.Failure.self) { try Deflate.inflate(packed[...], expectedSize: data.count - 1) }
        #expect(throws: Deflate.Failure.self) { try Deflate.inflate(packed[...], expectedSize: data.count + 1) }
        #expect(throws: Deflate.Failure.self) { try Deflate.inflate(packed.dropLast(3), expectedSize: data.count) }
        #expect(try Deflate.inflate(try Deflate.deflate([])[...], expectedSize: 0) == [])
        #expect(Deflate.crc32(Array("123456789".utf8)[...]) == 0xCBF4_3926)  // the standard check value
    }

    @Test func corruptArchivesGiveErrorsNamingFileAndEntry() throws {
        let stored = try NPZ.encode(["x": try NDArray(shape: [2], elements: [1, 2])])
        let dataOffset = stored.count - 22 - 46 - 5 - 1  // last data byte of the only member
        var flipped = stored
        flipped[dataOffset] ^= 0x40
        #expect(tensorErrorText { _ = try NPZ.decode(flipped, path: "c.npz") }?
            .hasPrefix("c.npz: entry 'x.npy' fails its CRC-32 check") == true)

        var method = stored
        method[stored.count - 22 - 46 - 5 + 10] = 12  // central directory: method 12 (bzip2)
        #expect(tensorErrorText { _ = try NPZ.decode(method, path: "c.npz") }?.contains("compression method 12") == true)

        var zip64 = stored
        for k in 0..<4 { zip64[stored.count - 22 + 16 + k] = 0xFF }  // central directory offset = 0xFFFFFFFF
        #expect(tensorErrorText { _ = try NPZ.decode(zip64, path: "c.npz") }?.contains("Zip64") == true)

        var encrypted = stored
        encrypted[stored.count - 22 - 46 - 5 + 8] = 1
        #expect(tensorErrorText { _ = try NPZ.decode(encrypted, path: "c.npz") }?.contains("encrypted") == true)

        let notNPY = try ZipArchive.archive([("x.npy", Array("hello".utf8))], compressed: true)
        #expect(tensorErrorText { _ = try NPZ.decode(notNPY, path: "c.npz") }?
            .hasPrefix("c.npz: entry 'x.npy': is not a .npy file") == true)

        #expect(tensorErrorText { _ = try NPZ.decode(Array("not a zip at all, just some text".utf8), path: "c.npz") }?
            .contains("no end-of-central-directory record") == true)
    }

    @Test(arguments: [false, true])
    func everyTruncationIsAnError(compressed: Bool) throws {
        let bytes = try NPZ.encode(["x": try NDArray(shape: [3], elements: [1, 2, 3])], compressed: compressed)
        for n in 0..<bytes.count {
            #expect(throws: TensorError.self, "prefix of \(n) bytes") { try NPZ.decode(Array(bytes.prefix(n)), path: "t.npz") }
        }
    }

    @Test func randomMutationsNeverTrap() throws {
        let original = try NPZ.encode(arrays, compressed: true)
        var rng = Xoshiro256(seed: 77)
        var errors = 0
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0...(try rng.nextInt(below: 3)) {
                bytes[try rng.nextInt(below: bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
            }
            do { _ = try NPZ.decode(bytes, path: "m.npz") } catch { errors += 1 }
        }
        #expect(errors > 1000)  // CRC-32 and structure checks catch nearly every mutation
    }

    @Test func emptyKeyIsRefused() {
        #expect(throws: TensorError.self) { try NPZ.encode(["": NDArray(scalar: 1)]) }
    }
}
