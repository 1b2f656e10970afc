import Testing
@testable import Sensing
import Tensor

/// Each method reaches low error on a small problem; phases, GLRL, schedules, stopping rules.
@Suite("Optimizers, phases and stopping")
struct OptimizerTests {
    static func problem(d: Int = 8, m: Int = 240, eigenvalues: [Double] = [1, 0.5], seed: UInt64 = 3) throws -> SensingProblem {
        let truth = try Support.truth(d: d, eigenvalues: eigenvalues, seed: seed)
        var rng = Xoshiro256(seed: seed + 100)
        return try SensingProblem(truth: truth, measurements: PackedSymmetricOperator.gaussian(m: m, d: d, rng: &rng), rng: &rng)
    }

    static func finalRelErr(_ run: Run) throws -> Double {
        try #require(try run.trace.column("rel_err").last)
    }

    @Test func gradientDescentAndMomentumFromSmallInit() throws {
        let p = try Self.problem()
        var rng = Xoshiro256(seed: 1)
        let u0 = try Initialization.smallRandom(alpha: 1e-3).make(for: p, rank: 3, rng: &rng)
        let gd = try p.run(from: u0, options: RunOptions(lr: .constant(0.2), steps: 1500, every: 100))
        #expect(try Self.finalRelErr(gd) < 1e-3)
        let hb = try p.run(from: u0, optimizer: .momentum(beta: 0.5), options: RunOptions(lr: .constant(0.1), steps: 1500, every: 100))
        #expect(try Self.finalRelErr(hb) < 1e-3)
        #expect(gd.stopReason == .budget && gd.lastStep == 1500 && gd.trace.rows.last?.first == 1500)
    }

    @Test func scaledAndPreconditionedGD() throws {
        let p = try Self.problem()
        var rng = Xoshiro256(seed: 2)
        let spectral = try Initialization.spectral.make(for: p, rank: 2, rng: &rng)
        let first = try p.run(from: spectral, options: RunOptions(lr: .constant(0.2), steps: 0))
        #expect(try Self.finalRelErr(first) < 0.5)  // spectral start is already close
        let sgd = try p.run(from: spectral, optimizer: .scaledGD, options: RunOptions(lr: .constant(0.5), steps: 60, every: 10))
        #expect(try Self.finalRelErr(sgd) < 1e-6)
        let u0 = try Initialization.smallRandom(alpha: 1e-3).make(for: p, rank: 3, rng: &rng)
        let prec = try p.run(from: u0, optimizer: .precGD(lambda: 1e-2), options: RunOptions(lr: .constant(0.02), steps: 800, every: 100))
        #expect(try Self.finalRelErr(prec) < 1e-3)
    }

    @Test func orthogonalInitHasOrthogonalColumns() throws {
        let p = try Self.problem()
        var rng = Xoshiro256(seed: 3)
        let u = try Initialization.orthogonal(alpha: 0.01).make(for: p, rank: 3, rng: &rng)
        let g = try Matrix.gemm(u, u, transposeA: true)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(g[i, j] - (i == j ? 1e-4 : 0)) < 1e-15) } }
    }

    /// From a large initialisation the lower eigenvalues can start above their thresholds while
    /// the top one has not reached its own: rank k is learned only once every eigenvalue above it
    /// is, so the phases stay in order and no plateau is negative.
    @Test func phasesFromALargeInitStayInOrder() throws {
        // λ(Z*) = 10, 1, 0.5: thresholds 5, 0.5, 0.25.
        let trace = try Trace(columns: ["step", "eig1", "eig2", "eig3"],
                              rows: [[0, 1, 0.6, 0.3], [10, 4, 0.4, 0.3], [20, 6, 0.45, 0.2], [30, 6, 0.7, 0.3]])
        let phases = Phase.detect(in: trace, columns: TraceColumn.eigenvalue, thresholds: [5, 0.5, 0.25])
        #expect(phases.map(\.step) == [20, 30, 30], "eig2 and eig3 start above their thresholds, eig1 is reached at 20")
        #expect(phases.map(\.plateau) == [20, 10, 0])
    }

    /// d = 10, r* = 3, eigenvalues 1, 0.3, 0.1 (well separated), α = 1e-6: the eigenvalues of UUᵀ
    /// are learned one at a time.
    @Test func phasesAreDetectedInOrder() throws {
        let p = try Self.problem(d: 10, m: 600, eigenvalues: [1, 0.3, 0.1], seed: 5)
        var rng = Xoshiro256(seed: 4)
        let u0 = try Initialization.smallRandom(alpha: 1e-6).make(for: p, rank: 4, rng: &rng)
        let run = try p.run(from: u0, options: RunOptions(lr: .constant(0.2), steps: 4000, every: 10))
        #expect(run.phases.count == 3)
        let steps = run.phases.compactMap(\.step)
        #expect(steps.count == 3 && steps == steps.sorted() && Set(steps).count == 3, "\(run.phases)")
        #expect(run.phases.allSatisfy { ($0.plateau ?? 0) > 0 })
        #expect(run.phases[1].plateau == steps[1] - steps[0])
        // Each phase step is the first row where eig_k crosses λₖ/2.
        for phase in run.phases {
            let eig = try run.trace.column("eig\(phase.k)")
            let stepCol = try run.trace.column("step")
            let first = try #require(eig.firstIndex { $0 >= phase.threshold })
            #expect(Int(stepCol[first]) == phase.step)
            if first > 0 { #expect(eig[first - 1] < phase.threshold) }
        }
    }

    @Test func glrlGrowsRankAndFits() throws {
        let p = try Self.problem(d: 10, m: 600, eigenvalues: [1, 0.5, 0.25], seed: 6)
        var rows: [TraceRow] = []
        let run = try p.runGLRL(options: GLRLOptions(
            lr: .constant(0.2), maxRank: 3, epsilon: 1e-3, stageSteps: 3000, stageTolerance: 1e-7,
            every: 50, onRow: { rows.append($0) }))
        #expect(try Self.finalRelErr(run) < 1e-4)
        let ranks = try run.trace.column("rank")
        #expect(ranks == ranks.sorted() && ranks.first == 1 && ranks.last == 3)
        #expect(run.u.cols == 3 && run.stopReason == .converged)
        #expect(rows.map(\.values) == run.trace.rows)
        #expect(run.phases.compactMap(\.step).count == 3)
    }

    @Test func glrlStopsWhenNoDescentDirectionRemains() throws {
        // Full observation of a rank-1 truth: after stage 1 the residual has no negative direction.
        let truth = try Support.truth(d: 5, eigenvalues: [1])
        var rng = Xoshiro256(seed: 1)
        let p = try SensingProblem(truth: truth, measurements: FullObservationOperator(d: 5), rng: &rng)
        let run = try p.runGLRL(options: GLRLOptions(lr: .constant(0.3), maxRank: 4, stageSteps: 2000, stageTolerance: 1e-12))
        #expect(run.u.cols <= 2 && run.stopReason == .converged, "rank \(run.u.cols), \(run.trace.csv)")
        #expect(try Self.finalRelErr(run) < 1e-6)
    }

    @Test func scheduleFormulas() throws {
        #expect(try Schedule.constant(0.1).rate(at: 7) == 0.1)
        #expect(try Schedule.stepDecay(initial: 1, factor: 0.5, every: 10).rate(at: 25) == 0.25)
        let cos = Schedule.cosine(initial: 1, final: 0.1, steps: 100)
        #expect(try cos.rate(at: 0) == 1)
        #expect(abs(try cos.rate(at: 50) - 0.55) < 1e-15)
        #expect(abs(try cos.rate(at: 500) - 0.1) < 1e-15)
        let warm = Schedule.warmup(steps: 4, then: .constant(0.8))
        #expect(try [0, 1, 3, 4, 9].map { try warm.rate(at: $0) } == [0.2, 0.4, 0.8, 0.8, 0.8])
        #expect(try Schedule.custom { 1 / Double($0 + 1) }.rate(at: 3) == 0.25)
        #expect { try Schedule.custom { _ in .nan }.rate(at: 2) } throws: {
            "\($0)" == "the step size at step 2 is nan; it must be a finite number > 0"
        }
        #expect { try Schedule.stepDecay(initial: 1, factor: 0.5, every: 0).rate(at: 2) } throws: {
            "\($0)" == "step decay needs every ≥ 1, not 0"
        }
        // A step before the first is no step: refused, not extrapolated.
        for schedule in [Schedule.constant(0.1), cos, warm, .stepDecay(initial: 1, factor: 0.5, every: 10)] {
            #expect { try schedule.rate(at: -1) } throws: { "\($0)" == "a schedule's step is a number ≥ 0, not -1" }
        }
    }

    @Test func stoppingRulesAndCallbacks() throws {
        let p = try Self.problem()
        var rng = Xoshiro256(seed: 9)
        let u0 = try Initialization.smallRandom(alpha: 1e-3).make(for: p, rank: 2, rng: &rng)
        var polls = 0
        let cancelled = try p.run(from: u0, options: RunOptions(
            lr: .constant(0.2), steps: 1000, every: 100, shouldCancel: { polls += 1; return polls > 5 }))
        #expect(cancelled.stopReason == .cancelled && cancelled.lastStep == 5)
        #expect(try cancelled.trace.column("step") == [0, 5])
        let tol = try p.run(from: u0, options: RunOptions(lr: .constant(0.2), steps: 5000, every: 1000, tolerance: 1e-6))
        #expect(tol.stopReason == .tolerance)
        #expect(try #require(try tol.trace.column("loss").last) <= 1e-6)
        #expect(try #require(try tol.trace.column("loss").dropLast().last) > 1e-6)
        var seen = 0
        let pred = try p.run(from: u0, options: RunOptions(
            lr: .constant(0.2), steps: 5000, every: 10, stopWhen: { $0.relErr < 0.5 }, onRow: { _ in seen += 1 }))
        #expect(pred.stopReason == .predicate && seen == pred.trace.count)
        #expect(try #require(try pred.trace.column("rel_err").last) < 0.5)
    }
}
