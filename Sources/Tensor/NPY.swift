import Foundation

/// Reading and writing NumPy's `.npy` format (format versions 1.0, 2.0 and 3.0).
///
/// A file is: the magic string `\x93NUMPY`, a major and minor version byte, the header length
/// (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), the header (a Python dict
/// literal with exactly the keys `descr`, `fortran_order` and `shape`; Latin-1 text in 1.0/2.0,
/// UTF-8 in 3.0), then the raw element data. See ``NPYDType`` for the element types accepted.
/// Arrays with `fortran_order: True` are reordered to row-major on reading.
///
/// Every malformed input gives ``TensorError/file(path:problem:)``; no byte sequence traps.
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    // MARK: Reading

    /// Reads the array stored in the `.npy` file at `url`.
    public static func read(from url: URL) throws(TensorError) -> NDArray {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(url.path) } catch {
            throw .file(path: url.path, problem: "cannot be read (\(error.reason))")
        }
        return try decode(bytes, path: url.path)
    }

    /// Decodes the bytes of a `.npy` file. `path` (and `entry`, for a member of an `.npz`
    /// archive) only name the source in error messages.
    public static func decode(_ bytes: [UInt8], path: String, entry: String? = nil) throws(TensorError) -> NDArray {
        func failure(_ problem: String) -> TensorError {
            .file(path: path, problem: entry.map { "entry '\($0)': \(problem)" } ?? problem)
        }
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            if bytes.count < magic.count, Array(magic.prefix(bytes.count)) == bytes {
                throw failure("is truncated: it ends after \(bytes.count) bytes, inside the .npy magic string")
            }
            throw failure("is not a .npy file: it does not start with the magic string \\x93NUMPY")
        }
        guard bytes.count >= 8 else {
            throw failure("is truncated: it ends after \(bytes.count) bytes, before the .npy format version")
        }
        let major = bytes[6], minor = bytes[7]
        guard [1, 2, 3].contains(major), minor == 0 else {
            throw failure("has .npy format version \(major).\(minor); only 1.0, 2.0 and 3.0 are supported")
        }
        let lengthBytes = major == 1 ? 2 : 4
        guard let headerLength = bytes.littleEndian(at: 8, byteCount: lengthBytes).map({ Int($0) }) else {
            throw failure("is truncated: it ends after \(bytes.count) bytes, inside the header length field")
        }
        let headerStart = 8 + lengthBytes
        guard let headerBytes = bytes.bytes(at: headerStart, length: headerLength) else {
            throw failure(
                "is truncated: its header should be \(headerLength) bytes long but the file ends \(bytes.count - headerStart) bytes into it")
        }
        let headerText: String
        if major == 3 {
            guard let text = String(validating: headerBytes, as: UTF8.self) else {
                throw failure("has a version 3.0 header that is not valid UTF-8")
            }
            headerText = text
        } else {
            headerText = String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))  // Latin-1
        }
        let header = try parseHeader(headerText, failure: failure)
        let dataStart = headerStart + headerLength
        let needed = header.count * header.dtype.byteCount  // ≤ 2³¹·8: cannot overflow
        let available = bytes.count - dataStart
        guard available >= needed else {
            throw failure(
                "is truncated: shape \(shapeText(header.shape)) of '\(header.dtype.descr)' needs \(needed) data bytes but the file holds \(available)")
        }
        guard available == needed else {
            throw failure(
                "has \(available - needed) bytes after the \(needed) data bytes that shape \(shapeText(header.shape)) of '\(header.dtype.descr)' needs")
        }
        // The values as float64 (twice, for Fortran order): checked like any large allocation.
        let copies = header.fortranOrder && header.shape.count > 1 ? 2 : 1
        if let problem = AvailableMemory.refusal(bytes: header.count * 8 * copies, for: "the \(shapeText(header.shape)) array") {
            throw .insufficientMemory(problem)
        }
        try RunBudget.charge(header.count, for: "decoding the \(shapeText(header.shape)) array")
        var values = decodeValues(bytes, from: dataStart, count: header.count, dtype: header.dtype)
        if header.fortranOrder && header.shape.count > 1 {
            values = rowMajor(fromColumnMajor: values, shape: header.shape)
        }
        do {
            return try NDArray(shape: header.shape, elements: values, dtype: header.dtype)
        } catch {
            throw failure(error.description)  // unreachable: the shape was validated above
        }
    }

    /// What the header dictionary says.
    struct Header {
        let dtype: NPYDType
        let fortranOrder: Bool
        let shape: [Int]
        let count: Int
    }

    static func parseHeader(_ text: String, failure: (String) -> TensorError) throws(TensorError) -> Header {
        let literal: PythonLiteral
        do {
            literal = try PythonLiteral.parse(text)
        } catch {
            throw failure("has a header that is not a valid Python dictionary literal (\(error.message) at header character \(error.position))")
        }
        guard case let .dict(entries) = literal else {
            throw failure("has a header that is not a dictionary")
        }
        var descr: PythonLiteral?, fortran: PythonLiteral?, shapeValue: PythonLiteral?
        for (key, value) in entries {
            switch key {
            case "descr" where descr == nil: descr = value
            case "fortran_order" where fortran == nil: fortran = value
            case "shape" where shapeValue == nil: shapeValue = value
            case "descr", "fortran_order", "shape": throw failure("has the header key '\(key)' twice")
            default: throw failure("has an unexpected header key '\(key)' (only 'descr', 'fortran_order' and 'shape' are allowed)")
            }
        }
        guard let descr, let fortran, let shapeValue else {
            let missing = [("descr", descr), ("fortran_order", fortran), ("shape", shapeValue)]
                .filter { $0.1 == nil }.map { "'\($0.0)'" }.joined(separator: ", ")
            throw failure("has a header without the key \(missing)")
        }
        guard case let .string(descrText) = descr else {
            throw failure("has a structured or non-string dtype, which is not supported (supported: \(NPYDType.supportedList))")
        }
        guard let dtype = NPYDType(descr: descrText) else {
            throw failure("has the unsupported dtype '\(descrText)' (supported: \(NPYDType.supportedList)); \(NPYDType.advice(for: descrText))")
        }
        guard case let .bool(fortranOrder) = fortran else {
            throw failure("has a header whose 'fortran_order' is not True or False")
        }
        guard case let .tuple(dims) = shapeValue else {
            throw failure("has a header whose 'shape' is not a tuple of integers")
        }
        var shape: [Int] = []
        for d in dims {
            guard case let .int(n) = d else { throw failure("has a header whose 'shape' is not a tuple of integers") }
            shape.append(n)
        }
        let count: Int
        do {
            count = try NDArray.elementCount(of: shape)
        } catch {
            guard case let .invalidShape(reason) = error else { throw failure("has an unusable shape \(shapeText(shape))") }
            throw failure("has an unusable shape \(shapeText(shape)): \(reason)")
        }
        return Header(dtype: dtype, fortranOrder: fortranOrder, shape: shape, count: count)
    }

    /// Converts `count` elements of `dtype` starting at `start` (the caller checked the bounds).
    static func decodeValues(_ bytes: [UInt8], from start: Int, count: Int, dtype: NPYDType) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            if dtype == .float64 {
                // The layout of a Double on every platform msense runs on (little-endian): a copy.
                out.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<(start + 8 * count)])) }
            } else {
                for k in 0..<count { out[k] = dtype.value(in: raw, at: start + k * dtype.byteCount) }
            }
        }
        return out
    }

    /// Reorders values stored with the first index fastest (Fortran order) to the last index fastest.
    static func rowMajor(fromColumnMajor values: [Double], shape: [Int]) -> [Double] {
        var out = [Double](repeating: 0, count: values.count)
        var rowStrides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { rowStrides[d] = rowStrides[d + 1] * shape[d + 1] }
        var index = [Int](repeating: 0, count: shape.count)  // multi-index of values[f]
        for f in 0..<values.count {
            out[zip(index, rowStrides).reduce(0) { $0 + $1.0 * $1.1 }] = values[f]
            for d in 0..<shape.count {  // advance, first index fastest
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
            }
        }
        return out
    }

    static func shapeText(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    // MARK: Writing

    /// Writes `array` to `url` as a `.npy` file of element type `dtype` (a float type), atomically.
    ///
    /// See ``encode(_:dtype:)`` for the layout.
    public static func write(_ array: NDArray, to url: URL, dtype: NPYDType = .float64) throws(TensorError) {
        let bytes = try encode(array, dtype: dtype)
        do { try FileSystem.writeAtomically(Data(bytes), to: url) } catch {
            throw .file(path: url.path, problem: "cannot be written (\(error.reason))")
        }
    }

    /// The bytes of a `.npy` file holding `array` in row-major order as `dtype` (`<f8`, `<f4`,
    /// `>f8` or `>f4`; `f4` rounds to nearest `Float`).
    ///
    /// Format version 1.0, or 2.0 when the header exceeds 65535 bytes. The header
    /// `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }` is padded with spaces and
    /// ends in a newline so that the data starts at a multiple of 64 bytes, as NumPy does.
    public static func encode(_ array: NDArray, dtype: NPYDType = .float64) throws(TensorError) -> [UInt8] {
        guard dtype.kind == .float else {
            throw .invalidArgument("arrays are written as floating-point .npy files, not as '\(dtype.descr)'")
        }
        let dict = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': \(shapeText(array.shape)), }"
        var version: UInt8 = 1
        var preamble = 10
        var padded = paddedHeader(dict, preamble: preamble)
        if padded.count > Int(UInt16.max) {
            version = 2
            preamble = 12
            padded = paddedHeader(dict, preamble: preamble)
        }
        var out = magic + [version, 0]
        out.reserveCapacity(preamble + padded.count + array.count * dtype.byteCount)
        if version == 1 { out.appendLittleEndian(UInt16(padded.count)) } else { out.appendLittleEndian(UInt32(padded.count)) }
        out.append(contentsOf: padded)
        for v in array.elements {
            if dtype.byteCount == 8 {
                let bits = v.bitPattern
                out.appendLittleEndian(dtype.isLittleEndian ? bits : bits.byteSwapped)
            } else {
                let bits = Float(v).bitPattern
                out.appendLittleEndian(dtype.isLittleEndian ? bits : bits.byteSwapped)
            }
        }
        return out
    }

    static func paddedHeader(_ dict: String, preamble: Int) -> [UInt8] {
        var header = Array(dict.utf8)
        let unpadded = preamble + header.count + 1
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (64 - unpadded % 64) % 64))
        header.append(0x0A)
        return header
    }
}
