import Foundation
import Testing

/// examples/field experiments 1–3 (docs/field.md): each quick setting runs through the real
/// binary and its summary.json must show the published finding, with margins wide enough for
/// another seed but narrow enough to fail when the finding is absent.
@Suite("Field experiments: symmetry, condition number, depth")
struct FieldConvergenceTests {
    static func runField(_ name: String) throws -> (URL, [String: Any]) {
        let out = try Harness.temporaryDirectory(name)
        let script = Harness.root.appendingPathComponent("examples/field/\(name).msense").path
        let run = try Harness.msense([script, out.path])
        try #require(run.status == 0, "\(run.stderr)")
        let data = try Data(contentsOf: out.appendingPathComponent("summary.json"))
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for file in ["\(name).svg", "\(name).png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(file).path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "\(file) is \(size) bytes")
        }
        return (out, summary)
    }

    /// A JSON list of numbers and nulls as optionals.
    static func optionals(_ any: Any?) -> [Double?] {
        (any as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue }
    }

    static func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }

    static func traces(in out: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [])
            .filter { $0.hasPrefix("trace_") && $0.hasSuffix(".csv") }
    }

    @Test("curse of symmetry: symmetric k > r sublinear, k = r and FGᵀ linear, the FGᵀ rate growing like α²")
    func curseOfSymmetry() throws {
        let (out, summary) = try Self.runField("curse_of_symmetry")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(Set(summary.keys) == ["sym_over_loglog_slope", "sym_exact_final_loss", "alphas", "asym_rates",
                                      "asym_final_loss", "modified_rates"])
        #expect(summary["modified_rates"] is NSNull, "eq. (5.1) is not available: null")
        // Ω(1/T²): a power law with exponent near −2, not the ever-steeper curve of linear convergence.
        let slope = try #require(Self.number(summary["sym_over_loglog_slope"]))
        #expect(slope > -2.6 && slope < -1.4, "log-log slope \(slope)")
        let exact = try #require(Self.number(summary["sym_exact_final_loss"]))
        #expect(exact < 1e-20, "k = r reaches the rounding floor: \(exact)")
        let alphas = Self.optionals(summary["alphas"]).compactMap { $0 }
        let rates = Self.optionals(summary["asym_rates"])
        let finals = Self.optionals(summary["asym_final_loss"])
        #expect(alphas.count >= 3 && rates.count == alphas.count && finals.count == alphas.count)
        for (alpha, final) in zip(alphas, finals) { #expect((final ?? 1) < 1e-12, "FGᵀ, α = \(alpha): final loss \(String(describing: final))") }
        let measured = rates.compactMap { $0 }
        try #require(measured.count == alphas.count, "every FGᵀ run passes the fit window: \(rates)")
        // Larger α, faster: the rate falls at least in proportion to α (α² predicts its square) …
        for i in 1..<alphas.count { #expect(measured[i - 1] > measured[i] * alphas[i - 1] / alphas[i], "rates \(measured)") }
        // … and rate/α² is about constant.
        let scaled = zip(measured, alphas).map { $0 / ($1 * $1) }
        #expect(scaled.max()! / scaled.min()! < 2, "rate/α² = \(scaled)")
        #expect(Self.traces(in: out).count == 2 + alphas.count)
    }

    @Test("ScaledGD: iterations flat in κ; GD's grow with κ")
    func scaledGDKappa() throws {
        let (out, summary) = try Self.runField("scaledgd_kappa")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(Set(summary.keys) == ["kappas", "scaledgd_iters", "gd_iters"])
        let kappas = Self.optionals(summary["kappas"]).compactMap { $0 }
        #expect(kappas == [1, 5, 10, 20])
        let scaled = Self.optionals(summary["scaledgd_iters"]).compactMap { $0 }
        let gd = Self.optionals(summary["gd_iters"]).compactMap { $0 }
        try #require(scaled.count == 4 && gd.count == 4, "every run reaches 1e-10: \(summary)")
        #expect(scaled.max()! / scaled.min()! < 1.5, "ScaledGD iterations \(scaled)")
        for i in 1..<4 { #expect(gd[i] > 1.3 * gd[i - 1], "GD iterations grow with κ: \(gd)") }
        #expect(gd[3] > 5 * gd[0] && gd[3] > 4 * scaled[3], "GD \(gd), ScaledGD \(scaled)")
        #expect(Self.traces(in: out).count == 8)
    }

    @Test("depth: deeper products learn the singular values of W* one at a time")
    func depthIncremental() throws {
        let (out, summary) = try Self.runField("depth_incremental")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(Set(summary.keys) == ["depths", "learn_steps", "incrementality", "final_errors"])
        #expect(Self.optionals(summary["depths"]).compactMap { $0 } == [1, 2, 3, 4])
        let steps = (summary["learn_steps"] as? [Any] ?? []).map(Self.optionals)
        let incrementality = Self.optionals(summary["incrementality"])
        let errors = Self.optionals(summary["final_errors"]).compactMap { $0 }
        try #require(steps.count == 4 && incrementality.count == 4 && errors.count == 4)
        // Depth 1 interpolates the m < d² measurements without recovering W*; depths 2–4 recover it.
        #expect(errors[0] > 0.05, "depth 1: ‖P − W*‖²/‖W*‖² = \(errors[0])")
        for N in 1..<4 { #expect(errors[N] < 0.01, "depth \(N + 1): \(errors[N])") }
        // Depths 3 and 4 learn σ₁, σ₂, σ₃, σ₄ in order.
        for N in 2..<4 {
            let learned = steps[N].compactMap { $0 }
            #expect(learned.count == 4 && learned == learned.sorted(), "depth \(N + 1): \(steps[N])")
        }
        let deep = try #require(incrementality[3]), shallow = try #require(incrementality[1])
        #expect(deep > 3 * shallow && deep > 2, "incrementality by depth: \(incrementality)")
        #expect((incrementality[2] ?? 0) > shallow, "depth 3 against depth 2: \(incrementality)")
        #expect(Self.traces(in: out).count == 4)
    }
}
