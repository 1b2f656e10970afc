import MSenseCore
import Foundation
import Sweep
import Sensing
import Tensor

/// `load` and `save`: data files other tools read (.npy, .npz, .csv, .json).
///
/// | value | .npy | .csv | .json |
/// | --- | --- | --- | --- |
/// | matrix | float64 array (d×d, or (n,) for a column) | header `c1…cN`, one row per matrix row | list of rows |
/// | trace | (rows, columns) array | header of column names | `{"step": […], "loss": […], …}` (`Trace.json`, here and inside any value) |
/// | number, string, list, record | – | – | the JSON value |
/// | run, other host object | – | – | its data (``HostObjectJSON``) |
///
/// Every write is atomic (temporary file + rename) and creates missing parent folders.
enum FileLibrary {
    static func builtins(access: @escaping @Sendable () -> FileAccess) -> [Builtin] {
        [
            Builtin(name: "load", doc: "Reads a data file: .npy gives a number (0-d), an n×1 matrix (1-d), a matrix (2-d) or an array (3-d, e.g. measurement stacks); .npz a record of those; .csv a trace; .json the value (malformed JSON is reported with its line and column). NaN and ±inf are read as such, as save and minimize's checkpoints write them (a builtin that needs finite data refuses them where it uses them).",
                    parameters: [Parameter("path")],
                example: """
                    save([1, 2; 3, 4], "m.npy")
                    print(load("m.npy"))  # expect: [1, 2; 3, 4]
                    """) { args in
                let path = try args.string("path")
                let url = try access().readable(path)
                return try load(url, shownAs: path)
            },
            Builtin(name: "save", doc: "Writes a matrix, trace or plain value to .npy, .npz, .csv or .json (chosen by the extension), atomically; returns the path. As .npz a trace is one 1-d array per column and a record one array per field (numbers 0-d, lists of numbers and n×1 matrices 1-d, other matrices 2-d), as np.load reads them back by name. As .json a trace is written as {column: [values]} wherever it sits (alone, in a list or record, in a run), a run as its data ({type, description, stop, steps, loss, rel_err, factors, params, phases, trace}), any other host object as its type, description and plain fields; NaN and ±inf are refused in plain values and written as null in a trace or inside a host object (docs/language.md, Values as JSON).",
                    parameters: [Parameter("value"), Parameter("path")],
                example: """
                    save({alpha: 1e-3, steps: [10, 20]}, "summary.json")
                    print(load("summary.json").steps)  # expect: [10, 20]
                    let run = minimize(fn(x) => (x - 3) ^ 2, init: 1, optimizer: descent(lr: 0.25), steps: 2)
                    save(run, "run.json")
                    print(load("run.json").stop, load("run.json").trace.loss)  # expect: budget [4, 1, 0.25]
                    save(run.trace, "trace.npz")
                    print(load("trace.npz").loss')  # expect: [4, 1, 0.25;]
                    """) { args in
                let path = try args.string("path")
                let url = try access().writable(path)
                try save(args["value"], to: url, shownAs: path)
                return .string(path)
            },
            Builtin(name: "exists", doc: "Whether a file or folder exists at path (reading must be allowed there).",
                    parameters: [Parameter("path")], example: """
                        print(exists("no/such/file.npy"))  # expect: false
                        """) { args in
                let path = try args.string("path")
                return .bool(FileManager.default.fileExists(atPath: try access().readable(path).path))
            },
            Builtin(name: "files", doc: "The names of the entries of a folder, sorted (reading must be allowed there).",
                    parameters: [Parameter("folder")], example: """
                        save(ones(2, 1), "listing/a.npy")
                        save(zeros(1, 1), "listing/b.npy")
                        print(files("listing"))  # expect: ["a.npy", "b.npy"]
                        """) { args in
                let path = try args.string("folder")
                let url = try access().readable(path)
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else {
                    throw ScriptError("cannot list '\(path)': not a readable folder")
                }
                return .list(names.sorted().map(Value.string))
            },
            Builtin(name: "mkdir", doc: "Creates a folder (and its parents) if missing; returns the path.",
                    parameters: [Parameter("path")],
                example: """
                    print(mkdir("results/run1"))  # expect: results/run1
                    """) { args in
                let path = try args.string("path")
                let url = try access().writable(path)
                do throws(FileProblem) { try FileSystem.createFolder(url) } catch {
                    throw ScriptError("cannot create folder '\(path)': \(error.reason)")
                }
                return .string(path)
            },
        ]
    }

    // MARK: Loading

    /// The value of the data file at `url`, which the script named `path`: its errors name the
    /// file as the script did, whatever it resolved to.
    static func load(_ url: URL, shownAs path: String) throws -> Value {
        // The type is the one the script named (a link's target may be named otherwise).
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard ["npy", "npz", "csv", "json"].contains(ext) else {
            throw ScriptError("cannot load '\(path)': unknown file type", hint: "load reads .npy, .npz, .csv and .json files")
        }
        // Regular files only, opened without blocking: a FIFO or a device cannot stall the host.
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(url.path, regularFilesOnly: true) } catch {
            throw ScriptError("cannot read '\(path)': \(error.reason)")
        }
        switch ext {
        case "npy":
            let array = try NPY.decode(bytes, path: path)
            return try value(of: array, path: path)
        case "npz":
            let arrays = try NPZ.decode(bytes, path: path)
            let record = ScriptRecord(names: [], values: [])
            for key in arrays.keys.sorted() {
                if let array = arrays[key] { record.set(key, try value(of: array, path: "\(path)[\(key)]")) }
            }
            return .record(record)
        case "csv":
            try chargeReading(bytes, as: "CSV")
            guard let text = String(validating: bytes, as: UTF8.self) else { throw ScriptError("\(path): is not UTF-8 text") }
            let table = try CSV.decode(text, path: path)
            return .object(TraceObject(try Trace(columns: table.header, rows: table.rows)))
        default:
            try chargeReading(bytes, as: "JSON")
            switch JSONReader.read(bytes) {
            case .success(let value): return value
            case .failure(let problem): throw ScriptError("\(path): not valid JSON at \(problem.description)")
            }
        }
    }

    /// Charges reading text of `bytes.count` bytes to the run's budget before it is parsed, one
    /// operation per byte, so that a step limit bounds loading a large file of text.
    private static func chargeReading(_ bytes: [UInt8], as format: String) throws {
        try RunBudget.charge(bytes.count, for: "reading \(bytes.count) bytes of \(format)")
    }

    /// An array as the value scripts see, NaN and infinity included (what msense writes, it
    /// reads: a checkpoint holds `clip_norm = inf` when a rule does not clip).
    static func value(of array: NDArray, path: String) throws -> Value {
        switch array.rank {
        case 0: return .number(array.elements.first ?? 0)
        case 1, 2: return .matrix(try array.asMatrix())
        default: return .object(ArrayObject(array, path: path))
        }
    }

    // MARK: Saving

    /// Writes `value` as the type `path` names. The type, and whether this value can be written
    /// as it (its JSON text, its .npz arrays), are settled before any folder is created, so a
    /// refused save leaves nothing behind.
    static func save(_ value: Value, to url: URL, shownAs path: String) throws {
        let write = try writer(for: value, ext: URL(fileURLWithPath: path).pathExtension.lowercased(), shownAs: path)
        do { try FileSystem.createFolder(url.deletingLastPathComponent()) } catch {
            throw ScriptError("cannot create the folder for '\(path)': \(error.reason)")
        }
        try write(url)
    }

    /// What writes `value` as a file of type `ext`, or the error refusing it; what can be
    /// prepared without the file (JSON text, .npz arrays, a size check) is prepared here.
    private static func writer(for value: Value, ext: String, shownAs path: String) throws -> (URL) throws -> Void {
        switch (value, ext) {
        case (.matrix(let m), "npy"):
            let array = m.cols == 1 ? try NDArray(shape: [m.rows], elements: m.elements) : NDArray(m)
            return { try NPY.write(array, to: $0) }
        case (.object(let o as ArrayObject), "npy"):
            return { try NPY.write(o.array, to: $0) }
        case (.object(let o as TraceObject), "npy"):
            let rows = o.trace.rows
            let array = try NDArray(shape: [rows.count, o.trace.columns.count], elements: rows.flatMap { $0 })
            return { try NPY.write(array, to: $0) }
        case (.object(let o as TraceObject), "csv"):
            return { try o.trace.writeCSV(to: $0.path) }
        case (.object(let o as SweepTableObject), "csv"):
            return { try o.table.writeCSV(to: $0) }
        case (.object(let o as SweepTableObject), "json"):
            return { try o.table.writeJSON(to: $0) }
        case (.matrix(let m), "csv"):
            try MatrixText.requireFits(m, format: "csv")
            return { url in
                let header = (1...max(m.cols, 1)).map { "c\($0)" }.prefix(m.cols)
                let rows = (0..<m.rows).map { i in Array(m.rowElements(i)) }
                try CSV.write(CSVTable(header: Array(header), rows: rows), to: url)
            }
        case (_, "npz"):
            let arrays = try NPZValues.arrays(of: value)
            return { try NPZ.write(arrays, to: $0) }
        case (_, "json"):
            let text = try JSONValue.encode(value)
            return { url in
                do throws(FileProblem) { try FileSystem.writeAtomically(Data((text + "\n").utf8), to: url) } catch {
                    throw ScriptError("cannot write '\(path)': \(error.reason)")
                }
            }
        case (_, "npy"), (_, "csv"):
            throw ScriptError("cannot save \(withArticle(value.typeName)) as .\(ext)", hint: "matrices and traces save as .npy/.csv, sweep tables as .csv; any value saves as .json")
        default:
            throw ScriptError("cannot save '\(path)': unknown file type", hint: "save writes .npy, .npz, .csv and .json files")
        }
    }
}
