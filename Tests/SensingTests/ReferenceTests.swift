import Foundation
import Testing
@testable import Sensing
import Tensor

/// Against the project's NumPy reference (`/work/shared/reference/msense_ref.py`) and its replay
/// fixtures, when they exist on this machine; skipped cleanly otherwise.
@Suite("Against the shared NumPy reference")
struct ReferenceTests {
    static let reference = "/work/shared/reference/msense_ref.py"
    static let fixtures = "/work/shared/fixtures"
    static var haveReference: Bool { FileManager.default.fileExists(atPath: reference) }

    /// A tiny Python driver that prints the problem and the reference trace as JSON.
    static let driver = """
        import json, sys, os
        import numpy as np
        spec = json.load(sys.stdin)
        sys.path.insert(0, os.path.dirname(spec["ref"]))
        import msense_ref as R
        if "fixture" in spec:
            L = lambda n: np.load(os.path.join(spec["fixture"], n + ".npy"))
            Z, A, y, U0 = L("Zstar"), L("A"), L("y"), L("U0")
            eta, steps, every = open(os.path.join(spec["fixture"], "args")).read().split()
            eta, steps, every = float(eta), int(steps), int(every)
            text = open(os.path.join(spec["fixture"], "trace.csv")).read()
        else:
            Z, A, y, U0 = R.make_problem(spec["d"], spec["m"], spec["r"], spec["eigs"], spec["alpha"], spec["noise"], spec["seed"], spec["ensemble"])
            eta, steps, every = spec["eta"], spec["steps"], spec["every"]
            header, rows, _ = R.gd(Z, A, y, U0, eta, steps, every)
            text = ",".join(header) + "\\n" + "\\n".join(",".join([str(int(r[0]))] + [repr(float(v)) for v in r[1:]]) for r in rows)
        out = dict(Z=Z.ravel().tolist(), A=A.ravel().tolist(), y=y.tolist(), U0=U0.ravel().tolist(),
                   d=int(Z.shape[0]), m=int(A.shape[0]), r=int(U0.shape[1]), eta=eta, steps=steps, every=every, trace=text)
        print(json.dumps(out))
        """

    func compare(_ spec: String) throws {
        let dir = FileManager.default.temporaryDirectory
        let script = dir.appendingPathComponent("sensing_ref_driver_\(getpid()).py").path
        try Data(Self.driver.utf8).write(to: URL(fileURLWithPath: script), options: .atomic)
        let out = try Support.python(script, input: spec)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let d = try #require(obj["d"] as? Int), m = try #require(obj["m"] as? Int), r = try #require(obj["r"] as? Int)
        let z = try Matrix(rows: d, cols: d, elements: try #require(obj["Z"] as? [Double]))
        let stack = try #require(obj["A"] as? [Double])
        let y = try #require(obj["y"] as? [Double])
        let u0 = try Matrix(rows: d, cols: r, elements: try #require(obj["U0"] as? [Double]))
        let problem = try SensingProblem(
            truth: GroundTruth(matrix: z), measurements: PackedSymmetricOperator.explicit(stack: stack, m: m, d: d), y: y)
        let run = try problem.run(from: u0, options: RunOptions(
            lr: .constant(try #require(obj["eta"] as? Double)), steps: try #require(obj["steps"] as? Int),
            every: try #require(obj["every"] as? Int)))
        let expected = Support.parseCSV(try #require(obj["trace"] as? String))
        // Our trace has the reference's columns first, then grad_norm and eff_rank.
        let n = expected.columns.count
        #expect(Array(run.trace.columns.prefix(n)) == expected.columns)
        #expect(run.trace.columns.suffix(2) == ["grad_norm", "eff_rank"])
        Support.expectClose((Array(run.trace.columns.prefix(n)), run.trace.rows.map { Array($0.prefix(n)) }), expected)
    }

    @Test(.enabled(if: ReferenceTests.haveReference), arguments: ["gaussian", "rank1", "completion"])
    func generatedProblems(ensemble: String) throws {
        try compare("""
            {"ref": "\(Self.reference)", "d": 6, "m": 150, "r": 3, "eigs": [1.0, 0.5], "alpha": 1e-3, "noise": 0.01,
             "seed": 4, "ensemble": "\(ensemble)", "eta": \(ensemble == "rank1" ? 0.02 : 0.1), "steps": 300, "every": 25}
            """)
    }

    @Test(.enabled(if: ReferenceTests.haveReference), arguments: ["replay-basic", "replay-noisy"])
    func replayFixtures(name: String) throws {
        let path = "\(Self.fixtures)/\(name)"
        try #require(FileManager.default.fileExists(atPath: path + "/trace.csv"))
        try compare("{\"ref\": \"\(Self.reference)\", \"fixture\": \"\(path)\"}")
    }
}
