import Foundation
import Testing

/// The field experiments on deep matrix completion (Arora et al. 2019) and AGN (Jia et al. 2024)
/// show their findings at the quick settings.
///
/// Each script runs through the real `msense` binary into a scratch folder; the assertions read
/// the summary.json it writes (docs/field.md, sections 4 and 5).
@Suite("Field experiments: deep completion and AGN")
struct FieldCompletionAndAGNTests {
    static let field = Harness.root.appendingPathComponent("examples/field")

    static func run(_ name: String) throws -> (URL, Harness.Outcome) {
        let out = try Harness.temporaryDirectory(name)
        let outcome = try Harness.msense([field.appendingPathComponent(name + ".msense").path, out.path])
        return (out, outcome)
    }

    /// A list of numbers (nil stays nil, so "not reached" is visible).
    static func numbers(_ any: Any?) -> [Double?] {
        (any as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue }
    }

    static func table(_ any: Any?) -> [[Double?]] {
        (any as? [Any] ?? []).map(numbers)
    }

    @Test("deep completion: at 2000 entries deeper is better and lower-rank, depth 3 beats the nuclear norm")
    func deepCompletion() throws {
        let (out, outcome) = try Self.run("deep_completion")
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(outcome.status == 0, "\(outcome.stderr)")
        let summary = try PaperExamplesTests.json(out.appendingPathComponent("summary.json"))
        #expect(Set(summary.keys) == ["observed", "depths", "test_error", "effective_rank", "nuclear_test_error"])
        let observed = Self.numbers(summary["observed"])
        #expect(Self.numbers(summary["depths"]) == [1, 2, 3])
        let errors = Self.table(summary["test_error"])
        let ranks = Self.table(summary["effective_rank"])
        let nuclear = Self.numbers(summary["nuclear_test_error"])
        let column = try #require(observed.firstIndex(of: 2000))
        try #require(errors.count == 3 && ranks.count == 3 && nuclear.count == observed.count)
        let e = try errors.map { try #require($0[column], "every run finishes") }
        let k = try ranks.map { try #require($0[column]) }
        let nuc = try #require(nuclear[column])
        // Depth 1 leaves the unobserved entries at their tiny initial values.
        #expect(e[0] > 0.9, "depth 1: \(e[0])")
        #expect(e[2] < 0.5 * e[1] && e[1] < e[0], "errors at 2000 entries by depth: \(e)")
        #expect(k[2] < k[1] && k[1] < k[0], "effective ranks at 2000 entries by depth: \(k)")
        #expect(k[2] < 6, "depth 3 is close to rank 5: \(k[2])")
        #expect(e[2] < 0.5 * nuc, "depth 3 \(e[2]) against the nuclear norm \(nuc)")
        // With 5000 entries the minimum nuclear norm recovers W* (to its 1e-6 residual).
        let most = try #require(observed.firstIndex(of: 5000))
        #expect((nuclear[most] ?? 1) < 1e-3, "nuclear norm at 5000 entries: \(String(describing: nuclear[most]))")
        for file in ["deep_completion.png", "deep_completion.svg", "trace_depth3_m2000.csv", "trace_nuclear_m2000.csv"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test("AGN: at m = 360 it reaches 1e-10 far sooner than GD at large κ; at m = 180 it interpolates a wrong matrix")
    func agnKappa() throws {
        let (out, outcome) = try Self.run("agn_kappa")
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(outcome.status == 0, "\(outcome.stderr)")
        let summary = try PaperExamplesTests.json(out.appendingPathComponent("summary.json"))
        #expect(Set(summary.keys) == ["kappas", "ms", "agn_iters", "gd_iters", "agn_final_error", "gd_final_error"])
        #expect(Self.numbers(summary["kappas"]) == [10, 100, 1000])
        #expect(Self.numbers(summary["ms"]) == [180, 360])
        let agn = Self.table(summary["agn_iters"])
        let gd = Self.table(summary["gd_iters"])
        let agnFinal = Self.table(summary["agn_final_error"])
        try #require(agn.count == 2 && gd.count == 2 && agnFinal.count == 2)
        for (i, kappa) in [10, 100, 1000].enumerated() {
            let reached = try #require(agn[1][i], "AGN reaches 1e-10 at m = 360, κ = \(kappa)")
            #expect(reached < 2000, "AGN at m = 360, κ = \(kappa): \(reached) iterations")
            if kappa >= 100 {
                // GD either never gets there within the budget or needs at least 3× as long.
                let slow = gd[1][i].map { $0 >= 3 * reached } ?? true
                #expect(slow, "GD \(String(describing: gd[1][i])) against AGN \(reached) at κ = \(kappa)")
            }
            // At m = 180 < 2nk − k² = 224 AGN fits the data but not X*.
            #expect(agn[0][i] == nil, "AGN at m = 180 should not reach X*")
            #expect((agnFinal[0][i] ?? 0) > 0.1, "AGN final error at m = 180, κ = \(kappa)")
        }
        let details = try PaperExamplesTests.json(out.appendingPathComponent("details.json"))
        let runs = try #require(details["runs"] as? [[String: Any]])
        let published = runs.filter { ($0["m"] as? NSNumber)?.intValue == 180 }
        #expect(published.count == 3)
        for run in published {
            let residual = (run["agn_train_residual"] as? NSNumber)?.doubleValue ?? .infinity
            #expect(residual < 1e-8, "AGN training residual at m = 180: \(residual)")
        }
        for file in ["agn_kappa.png", "agn_kappa.svg", "trace_agn_m180_kappa1000.csv", "trace_gd_m360_kappa10.csv"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
    }
}
