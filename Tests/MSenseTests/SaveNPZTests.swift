import Foundation
import MSense
import Tensor
import Testing

/// `save(…, "x.npz")` writes a trace as one 1-d array per column and a record as one array per
/// field, so NumPy's `np.load` reads them back by name; other values are refused by name.
@Suite("save writes .npz archives")
struct SaveNPZTests {
    @Test("a trace is one 1-d array per column, NaN kept")
    func traceColumns() throws {
        let arrays = try withScratchFolder("save-npz") { folder in
            let (interpreter, _) = scratchInterpreter(in: folder)
            _ = try interpreter.run(source: """
                let run = minimize(fn(x) => (x - 3) ^ 2, init: 1, optimizer: descent(lr: 0.25), steps: 2,
                                   metrics: {odd: fn(s) => log(s.step) * 0})
                save(run.trace, "t.npz")
                """)
            return try NPZ.read(from: folder.appendingPathComponent("t.npz"))
        }
        #expect(arrays.keys.sorted() == ["grad_norm", "loss", "odd", "step", "step_size"])
        #expect(arrays["step"]?.shape == [3])
        #expect(arrays["loss"]?.elements == [4, 1, 0.25])
        // log(0) · 0 is NaN at step 0: kept, as a trace keeps it.
        #expect(arrays["odd"]?.elements.first?.isNaN == true)
    }

    @Test("a record is one array per field; load gives it back")
    func recordFields() throws {
        let (arrays, printed) = try withScratchFolder("save-npz") { folder in
            let (interpreter, out) = scratchInterpreter(in: folder)
            _ = try interpreter.run(source: """
                save({alpha: 0.5, y: [1; 2; 3], M: [1, 2; 3, 4], steps: [10, 20]}, "r.npz")
                let r = load("r.npz")
                print(r.alpha, r.y', r.M, r.steps')
                """)
            return (try NPZ.read(from: folder.appendingPathComponent("r.npz")), out.text)
        }
        #expect(arrays["alpha"]?.shape == [])
        #expect(arrays["y"]?.shape == [3])
        #expect(arrays["M"]?.shape == [2, 2])
        #expect(arrays["steps"]?.shape == [2])
        #expect(printed == "0.5 [1, 2, 3;] [1, 2; 3, 4] [10, 20;]\n")
    }

    @Test("values without an array form are refused, naming the field")
    func refusals() throws {
        try withScratchFolder("save-npz") { folder in
            let (interpreter, _) = scratchInterpreter(in: folder)
            func failure(_ source: String) -> String {
                do { _ = try interpreter.run(source: source) } catch { return error.description }
                return "no error"
            }
            #expect(failure(#"save({name: "x"}, "s.npz")"#).contains("cannot save field 'name' (a string) in an .npz archive"))
            #expect(failure(#"save([1, 2; 3, 4], "m.npz")"#).contains("cannot save a matrix as .npz"))
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("s.npz").path))
        }
    }
}
