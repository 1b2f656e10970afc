import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// `save(x, "x.json")` of a host object writes its plain data: a run's stop reason, steps, final
/// loss, factors, phases and trace columns in one shape for every kind of run; other objects their
/// plain fields. Each file is read back with Foundation's JSON parser and checked against the
/// values the script reads from the object itself (saved as a plain record, the oracle).
@Suite("Host objects as JSON")
struct HostObjectJSONTests {
    /// Runs `source` with `DIR` replaced by a fresh folder; returns the parsed `run.json` and
    /// `expected.json` it wrote.
    private func saved(_ source: String) throws -> (saved: [String: Any], expected: [String: Any]) {
        try withScratchFolder("hostjson") { folder in
            let (_, failure) = runScript(source.replacingOccurrences(of: "DIR", with: folder.path))
            #expect(failure == nil, "\(String(describing: failure))")
            func object(_ name: String) throws -> [String: Any] {
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            }
            return (try object("run.json"), try object("expected.json"))
        }
    }

    /// The fields every run writes, compared with the oracle's `stop`, `steps`, `loss`, `factors`
    /// and `trace_loss`.
    private func expectRunShape(_ run: [String: Any], _ expected: [String: Any]) throws {
        #expect(run["type"] as? String == "run")
        #expect(run["stop"] as? String == expected["stop"] as? String)
        #expect(run["steps"] as? Double == expected["steps"] as? Double)
        #expect(run["loss"] as? Double == expected["loss"] as? Double)
        let factors = try #require(run["factors"] as? [[[Double]]])
        #expect(factors == expected["factors"] as? [[[Double]]])
        let trace = try #require(run["trace"] as? [String: [Any]])
        #expect(trace["loss"] as? [Double] == expected["trace_loss"] as? [Double])
        #expect((trace["step"] as? [Double])?.last == expected["steps"] as? Double)
    }

    @Test func aSymmetricRunWritesItsData() throws {
        let (run, expected) = try saved("""
            seed(1)
            let problem = sensing(psd(6, eigs: [1, 0.5]), gaussian(m: 80, d: 6))
            let run = gd(problem, init: small(6, 2, alpha: 1e-3), lr: 0.1, steps: 300, every: 10)
            save(run, "DIR/run.json")
            save({stop: run.stop, steps: run.steps, loss: run.loss, rel_err: run.rel_err, factors: [run.u],
                  trace_loss: run.trace.loss, phases: run.phases}, "DIR/expected.json")
            """)
        try expectRunShape(run, expected)
        #expect(run["rel_err"] as? Double == expected["rel_err"] as? Double)
        #expect((run["phases"] as? [[String: Any]])?.count == (expected["phases"] as? [Any])?.count)
        #expect((run["phases"] as? [[String: Any]])?.first?["k"] as? Double == 1)
        #expect((run["description"] as? String)?.hasPrefix("run(300 steps") == true)
    }

    @Test func aFactorModelRunWritesTheSameShape() throws {
        let (run, expected) = try saved("""
            seed(1)
            let P = sensing(lowrank(8, 6, svals: [1, 0.5]), iid_gaussian(m: 120, d1: 8, d2: 6))
            let run = gd(P, init: asym(small(8, 2, alpha: 1e-3), small(6, 2, alpha: 1e-3)), lr: 0.2, steps: 60, every: 20)
            save(run, "DIR/run.json")
            save({stop: run.stop, steps: run.steps, loss: run.loss, factors: run.factors, trace_loss: run.trace.loss},
                 "DIR/expected.json")
            """)
        try expectRunShape(run, expected)
        #expect(run["phases"] is [Any])
    }

    @Test func aMinimizeRunWritesTheSameShapeWithItsParameters() throws {
        let (run, expected) = try saved("""
            fn f(a, B) => (a - 1) ^ 2 + sum((B - 2) ^ 2)
            let run = minimize(f, init: {a: zeros(1, 1), B: zeros(1, 2)}, optimizer: descent(lr: 0.25), steps: 4)
            save(run, "DIR/run.json")
            save({stop: run.stop_reason, steps: run.last_step, loss: run.loss, factors: run.factors,
                  trace_loss: run.trace.loss}, "DIR/expected.json")
            """)
        try expectRunShape(run, expected)
        let params = try #require(run["params"] as? [String: Any])
        #expect(params["B"] as? [[Double]] == [[1.875, 1.875]])
        #expect(run["phases"] == nil)
    }

    @Test func nonFiniteNumbersInARunAreWrittenAsNull() throws {
        let (run, expected) = try saved("""
            let halve = custom_rule(init: fn(p) => {n: 0}, step: fn(p, g, s, t) => {params: {x: p.x / 2}, state: {n: s.n + t}})
            let run = minimize(fn(x) => x * x, init: 8, optimizer: halve, steps: 3)
            save(run, "DIR/run.json")
            save({first_step_size_is_nan: run.trace.step_size[0] != run.trace.step_size[0], x: run.x}, "DIR/expected.json")
            """)
        #expect(expected["first_step_size_is_nan"] as? Bool == true)
        let stepSizes = try #require((run["trace"] as? [String: [Any]])?["step_size"])
        #expect(stepSizes.first is NSNull)
        #expect(run["factors"] as? [Double] == [expected["x"] as? Double ?? .nan])
    }

    @Test func otherObjectsWriteTheirPlainFields() throws {
        let (problem, ensemble) = try saved("""
            seed(1)
            let problem = sensing(psd(5, eigs: [1]), gaussian(m: 30, d: 5))
            save(problem, "DIR/run.json")
            save(problem.ensemble, "DIR/expected.json")
            """)
        #expect(problem["type"] as? String == "problem")
        #expect(problem["d"] as? Double == 5)
        #expect(problem["m"] as? Double == 30)
        #expect(problem["y"] == nil && problem["truth"] == nil)
        #expect(ensemble["type"] as? String == "ensemble")
        #expect(ensemble["m"] as? Double == 30)
        #expect(ensemble["measure"] == nil)
    }
}
