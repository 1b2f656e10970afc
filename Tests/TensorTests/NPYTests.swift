import Foundation
import Testing
@testable import Tensor

/// Builds a `.npy` file by hand: preamble, header text (padded to 64 unless `pad` is false), data.
func handMadeNPY(_ header: String, version: UInt8 = 1, data: [UInt8], pad: Bool = true) -> [UInt8] {
    var h = Array(header.utf8)
    let preamble = version == 1 ? 10 : 12
    if pad {
        h += [UInt8](repeating: 0x20, count: (64 - (preamble + h.count + 1) % 64) % 64)
        h.append(0x0A)
    }
    var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
    if version == 1 { out.appendLittleEndian(UInt16(h.count)) } else { out.appendLittleEndian(UInt32(h.count)) }
    return out + h + data
}

func littleEndianBytes(_ values: [Double]) -> [UInt8] {
    var out: [UInt8] = []
    for v in values { out.appendLittleEndian(v.bitPattern) }
    return out
}

@Suite("Python literal parser for .npy headers")
struct PythonLiteralTests {
    @Test func parsesNumpyHeaders() throws {
        let v = try PythonLiteral.parse("{ \"shape\" : (3,) ,'fortran_order':True, 'descr':'<f4',  }\n")
        #expect(v == .dict([("shape", .tuple([.int(3)])), ("fortran_order", .bool(true)), ("descr", .string("<f4"))]))
        #expect(try PythonLiteral.parse("()") == .tuple([]))
        #expect(try PythonLiteral.parse("(2, 3)") == .tuple([.int(2), .int(3)]))
        #expect(try PythonLiteral.parse("(2)") == .int(2))
        #expect(try PythonLiteral.parse("[('a', '<f8'),]") == .list([.tuple([.string("a"), .string("<f8")])]))
        #expect(try PythonLiteral.parse("-12") == .int(-12))
        #expect(try PythonLiteral.parse("'a\\'b'") == .string("a'b"))
        #expect(try PythonLiteral.parse("None") == .none)
    }

    @Test(arguments: ["", "{", "{'a' 1}", "{'a': 1,,}", "(1 2)", "'open", "99999999999999999999",
                      "{'a': 1} x", "True_", "1.5", "{1: 2}", "nan", "-", String(repeating: "(", count: 100)])
    func rejectsMalformed(_ text: String) {
        #expect(throws: PythonLiteral.ParseError.self) { try PythonLiteral.parse(text) }
    }
}

@Suite(".npy reading and writing")
struct NPYTests {
    @Test func roundTripsEveryRankAndFloatType() throws {
        let arrays = [
            NDArray(scalar: -0.0),
            try NDArray(shape: [0], elements: []),
            try NDArray(shape: [3], elements: [0.1, -2.5, .infinity]),
            try NDArray(shape: [2, 3], elements: [1, 2, 3, 4, 5, 1e-300]),
            try NDArray(shape: [2, 1, 3], elements: [1, 2, 3, 4, 5, 6]),
            try NDArray(shape: [2, 0, 3], elements: []),
        ]
        for a in arrays {
            for dtype in [NPYDType.float64, .float32, NPYDType(descr: ">f8"), NPYDType(descr: ">f4")].compactMap({ $0 }) {
                let bytes = try NPY.encode(a, dtype: dtype)
                let headerLength = try #require(bytes.uint16(at: 8))
                #expect((10 + headerLength) % 64 == 0)
                #expect(bytes[10 + headerLength - 1] == 0x0A)
                let back = try NPY.decode(bytes, path: "mem.npy")
                #expect(back.shape == a.shape && back.dtype == dtype)
                let expected = dtype.byteCount == 4 ? a.elements.map { Double(Float($0)) } : a.elements
                #expect(back.elements.map(\.bitPattern) == expected.map(\.bitPattern))
            }
        }
    }

    @Test func writesAndReadsFilesAtomically() throws {
        let dir = try makeTemporaryDirectory("npy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.npy")
        let m = try Matrix([[1, 2], [3, 4], [5, 6]])
        try NPY.write(NDArray(m), to: url)
        #expect(try NPY.read(from: url).asMatrix() == m)
        let missing = dir.appendingPathComponent("absent.npy")
        #expect(tensorErrorText { _ = try NPY.read(from: missing) }?.hasPrefix(missing.path + ": cannot be read") == true)
    }

    @Test func readsFortranOrderBigEndianIntegersAndV2V3() throws {
        // Fortran-ordered 2×3 holding row-major 1…6: stored column by column.
        let f = handMadeNPY("{'fortran_order': True, 'shape': (2, 3), 'descr': '<f8'}",
                            data: littleEndianBytes([1, 4, 2, 5, 3, 6]))
        #expect(try NPY.decode(f, path: "f.npy").elements == [1, 2, 3, 4, 5, 6])
        // Fortran-ordered 2×3×2: element (i, j, k) = 100i + 10j + k stored first-index fastest.
        var colMajor: [Double] = []
        for k in 0..<2 { for j in 0..<3 { for i in 0..<2 { colMajor.append(Double(100 * i + 10 * j + k)) } } }
        let f3 = try NPY.decode(handMadeNPY("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 2)}",
                                            data: littleEndianBytes(colMajor)), path: "f3.npy")
        #expect(try f3.element(at: [1, 2, 1]) == 121 && f3.element(at: [0, 1, 0]) == 10)
        let big = handMadeNPY("{'descr': '>i4', 'fortran_order': False, 'shape': (2,)}",
                              data: [0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 1, 0])
        let ints = try NPY.decode(big, path: "i.npy")
        #expect(ints.elements == [-2, 256] && ints.dtype.descr == ">i4")
        let v2 = handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': ()}", version: 2,
                             data: littleEndianBytes([7]))
        #expect(try NPY.decode(v2, path: "v2.npy").shape == [])
        let v3 = handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } # é", version: 3,
                             data: littleEndianBytes([7]))
        #expect(throws: TensorError.self) { try NPY.decode(v3, path: "v3.npy") }  // a comment is not a literal
        let v3ok = handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", version: 3,
                               data: littleEndianBytes([7]))
        #expect(try NPY.decode(v3ok, path: "v3.npy").elements == [7])
        let unpadded = handMadeNPY("{'descr':'<f8','fortran_order':False,'shape':(1,)}", data: littleEndianBytes([3]), pad: false)
        #expect(try NPY.decode(unpadded, path: "u.npy").elements == [3])
    }

    @Test func integerAndBooleanFilesAreReadExactly() throws {
        let cases: [(String, [UInt8], [Double])] = [
            ("|b1", [1, 0, 1], [1, 0, 1]),
            ("<f2", [0x00, 0x3C, 0x00, 0xC1, 0x01, 0x00], [1, -2.5, 0x1p-24]),  // 1, −2.5, the least subnormal
            (">f2", [0x7C, 0x00, 0x7B, 0xFF, 0x04, 0x00], [.infinity, 65504, 0x1p-14]),  // ∞, the largest, the least normal
            ("|i1", [0xFD, 0x7F, 0x80], [-3, 127, -128]),
            ("|u1", [0, 0xFF, 7], [0, 255, 7]),
            ("<i2", [0xD0, 0x8A, 5, 0, 0xFF, 0xFF], [-30000, 5, -1]),
            (">u2", [0xFF, 0xFF, 0, 1, 1, 0], [65535, 1, 256]),
            ("<u4", [0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 0, 0, 0, 0x80], [4_294_967_295, 1, 2_147_483_648]),
            ("<u8", [0, 0, 0, 0, 0, 0, 0x20, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
             [9_007_199_254_740_992, 7, 18_446_744_073_709_551_615]),
        ]
        for (descr, data, expected) in cases {
            let file = handMadeNPY("{'descr': '\(descr)', 'fortran_order': False, 'shape': (3,)}", data: data)
            let array = try NPY.decode(file, path: "x.npy")
            #expect(array.elements == expected, "\(descr)")
            #expect(array.dtype.descr == descr, "\(descr)")
        }
        // One-byte types take '|' (or an order, which means nothing for them); wider ones never '|'.
        #expect(NPYDType(descr: "<u1")?.descr == "|u1" && NPYDType(descr: "|u2") == nil && NPYDType(descr: "|f8") == nil)
        #expect(NPYDType(descr: "<b2") == nil && NPYDType(descr: "<f16") == nil && NPYDType(descr: "<i3") == nil)
    }

    @Test func malformedFilesGiveErrorsNamingFileAndProblem() throws {
        let d8 = littleEndianBytes([1, 2])
        let cases: [([UInt8], String)] = [
            ([], "truncated"),
            (Array("PK\u{3}\u{4}hello".utf8), "does not start with the magic string"),
            ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 4, 0, 0, 0], "version 4.0"),
            (handMadeNPY("{'descr': '<c16', 'fortran_order': False, 'shape': (2,)}", data: d8),
             "unsupported dtype '<c16' (supported: '<f8', '<f4', '<f2', '<i1'…'<i8', '<u1'…'<u8', '|b1' in either byte order ('=' for '<', '|' for one byte)); msense holds real numbers: save the part you mean as float64, e.g. np.save(path, x.real)"),
            (handMadeNPY("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", data: d8), "unsupported dtype '|O' (supported: '<f8', '<f4', '<f2', '<i1'…'<i8', '<u1'…'<u8', '|b1' in either byte order ('=' for '<', '|' for one byte)); an array of Python objects is stored as a pickle"),
            (handMadeNPY("{'descr': '<f16', 'fortran_order': False, 'shape': (2,)}", data: Array(repeating: 0, count: 32)), "unsupported dtype '<f16' (supported: '<f8', '<f4', '<f2', '<i1'…'<i8', '<u1'…'<u8', '|b1' in either byte order ('=' for '<', '|' for one byte)); convert it before saving, e.g. np.save(path, x.astype(np.float64))"),
            (handMadeNPY("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,)}", data: d8), "structured"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}", data: d8), "needs 24 data bytes but the file holds 16"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", data: d8), "8 bytes after the 8 data bytes"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}", data: d8), "negative dimension"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", data: d8), "more than"),
            // Empty, but its other dimensions' product (its strides) is beyond any array.
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 4294967296, 4294967296)}", data: []), "more than"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 0, 4294967296)}", data: []), "more than"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1)}", data: d8), "9 dimensions"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False}", data: d8), "without the key 'shape'"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}", data: d8), "'fortran_order'"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': 2}", data: d8), "'shape' is not a tuple"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", data: d8), "unexpected header key 'x'"),
            (handMadeNPY("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", data: d8), "twice"),
            (handMadeNPY("garbage!", data: d8), "not a valid Python dictionary literal"),
            (handMadeNPY("[1, 2]", data: d8), "not a dictionary"),
            (Array(handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", data: d8).prefix(40)), "header should be"),
            (handMadeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } \u{FF}", version: 3, data: d8)
                .map { $0 == 0xC3 ? 0xFF : $0 }, "not valid UTF-8"),
        ]
        for (bytes, fragment) in cases {
            let text = tensorErrorText { _ = try NPY.decode(bytes, path: "bad.npy") }
            #expect(text?.hasPrefix("bad.npy: ") == true, "\(fragment)")
            #expect(text?.contains(fragment) == true, "expected '\(fragment)' in \(text ?? "no error")")
        }
    }

    @Test func everyTruncationIsAnError() throws {
        let a = try NDArray(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        for dtype in [NPYDType.float64, .float32] {
            let bytes = try NPY.encode(a, dtype: dtype)
            for n in 0..<bytes.count {
                #expect(throws: TensorError.self, "prefix of \(n) bytes") {
                    try NPY.decode(Array(bytes.prefix(n)), path: "cut.npy")
                }
            }
        }
    }

    @Test func randomMutationsNeverTrap() throws {
        let a = try NDArray(shape: [3, 2], elements: [1, -2, 3.5, 4, 5, 6])
        let original = try NPY.encode(a)
        var rng = Xoshiro256(seed: 20260101)
        var errors = 0, decoded = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0...(try rng.nextInt(below: 4)) {
                let position = try rng.nextInt(below: min(128, bytes.count))  // mostly the preamble and header
                bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                let back = try NPY.decode(bytes, path: "mutant.npy")
                #expect(back.count == back.shape.reduce(1, *))
                decoded += 1
            } catch {
                errors += 1
            }
        }
        for length in [0, 1, 9, 10, 64, 200, 1000] {  // pure noise, also behind a valid magic
            var noise = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(throws: TensorError.self) { try NPY.decode(noise, path: "noise.npy") }
            noise = Array(original.prefix(8)) + noise
            _ = try? NPY.decode(noise, path: "noise.npy")
        }
        #expect(errors > 0 && decoded > 0)
    }

    @Test func integerDTypeIsNotWritable() throws {
        #expect(throws: TensorError.self) { try NPY.encode(NDArray(scalar: 1), dtype: try #require(NPYDType(descr: "<i8"))) }
    }

    @Test func ndarrayMatrixConversions() throws {
        #expect(try NDArray(shape: [3], elements: [1, 2, 3]).asMatrix() == Matrix(column: [1, 2, 3]))
        #expect(try NDArray(scalar: 4).asMatrix().shape == [1, 1])
        #expect(throws: TensorError.self) { try NDArray(shape: [1, 1, 1], elements: [1]).asMatrix() }
        #expect(throws: TensorError.self) { try NDArray(shape: [2, 2], elements: [1]) }
        #expect(throws: TensorError.self) { try NDArray(shape: [2], elements: [1, 2]).element(at: [2]) }
    }

    @Test func matrix32Conversions() throws {
        let m = try Matrix([[0.1, 1e40], [-2, 3]])
        let f = Matrix32(m)
        #expect(f.elements == [Float(0.1), .infinity, -2, 3])
        #expect(f.matrix.elements == [Double(Float(0.1)), .infinity, -2, 3])
        #expect(try Matrix(rows: 1, cols: 2, floatElements: [0.5, 2]).elements == [0.5, 2])
        #expect(throws: TensorError.self) { try Matrix32(rows: 2, cols: 2, elements: [1]) }
    }
}
