import Foundation
import Testing
import Tensor

/// The paper examples run from a clean checkout and show the paper's qualitative findings.
///
/// Each script runs through the real `msense` binary into a scratch folder; the assertions read
/// the JSON summaries the scripts write, so they test what a researcher would look at.
@Suite("Paper examples")
struct PaperExamplesTests {
    static let paper = Harness.root.appendingPathComponent("examples/paper")

    static func runExample(_ name: String, _ extra: [String] = []) throws -> (URL, Harness.Outcome) {
        let out = try Harness.temporaryDirectory(name)
        let script = paper.appendingPathComponent(name + ".msense").path
        let outcome = try Harness.msense([script, out.path] + extra)
        return (out, outcome)
    }

    static func json(_ url: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func numbers(_ any: Any?) -> [Double] {
        (any as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
    }

    @Test("incremental: r* = 3 ranks learned in order, figures written")
    func incremental() throws {
        let (out, run) = try Self.runExample("incremental")
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(run.status == 0, "\(run.stderr)")
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        let phases = try #require(summary["phases"] as? [[String: Any]])
        #expect(phases.count == 3)
        let steps = phases.compactMap { ($0["step"] as? NSNumber)?.doubleValue }
        #expect(steps.count == 3, "every rank is learned")
        #expect(steps == steps.sorted() && Set(steps).count == 3, "ranks are learned one after another: \(steps)")
        // Plateaus: each new rank waits a substantial time after the previous one.
        for (a, b) in zip(steps, steps.dropFirst()) { #expect(b - a >= 100, "plateau between \(a) and \(b)") }
        for file in ["trace.csv", "incremental.svg", "incremental.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test("alpha sweep: phase steps linear in log(1/α), R² ≥ 0.95, slope near 1/(ηλₖ)")
    func alphaSweep() throws {
        let (out, run) = try Self.runExample("alpha_sweep")
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(run.status == 0, "\(run.stderr)")
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        #expect(Set(summary.keys) == ["alphas", "eta", "eigs", "phase_steps", "slopes"])
        let alphas = Self.numbers(summary["alphas"])
        let eta = try #require((summary["eta"] as? NSNumber)?.doubleValue)
        let eigs = Self.numbers(summary["eigs"])
        let slopes = Self.numbers(summary["slopes"])
        let table = (summary["phase_steps"] as? [Any] ?? []).map(Self.numbers)
        #expect(alphas.count == 9 && table.count == 9)
        #expect(slopes.count == eigs.count)
        let logs = alphas.map { log(1 / $0) }
        for k in eigs.indices {
            let ys = table.map { $0.count > k ? $0[k] : .nan }
            let allLearned = ys.allSatisfy { $0.isFinite }
            #expect(allLearned, "rank \(k + 1) learned for every α")
            let r2 = Self.rSquared(logs, ys)
            #expect(r2 >= 0.95, "rank \(k + 1): R² = \(r2)")
            let predicted = 1 / (eta * eigs[k])
            #expect(abs(slopes[k] - predicted) / predicted < 0.35, "rank \(k + 1): slope \(slopes[k]) vs \(predicted)")
        }
    }

    static func rSquared(_ xs: [Double], _ ys: [Double]) -> Double {
        let n = Double(xs.count)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in zip(xs, ys) {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
            syy += (y - my) * (y - my)
        }
        return sxy * sxy / (sxx * syy)
    }

    @Test("under-parameterized: ends near the best rank-r approximation")
    func underParameterized() throws {
        let (out, run) = try Self.runExample("under_parameterized")
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(run.status == 0, "\(run.stderr)")
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        let gap = try #require((summary["relative_gap_to_best_rank_r"] as? NSNumber)?.doubleValue)
        let relErr = try #require((summary["rel_err"] as? NSNumber)?.doubleValue)
        #expect(gap < 0.1, "‖UUᵀ − Z*ᵣ‖/‖Z*ᵣ‖ = \(gap)")
        #expect(relErr > 0.1, "r < r* cannot fit Z* itself")
    }

    @Test("GD and GLRL both pass near every Z*ₖ")
    func gdVersusGLRL() throws {
        let (out, run) = try Self.runExample("gd_vs_glrl")
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(run.status == 0, "\(run.stderr)")
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        let closest = try #require(summary["closest"] as? [[String: Any]])
        #expect(closest.count == 3)
        for row in closest {
            let gd = (row["gd"] as? NSNumber)?.doubleValue ?? .infinity
            let glrl = (row["glrl"] as? NSNumber)?.doubleValue ?? .infinity
            #expect(gd < 0.1 && glrl < 0.1, "k = \(row["k"] ?? "?"): GD \(gd), GLRL \(glrl)")
        }
    }

    @Test("staircase under every ensemble")
    func ensembles() throws {
        let (out, run) = try Self.runExample("ensembles")
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(run.status == 0, "\(run.stderr)")
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        let runs = try #require(summary["runs"] as? [[String: Any]])
        #expect(runs.count == 4)
        for entry in runs {
            let steps = Self.numbers(entry["phase_steps"])
            #expect(steps.count == 3 && steps == steps.sorted(), "\(entry["ensemble"] ?? "?"): \(steps)")
        }
    }

    @Test("large initialisation runs and writes its figure")
    func largeInit() throws {
        let (out, run) = try Self.runExample("large_init")
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("large_init.png").path))
    }

    /// Rows of a figure CSV (`rhat,alpha,m,step,E1..E5`) for one setting.
    static func figureRows(_ url: URL, alpha: Double, m: Double) throws -> [[Double]] {
        let table = try CSV.read(from: url)
        #expect(table.header == ["rhat", "alpha", "m", "step", "E1", "E2", "E3", "E4", "E5"])
        return table.rows.filter { $0[1] == alpha && $0[2] == m }
    }

    @Test("published Figures 1 and 2: E5 falls below 1e-2 by the last iteration at α = 0.001", arguments: ["figure1", "figure2"])
    func publishedFigures(_ name: String) throws {
        let (out, run) = try Self.runExample(name, ["published", "300"])
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(run.status == 0, "\(run.stderr)")
        let rows = try Self.figureRows(out.appendingPathComponent(name + ".csv"), alpha: 0.001, m: 1000)
        let last = try #require(rows.last)
        #expect(last[3] == 300)
        #expect(last[8] < 1e-2, "E5 at the last iteration: \(last[8])")
        for file in [name + ".png", name + ".svg", name + "_rank_solutions.csv", name + ".json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test("with a dominant top eigenvalue the minima of E1…E4 come in increasing order", arguments: ["figure1", "figure2"])
    func dominantStaircase(_ name: String) throws {
        let (out, run) = try Self.runExample(name, ["dominant", "500"])
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(run.status == 0, "\(run.stderr)")
        let rows = try Self.figureRows(out.appendingPathComponent(name + ".csv"), alpha: 0.001, m: 1000)
        let argmins = (4...7).map { column in rows.min { $0[column] < $1[column] }?[3] ?? -1 }
        #expect(argmins == argmins.sorted() && Set(argmins).count == 4, "steps of the minima of E1…E4: \(argmins)")
    }
}
