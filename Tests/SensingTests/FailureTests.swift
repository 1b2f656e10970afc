import Foundation
import Testing
@testable import Sensing
import Tensor

/// Every refusal has a clear message; nothing traps on bad sizes or data.
@Suite("Failure messages")
struct FailureTests {
    @Test func divergenceStopsWithStepAndLoss() throws {
        let p = try OptimizerTests.problem()
        var rng = Xoshiro256(seed: 1)
        let u0 = try Initialization.smallRandom(alpha: 0.5).make(for: p, rank: 2, rng: &rng)
        let result = Result { () throws -> Run in
            try p.run(from: u0, options: RunOptions(lr: .constant(50), steps: 1000, every: 1))
        }
        guard case let .failure(error) = result, let sensing = error as? SensingError,
            case let .diverged(step, loss, trace) = sensing.underlying,
            case let .interrupted(_, partial) = sensing, partial.step == step, partial.trace.count == trace.count
        else {
            Issue.record("expected divergence, got \(result)")
            return
        }
        #expect(!loss.isFinite && step > 0 && trace.count == step)
        let message = "\(sensing)"
        #expect(message == "diverged at step \(step) (loss = \(NumberText.significant(loss, digits: 3))); try a smaller lr")
        #expect(message.contains("(loss = inf)") || message.contains("(loss = nan)"))
    }

    /// A NaN loss reads `nan` whatever its sign bit (Swift's own text for a negative NaN is `-nan`).
    @Test func aNaNLossReadsNaN() {
        for loss in [Double.nan, -Double.nan, .infinity] {
            let message = "\(SensingError.diverged(step: 4, loss: loss, trace: Trace(columns: [])))"
            #expect(message == "diverged at step 4 (loss = \(loss.isNaN ? "nan" : "inf")); try a smaller lr")
        }
    }

    @Test func shapeMismatchNamesBothShapes() throws {
        let truth = try Support.truth(d: 30, eigenvalues: [1])
        var rng = Xoshiro256(seed: 1)
        let p = try SensingProblem(truth: truth, measurements: FullObservationOperator(d: 30), rng: &rng)
        let u0 = try Matrix(rows: 20, cols: 5)
        #expect { try p.run(from: u0, options: RunOptions(lr: .constant(0.1), steps: 1)) } throws: {
            "\($0)" == "U0 is 20×5 but the ground truth is 30×30"
        }
        #expect { try SensingProblem(truth: truth, measurements: FullObservationOperator(d: 4), rng: &rng) } throws: {
            "\($0)" == "the ground truth is 30×30 but the full measurements are of 4×4 matrices"
        }
        #expect { try SensingProblem(truth: truth, measurements: FullObservationOperator(d: 30), y: [1, 2]) } throws: {
            "\($0)" == "y has 2 entries but the operator makes m = 900 measurements"
        }
    }

    @Test func nonFiniteDataNamesTheIndex() throws {
        let truth = try Support.truth(d: 2, eigenvalues: [1])
        var y = [Double](repeating: 0, count: 4)
        y[3] = .infinity
        #expect { try SensingProblem(truth: truth, measurements: FullObservationOperator(d: 2), y: y) } throws: {
            "\($0)" == "y[3] is inf; the data must be finite numbers"
        }
        var stack = [Double](repeating: 1, count: 3 * 2 * 2)
        stack[2 * 4 + 1 * 2 + 0] = .nan
        #expect { try PackedSymmetricOperator.explicit(stack: stack, m: 3, d: 2) } throws: {
            "\($0)" == "A[2, 1, 0] is nan; the data must be finite numbers"
        }
        #expect { try PackedSymmetricOperator.explicit(stack: [1, 2, 3], m: 3, d: 2) } throws: {
            "\($0)" == "the measurement stack has 3 values but m·d² = 3·2² values are needed for m = 3, d = 2"
        }
        var rng = Xoshiro256(seed: 1)
        let p = try SensingProblem(truth: truth, measurements: FullObservationOperator(d: 2), rng: &rng)
        let bad = try Matrix([[1, 0], [0, .nan]])
        #expect { try Initialization.explicit(bad).make(for: p, rank: 2, rng: &rng) } throws: {
            "\($0)" == "U0[1, 1] is nan; the data must be finite numbers"
        }
    }

    @Test func memoryRefusalStatesBytes() throws {
        var rng = Xoshiro256(seed: 1)
        #expect { try PackedSymmetricOperator.gaussian(m: 10_000_000, d: 1000, rng: &rng) } throws: {
            let s = "\($0)"
            return s.hasPrefix("the symmetric Gaussian ensemble with m = 10000000, d = 1000 needs 40.0 TB for m·d(d+1)/2")
                && s.contains("use a matrix-free ensemble")
        }
        #expect(throws: SensingError.self) { try MemoryBudget.require(doubles: 1000, formula: "n", for: "x", available: 7999) }
        try MemoryBudget.require(doubles: 1000, formula: "n", for: "x", available: 8000)
        #expect { try MemoryBudget.require(doubles: 800_000_000, formula: "m·d²", for: "the stack", available: 1_000_000_000) } throws: {
            "\($0)" == "the stack needs 6.4 GB for m·d² float64 values, but only 1.0 GB of memory is available; "
                + "use a matrix-free ensemble (rank-one, completion, full observation) or a smaller m"
        }
        // Sizes BLAS cannot index are refused before any product is formed.
        #expect { try PackedSymmetricOperator.gaussian(m: Int.max / 2, d: 1 << 20, rng: &rng) } throws: {
            "\($0)".contains("at most 2147483647 measurements are supported, not m = \(Int.max / 2)")
        }
        #expect { try PackedSymmetricOperator.gaussian(m: 10, d: 1 << 20, rng: &rng) } throws: {
            "\($0)".contains("the dimension d must be at most 65535, not 1048576")
        }
    }

    @Test func invalidSizesAreRefused() throws {
        var rng = Xoshiro256(seed: 1)
        #expect { try PackedSymmetricOperator.gaussian(m: 0, d: 3, rng: &rng) } throws: {
            "\($0)" == "the symmetric Gaussian ensemble: the number of measurements m must be at least 1, not 0"
        }
        #expect { try RankOneOperator(m: 5, d: -2, rng: &rng) } throws: {
            "\($0)" == "the rank-one ensemble: the dimension d must be at least 1, not -2"
        }
        #expect { try CompletionOperator(m: -1, d: 3, rng: &rng) } throws: { "\($0)".contains("m must be at least 1, not -1") }
        #expect { try CompletionOperator(d: 3, entries: [(0, 3)]) } throws: {
            "\($0)" == "observed entry 0 is (0, 3), outside a 3×3 matrix"
        }
        #expect { try FullObservationOperator(d: 0) } throws: { "\($0)".contains("at least 1, not 0") }
        let p = try OptimizerTests.problem()
        #expect { try Initialization.smallRandom(alpha: 1).make(for: p, rank: -1, rng: &rng) } throws: {
            "\($0)" == "the factor rank r must be ≥ 0, not -1"
        }
        #expect { try Initialization.orthogonal(alpha: 1).make(for: p, rank: 9, rng: &rng) } throws: {
            "\($0)" == "an orthogonal initialisation needs r ≤ d, but r = 9 and d = 8"
        }
        let u0 = try Initialization.smallRandom(alpha: 1e-3).make(for: p, rank: 2, rng: &rng)
        #expect { try p.run(from: u0, options: RunOptions(lr: .constant(0.1), steps: -1)) } throws: {
            "\($0)" == "the step budget must be ≥ 0, not -1"
        }
        #expect { try p.run(from: u0, options: RunOptions(lr: .constant(0.1), steps: 5, every: 0)) } throws: {
            "\($0)" == "the recording interval 'every' must be ≥ 1, not 0"
        }
        #expect { try p.run(from: u0, optimizer: .momentum(beta: 1), options: RunOptions(lr: .constant(0.1), steps: 5)) } throws: {
            "\($0)" == "the momentum β must be in [0, 1), not 1.0"
        }
        #expect { try p.run(from: u0, options: RunOptions(lr: .constant(-0.1), steps: 5)) } throws: {
            "\($0)" == "the step size at step 0 is -0.1; it must be a finite number > 0"
        }
        #expect { try p.runGLRL(options: GLRLOptions(lr: .constant(0.1), maxRank: 0)) } throws: {
            "\($0)" == "GLRL needs a maximum rank ≥ 1, not 0"
        }
        // r = 0 is a valid (if trivial) run: U stays 0.
        let empty = try Matrix(rows: 8, cols: 0)
        let run = try p.run(from: empty, options: RunOptions(lr: .constant(0.1), steps: 3))
        #expect(try run.trace.column("eig1") == [0, 0, 0, 0])
    }

    @Test func scaledGDRefusesSingularGram() throws {
        let p = try OptimizerTests.problem()
        var u0 = try Matrix(rows: 8, cols: 2)
        u0[0, 0] = 1
        #expect { try p.run(from: u0, optimizer: .scaledGD, options: RunOptions(lr: .constant(0.1), steps: 5)) } throws: {
            "\($0)".hasPrefix("ScaledGD: UᵀU is not positive definite at step 0")
        }
    }
}

@Suite("Trace tables")
struct TraceTests {
    @Test func csvJsonColumnsAndAtomicWrite() throws {
        let trace = try Trace(columns: ["step", "loss", "eig1"], rows: [[0, 0.5, 1e-6], [10, 0.25, .infinity]])
        #expect(trace.csv == "step,loss,eig1\n0,0.5,1e-06\n10,0.25,inf\n")
        #expect(trace.json == "{\"step\": [0, 10], \"loss\": [0.5, 0.25], \"eig1\": [1e-06, null]}")
        #expect(try trace.column("loss") == [0.5, 0.25])
        #expect { try trace.column("lr") } throws: { "\($0)" == "the trace has no column 'lr'; its columns are step, loss, eig1" }
        #expect { try Trace(columns: ["a"], rows: [[1, 2]]) } throws: {
            "\($0)" == "trace row 0 has 2 values but the trace has 1 column"
        }
        var growing = Trace(columns: ["step", "loss"])
        #expect { try growing.append([1]) } throws: { "\($0)" == "a trace row has 1 value but the trace has 2 columns" }
        #expect(growing.count == 0)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sensing-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csvPath = dir.appendingPathComponent("t.csv").path
        try trace.writeCSV(to: csvPath)
        #expect(try String(contentsOfFile: csvPath, encoding: .utf8) == trace.csv)
        let jsonPath = dir.appendingPathComponent("t.json").path
        try trace.writeJSON(to: jsonPath)
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonPath))) as? [String: Any]
        #expect(try String(contentsOfFile: jsonPath, encoding: .utf8) == trace.json + "\n")
        #expect((parsed?["step"] as? [Double]) == [0, 10] && (parsed?["eig1"] as? [Any])?.last is NSNull)
        #expect { try trace.writeCSV(to: dir.appendingPathComponent("no/such/dir.csv").path) } throws: {
            "\($0)".contains("could not be written")
        }
    }

    /// Any column name reads back (a comma, quote, line break or empty name is quoted), and a
    /// `step` that is not a whole number keeps its fraction.
    @Test func csvNamesAndStepsReadBack() throws {
        let names = ["step", "a,b", "say \"hi\"", "two\nlines", "", " padded "]
        let trace = try Trace(columns: names, rows: [[0.5, 1, 2, 3, 4, 9], [2, 5, 6, 7, 8, 9]])
        #expect(trace.csv.hasPrefix("step,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"\",\" padded \"\n0.5,1.0,"))
        let back = try CSV.decode(trace.csv, path: "t.csv")
        #expect(back.header == names)
        #expect(back.rows == [[0.5, 1, 2, 3, 4, 9], [2, 5, 6, 7, 8, 9]])
        #expect(trace.json.hasPrefix("{\"step\": [0.5, 2], \"a,b\": [1.0, 5.0], \"say \\\"hi\\\"\": [2.0, 6.0], \"two\\nlines\": [3.0, 7.0]"))
    }
}
