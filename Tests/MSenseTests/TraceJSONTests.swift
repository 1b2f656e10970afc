import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// A trace has one JSON form wherever it sits: saved alone, inside a plain record or list, or as
/// a run's `trace`, it is the object of its columns with NaN and ±inf as `null`.
@Suite("Traces as JSON")
struct TraceJSONTests {
    /// A run whose first `step_size` is NaN (a custom rule gives none), saved four ways.
    static let script = """
        let halve = custom_rule(init: fn(p) => {n: 0}, step: fn(p, g, s, t) => {params: {x: p.x / 2}, state: {n: s.n + t}})
        let run = minimize(fn(x) => x * x, init: 8, optimizer: halve, steps: 3)
        save(run.trace, "DIR/alone.json")
        save({t: run.trace, note: "halving"}, "DIR/record.json")
        save([run.trace], "DIR/list.json")
        save(run, "DIR/run.json")
        print(run.trace.columns)
        """

    @Test func aTraceWritesTheSameWhereverItSits() throws {
        try withScratchFolder("tracejson") { folder in
            let (output, failure) = runScript(Self.script.replacingOccurrences(of: "DIR", with: folder.path))
            #expect(failure == nil, "\(String(describing: failure))")
            func parsed(_ name: String) throws -> Any {
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name)))
            }
            let alone = try #require(try parsed("alone.json") as? [String: Any])
            let inRecord = try #require((try parsed("record.json") as? [String: Any])?["t"] as? [String: Any])
            let inList = try #require((try parsed("list.json") as? [Any])?.first as? [String: Any])
            let inRun = try #require((try parsed("run.json") as? [String: Any])?["trace"] as? [String: Any])
            #expect(NSDictionary(dictionary: alone) == NSDictionary(dictionary: inRecord))
            #expect(NSDictionary(dictionary: alone) == NSDictionary(dictionary: inList))
            #expect(NSDictionary(dictionary: alone) == NSDictionary(dictionary: inRun))
            #expect(output.contains("step") && output.contains("step_size"))
            #expect(alone["step"] as? [Double] == [0, 1, 2, 3])
            #expect((alone["loss"] as? [Double])?.first == 64)
            #expect((alone["step_size"] as? [Any])?.first is NSNull)
            // The columns are written in the trace's order, each once.
            let text = try String(contentsOf: folder.appendingPathComponent("alone.json"), encoding: .utf8)
            #expect(text.hasPrefix("{\"step\": [0, 1, 2, 3], \"loss\": [64.0, "))
            let recordText = try String(contentsOf: folder.appendingPathComponent("record.json"), encoding: .utf8)
            #expect(recordText == "{\"t\": " + text.dropLast() + ", \"note\": \"halving\"}\n")
        }
    }

    @Test func aPlainNonFiniteNumberIsStillRefused() throws {
        try withScratchFolder("tracejson") { folder in
            let failure = runScript(Self.script.replacingOccurrences(of: "DIR", with: folder.path)
                + "\nsave({first: run.trace.step_size[0]}, \"\(folder.path)/plain.json\")\n").failure
            #expect(failure?.description.contains("has no JSON form") == true, "\(String(describing: failure))")
        }
    }
}
