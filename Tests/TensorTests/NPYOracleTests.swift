import Foundation
import Testing
@testable import Tensor

/// Cross-checks with NumPy through `Tests/Oracle/tensor_npy_oracle.py`: NumPy writes, msense
/// reads; msense writes, NumPy reads. Values must agree bit for bit.
@Suite(".npy/.npz against NumPy")
struct NPYOracleTests {
    struct Record {
        let shape: [Int]
        let descr: String
        let values: [Double]

        init(_ json: [String: Any]) throws {
            shape = try #require(json["shape"] as? [Int])
            descr = try #require(json["descr"] as? String)
            values = try #require(json["values"] as? [String]).map { try #require(Double($0)) }
        }

        func matches(_ a: NDArray) -> Bool {
            a.shape == shape && a.dtype.descr == descr && a.elements.count == values.count
                && zip(a.elements, values).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        }
    }

    @Test func msenseReadsWhatNumpyWrites() throws {
        let dir = try makeTemporaryDirectory("numpy-wrote")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try runOracle("tensor_npy_oracle.py", ["write", dir.path])
        try #require(run.status == 0, "oracle failed: \(run.stderr)")
        let manifestData = try Data(contentsOf: dir.appendingPathComponent("manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestData) as? [[String: Any]])
        var npyCount = 0, npzCount = 0
        for entry in manifest {
            let file = try #require(entry["file"] as? String)
            let url = dir.appendingPathComponent(file)
            if let arrays = entry["arrays"] as? [String: [String: Any]] {
                let read = try NPZ.read(from: url)
                #expect(Set(read.keys) == Set(arrays.keys), "\(file)")
                for (key, json) in arrays {
                    let record = try Record(json)
                    let got = try #require(read[key], "\(file)[\(key)]")
                    #expect(record.matches(got), "\(file)[\(key)]: \(got.shape) \(got.elements.prefix(4))")
                }
                npzCount += 1
            } else {
                let record = try Record(entry)
                let got = try NPY.read(from: url)
                #expect(record.matches(got), "\(file): \(got.shape) \(got.dtype) \(got.elements.prefix(4))")
                npyCount += 1
            }
        }
        #expect(npyCount >= 100 && npzCount == 4)
    }

    /// The arrays msense writes for NumPy to check: every rank 0–3, empty shapes, special values.
    func outgoingArrays() throws -> [String: NDArray] {
        var rng = Xoshiro256(seed: 314)
        func normals(_ shape: [Int]) throws -> NDArray {
            try NDArray(shape: shape, elements: (0..<shape.reduce(1, *)).map { _ in rng.nextNormal() })
        }
        return [
            "scalar": NDArray(scalar: 0.1),
            "vector": try normals([7]),
            "matrix": try normals([4, 3]),
            "cube": try normals([2, 3, 4]),
            "empty": try NDArray(shape: [3, 0], elements: []),
            "specials": try NDArray(shape: [8], elements: [0, -0.0, .infinity, -.infinity, .nan, 5e-324, .greatestFiniteMagnitude, 1e-300]),
        ]
    }

    func record(_ a: NDArray, descr: String) -> [String: Any] {
        ["shape": a.shape, "descr": descr, "values": a.elements.map(\.description)]
    }

    @Test func numpyReadsWhatMsenseWrites() throws {
        let dir = try makeTemporaryDirectory("msense-wrote")
        defer { try? FileManager.default.removeItem(at: dir) }
        let arrays = try outgoingArrays()
        var manifest: [[String: Any]] = []
        let dtypes = try ["<f8", "<f4", ">f8", ">f4"].map { try #require(NPYDType(descr: $0)) }
        for (name, array) in arrays {
            for dtype in dtypes {
                let file = "\(name)_\(dtype.isLittleEndian ? "le" : "be")\(dtype.kind == .float ? "f" : "i")\(dtype.byteCount).npy"
                try NPY.write(array, to: dir.appendingPathComponent(file), dtype: dtype)
                manifest.append(["file": file] .merging(record(array, descr: dtype.descr)) { $1 })
            }
        }
        for compressed in [false, true] {
            for dtype in [NPYDType.float64, .float32] {
                let file = "archive_\(compressed ? "deflated" : "stored")_\(dtype.descr.dropFirst()).npz"
                try NPZ.write(arrays, to: dir.appendingPathComponent(file), compressed: compressed, dtype: dtype)
                manifest.append([
                    "file": file, "method": compressed ? 8 : 0,
                    "arrays": arrays.mapValues { record($0, descr: dtype.descr) },
                ])
            }
        }
        try JSONSerialization.data(withJSONObject: manifest).write(to: dir.appendingPathComponent("manifest.json"))
        let run = try runOracle("tensor_npy_oracle.py", ["check", dir.path])
        #expect(run.status == 0, "NumPy disagrees with msense's files:\n\(run.stderr)")
        #expect(run.stdout.contains("checked 28 files, 0 problems"), "\(run.stdout)")
    }

    /// The check can fail: a manifest that disagrees with the file by one ulp is caught.
    @Test func numpyCheckDetectsAWrongValue() throws {
        let dir = try makeTemporaryDirectory("msense-wrong")
        defer { try? FileManager.default.removeItem(at: dir) }
        let array = try NDArray(shape: [2], elements: [1, 2])
        try NPY.write(array, to: dir.appendingPathComponent("a.npy"))
        let manifest: [[String: Any]] = [[
            "file": "a.npy", "shape": [2], "descr": "<f8", "values": ["1.0", 2.0.nextUp.description],
        ]]
        try JSONSerialization.data(withJSONObject: manifest).write(to: dir.appendingPathComponent("manifest.json"))
        let run = try runOracle("tensor_npy_oracle.py", ["check", dir.path])
        #expect(run.status == 1 && run.stderr.contains("values differ"), "\(run.stderr)")
    }
}
