import Foundation
import MSenseCore
import Sensing
import Tensor

/// A `minimize` run's checkpoint: one `.npz` file holding everything step `t` depends on, so a
/// run resumed from it continues with the same step numbers and gives, bit for bit, the trace
/// of the uninterrupted run (docs/optimizers.md, "Checkpoints"). Arrays (float64):
///
/// | key | shape | content |
/// | --- | --- | --- |
/// | `step` | () | `t`, the step the run continues from (its row is not yet recorded) |
/// | `param.<name>` | () or (r, c) | every parameter at step `t` (a number 0-d) |
/// | `optimizer.<key>`, `optimizer.<param>.<key>`, `custom.…` | | the optimizer's state (``RunningOptimizer/arrays(_:)``) |
/// | `run.blowup_reference` | () | the blow-up guard's reference `max(f(X₀), f(0))` (NaN: the guard is off) |
/// | `run.every`, `run.batch` | () | the recording interval; the batch size (0: full batch) |
/// | `run.gram` | () | 1 while the run takes its unrecorded steps through `G` (``GramRoute``), 0 once it does not |
/// | `rng.seed` | () | the mini-batch seed `s` (``MinibatchDraw``), with a batch only |
/// | `objective.m`, `objective.y_hash` | () | a problem objective's fingerprint (``ObjectiveFingerprint``) |
/// | `trace.<column>` | (n,) | every trace column over the rows recorded before step `t` |
///
/// Written through the host's file sandbox and atomically (a temporary file, then a rename).
struct RunCheckpoint {
    var step: Int
    var parameters: ParameterSet
    var optimizer: [String: NDArray]
    var blowupReference: Double
    var every: Int
    var batch: Int
    /// Whether the run still takes its unrecorded steps through `G`; nil in a file without `run.gram`.
    var gram: Bool?
    var seed: UInt64?
    var fingerprint: ObjectiveFingerprint?
    var columns: [String]
    var rows: [[Double]]

    /// The arrays of the file.
    var arrays: [String: NDArray] {
        get throws {
            var out = optimizer
            out["step"] = NDArray(scalar: Double(step))
            for (k, name) in parameters.names.enumerated() {
                out["param.\(name)"] = parameters.isNumber[k] ? NDArray(scalar: parameters.values[k].elements[0]) : NDArray(parameters.values[k])
            }
            out["run.blowup_reference"] = NDArray(scalar: blowupReference)
            out["run.every"] = NDArray(scalar: Double(every))
            out["run.batch"] = NDArray(scalar: Double(batch))
            if let gram { out["run.gram"] = NDArray(scalar: gram ? 1 : 0) }
            if let seed { out["rng.seed"] = NDArray(scalar: Double(seed)) }
            if let fingerprint { out.merge(fingerprint.arrays) { _, new in new } }
            for (j, column) in columns.enumerated() {
                out["trace.\(column)"] = try NDArray(shape: [rows.count], elements: rows.map { $0[j] })
            }
            return out
        }
    }

    /// Writes the checkpoint to `path` (inside `access`), atomically, creating its folder.
    func write(to path: String, access: FileAccess) throws {
        let url = try access.writable(path)
        do { try FileSystem.createFolder(url.deletingLastPathComponent()) } catch {
            throw ScriptError("cannot create the folder for the checkpoint '\(path)': \(error.reason)")
        }
        do {
            try NPZ.write(try arrays, to: url)
        } catch let error as TensorError {
            throw ScriptError("cannot write the checkpoint '\(path)': \(error.description)")
        }
    }

    /// The arrays of the checkpoint at `path` (inside `access`).
    static func read(_ path: String, access: FileAccess) throws -> [String: NDArray] {
        let url = try access.readable(path)
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(url.path, regularFilesOnly: true) } catch {
            throw ScriptError("cannot read the checkpoint '\(path)': \(error.reason)")
        }
        return try NPZ.decode(bytes, path: path)
    }

    /// The run state held by `arrays`, checked against this run: the same objective data (when
    /// both have a fingerprint), parameters (names, kinds, shapes, finite entries), recording
    /// interval, batch size and trace columns; the refusal names the first difference. The optimizer's arrays are left for ``RunningOptimizer/restore(_:names:)``.
    init(arrays: [String: NDArray], like run: RunCheckpoint, path: String) throws {
        func scalar(_ key: String) throws -> Double {
            guard let array = arrays[key], array.rank == 0, let x = array.elements.first else {
                throw ScriptError("'\(path)' is not a minimize checkpoint: it has no number '\(key)'")
            }
            return x
        }
        func whole(_ key: String) throws -> Int {
            let x = try scalar(key)
            guard x >= 0, x < 0x1p53, x == x.rounded(), let n = Int(exactly: x) else {
                throw ScriptError("the checkpoint '\(path)' has \(key) = \(Formatting.number(x)), not a whole number ≥ 0")
            }
            return n
        }
        step = try whole("step")
        blowupReference = try scalar("run.blowup_reference")
        every = try whole("run.every")
        batch = try whole("run.batch")
        gram = arrays["run.gram"] == nil ? nil : try whole("run.gram") != 0
        guard every == run.every else {
            throw ScriptError("the checkpoint '\(path)' was recorded with every: \(every), this run with every: \(run.every)")
        }
        guard batch == run.batch else {
            let text = { (b: Int) in b == 0 ? "the full objective" : "batches of \(b)" }
            throw ScriptError("the checkpoint '\(path)' was made on \(text(batch)), this run uses \(text(run.batch))")
        }
        seed = run.seed == nil ? nil : UInt64(try whole("rng.seed"))
        fingerprint = ObjectiveFingerprint.saved(in: arrays)
        try ObjectiveFingerprint.check(saved: fingerprint, own: run.fingerprint, path: path)
        let savedNames = arrays.keys.filter { $0.hasPrefix("param.") }.map { String($0.dropFirst("param.".count)) }.sorted()
        guard savedNames == run.parameters.names.sorted() else {
            let held = savedNames.isEmpty ? "no parameter (no array param.NAME)" : "the parameters \(savedNames.joined(separator: ", "))"
            throw ScriptError("the checkpoint '\(path)' holds \(held) but this run's are \(run.parameters.names.joined(separator: ", "))",
                              hint: "resume from a checkpoint this run's objective wrote, or start without resume:")
        }
        var values: [Matrix] = []
        for (k, name) in run.parameters.names.enumerated() {
            guard let array = arrays["param.\(name)"] else { throw ScriptError("the checkpoint '\(path)' has no parameter \(name)") }
            let own = run.parameters.values[k]
            let ownText = run.parameters.isNumber[k] ? "a number" : "\(TensorError.format(own.shape))"
            let savedText = array.rank == 0 ? "a number" : TensorError.format(array.shape)
            guard savedText == ownText else {
                throw ScriptError("the checkpoint's \(name) is \(savedText) but this run's \(name) is \(ownText)")
            }
            if let bad = array.elements.firstIndex(where: { !$0.isFinite }) {
                let at = array.rank == 0 ? "" : " at [\(bad / max(own.cols, 1)), \(bad % max(own.cols, 1))]"
                throw ScriptError("the checkpoint's \(name) has a non-finite entry (\(Formatting.number(array.elements[bad]))\(at))",
                                  hint: "the file is damaged or from a diverged run; resume from a checkpoint of a run that converged, or start without resume:")
            }
            values.append(array.rank == 0 ? Matrix(column: [array.elements.first ?? .nan]) : try array.asMatrix())
        }
        parameters = ParameterSet(names: run.parameters.names, values: values, isNumber: run.parameters.isNumber)
        let savedColumns = Set(arrays.keys.filter { $0.hasPrefix("trace.") }.map { String($0.dropFirst("trace.".count)) })
        guard savedColumns == Set(run.columns) else {
            let missing = run.columns.filter { !savedColumns.contains($0) }, extra = savedColumns.subtracting(run.columns).sorted()
            throw ScriptError("the checkpoint's trace does not have this run's columns"
                + (missing.isEmpty ? "" : " (missing: \(missing.joined(separator: ", ")))") + (extra.isEmpty ? "" : " (not in this run: \(extra.joined(separator: ", ")))"),
                hint: "resume with the same metrics as the run that wrote it")
        }
        columns = run.columns
        let data = columns.map { arrays["trace.\($0)"]?.elements ?? [] }
        let count = data.first?.count ?? 0
        guard data.allSatisfy({ $0.count == count }) else { throw ScriptError("the checkpoint's trace columns have different lengths") }
        rows = (0..<count).map { i in data.map { $0[i] } }
        // The rows a run records before step t have increasing steps below t; a file whose rows
        // do not would give the resumed run a trace that repeats or reorders steps.
        let steps = arrays["trace.step"]?.elements ?? [], end = Double(step)
        guard zip(steps, steps.dropFirst()).allSatisfy({ $0 < $1 }), steps.allSatisfy({ $0 >= 0 && $0 < end }) else {
            throw ScriptError("the checkpoint '\(path)' is inconsistent: its trace rows must have increasing steps below its step \(step)",
                              hint: "the file was changed after the run wrote it; resume from a checkpoint a run wrote, or start without resume:")
        }
        optimizer = arrays.filter { $0.key.hasPrefix("optimizer.") || $0.key.hasPrefix("custom.") }
    }

    init(step: Int, parameters: ParameterSet, optimizer: [String: NDArray], blowupReference: Double, every: Int, batch: Int,
         gram: Bool?, seed: UInt64?, fingerprint: ObjectiveFingerprint?, columns: [String], rows: [[Double]]) {
        self.step = step
        self.parameters = parameters
        self.optimizer = optimizer
        self.blowupReference = blowupReference
        self.every = every
        self.batch = batch
        self.gram = gram
        self.seed = seed
        self.fingerprint = fingerprint
        self.columns = columns
        self.rows = rows
    }
}
