import Foundation

/// Reading and writing NumPy's `.npz` archives: a zip file whose member `x.npy` holds the array
/// with key `x` (see ``NPY`` for the member format and `ZipArchive` for the zip subset).
///
/// Supported: members stored or deflated, data descriptors, CRC-32 checked on reading.
/// Not supported (clear error): Zip64 (archives or members of 4 GiB or more, 65535+ members),
/// encryption, multi-disk archives, other compression methods.
public enum NPZ {
    /// Reads every array in the `.npz` file at `url`, by key (member name without `.npy`).
    public static func read(from url: URL) throws(TensorError) -> [String: NDArray] {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(url.path) } catch {
            throw .file(path: url.path, problem: "cannot be read (\(error.reason))")
        }
        return try decode(bytes, path: url.path)
    }

    /// Decodes the bytes of an `.npz` archive; `path` names it in error messages.
    ///
    /// Directory members (names ending in `/`) are skipped; every other member must be a `.npy`
    /// file. A member name without the `.npy` suffix is its own key, as in NumPy.
    public static func decode(_ bytes: [UInt8], path: String) throws(TensorError) -> [String: NDArray] {
        func failure(_ f: ZipArchive.Failure) -> TensorError {
            .file(path: path, problem: f.entry.map { "entry '\($0)' \(f.reason)" } ?? f.reason)
        }
        var arrays: [String: NDArray] = [:]
        do {
            let entries = try ZipArchive.entries(bytes).filter { !$0.name.hasSuffix("/") }
            try requireMemory(for: entries, path: path)
            for entry in entries {
                let key = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
                guard arrays[key] == nil else {
                    throw ZipArchive.Failure(entry: entry.name, reason: "repeats the key '\(key)'")
                }
                let contents = try ZipArchive.contents(of: entry, in: bytes)
                arrays[key] = try NPY.decode(contents, path: path, entry: entry.name)
            }
        } catch let error as ZipArchive.Failure {
            throw failure(error)
        } catch let error as TensorError {
            throw error
        } catch {
            throw .file(path: path, problem: "cannot be read (\(error))")
        }
        return arrays
    }

    /// Writes `arrays` to `url` as an `.npz` archive (member `key.npy` per key, in sorted key
    /// order), deflated when `compressed` (like `np.savez_compressed`) or stored (like
    /// `np.savez`), each array as `dtype`; atomically.
    public static func write(
        _ arrays: [String: NDArray], to url: URL, compressed: Bool = false, dtype: NPYDType = .float64
    ) throws(TensorError) {
        let bytes = try encode(arrays, compressed: compressed, dtype: dtype)
        do { try FileSystem.writeAtomically(Data(bytes), to: url) } catch {
            throw .file(path: url.path, problem: "cannot be written (\(error.reason))")
        }
    }

    /// The bytes of an `.npz` archive holding `arrays`; see ``write(_:to:compressed:dtype:)``.
    public static func encode(
        _ arrays: [String: NDArray], compressed: Bool = false, dtype: NPYDType = .float64
    ) throws(TensorError) -> [UInt8] {
        var members: [(name: String, data: [UInt8])] = []
        for key in arrays.keys.sorted() {
            guard !key.isEmpty, let array = arrays[key] else {
                throw .invalidArgument("an .npz archive cannot hold an array with an empty key")
            }
            members.append((key + ".npy", try NPY.encode(array, dtype: dtype)))
        }
        do {
            return try ZipArchive.archive(members, compressed: compressed)
        } catch {
            throw .invalidArgument("the .npz archive cannot be built: " + (error.entry.map { "entry '\($0)' " } ?? "") + error.reason)
        }
    }

    /// Throws unless every member can be decoded: the sizes the archive declares, summed with
    /// overflow checks before anything is inflated, each member taken as its inflated bytes plus
    /// its float64 values (at most twice its bytes, for float32 or int32 members), so `3 ×` its
    /// declared size, must fit the memory available and the run's budget: a small archive
    /// declaring gigabytes is refused up front.
    static func requireMemory(for entries: [ZipArchive.Entry], path: String) throws(TensorError) {
        var total: Int? = 0
        for entry in entries {
            total = total.flatMap { sum in
                let (grown, overflow) = sum.addingReportingOverflow(entry.uncompressedSize)
                return overflow ? nil : grown
            }
        }
        let bytes = total.flatMap { t -> Int? in
            let (b, overflow) = t.multipliedReportingOverflow(by: 3)
            return overflow ? nil : b
        }
        if let problem = AvailableMemory.refusal(bytes: bytes, for: "the members of \(path) (\(total.map(String.init) ?? "more than \(Int.max)") bytes declared)") {
            throw .insufficientMemory(problem)
        }
    }
}
