import Testing
@testable import Sensing
import Tensor

/// The rules of the built-in runs beyond the simultaneous updates: alternating GD and AGN on the
/// factor models, the blow-up guard, user metrics and stopping rules that see the state, and a
/// failed model run's partial result.
@Suite("Run rules: alternating GD, AGN, blow-up guard, metrics")
struct RunRulesTests {
    static func normal(_ rows: Int, _ cols: Int, _ rng: inout Xoshiro256, scale: Double = 1) throws -> Matrix {
        scale * (try rng.normalMatrix(rows: rows, cols: cols))
    }

    static func problem(seed: UInt64, rows: Int = 8, cols: Int = 6, m: Int = 300) throws -> MatrixProblem {
        var rng = Xoshiro256(seed: seed)
        let truth = try MatrixTruth(singularValues: [1, 0.5], rows: rows, cols: cols, rng: &rng)
        return try MatrixProblem(truth: truth, ensemble: DenseMatrixEnsemble.gaussian(m: m, rows: rows, cols: cols, rng: &rng), rng: &rng)
    }

    /// The cause and partial run of a run that failed after it started, or `nil` when it did not fail.
    static func failure(_ body: () throws(SensingError) -> Void) -> (cause: SensingError, partial: PartialRun)? {
        do {
            try body()
            return nil
        } catch {
            if case let .interrupted(cause, partial) = error { return (cause.underlying, partial) }
            return (error, PartialRun(step: -1, trace: Trace(columns: []), u: Matrix(column: [])))
        }
    }

    static func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
        zip(a.elements, b.elements).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("the Gauss–Newton step is S X (XᵀX)⁻¹ for a full-column-rank X and the minimum-norm S (XXᵀ)⁻¹ X when r > n")
    func gaussNewtonStep() throws {
        var rng = Xoshiro256(seed: 31)
        let s = try Self.normal(7, 5, &rng)
        let tall = try Self.normal(5, 3, &rng)  // n = 5 > r = 3: XᵀX invertible
        let expectedTall = try s.matmul(tall).matmul(tall.transposed.matmul(tall).inverse())
        #expect(Self.maxDifference(try GaussNewtonStep.direction(s, partner: tall), expectedTall) < 1e-12)
        let wide = try Self.normal(5, 8, &rng)  // r = 8 > n = 5: XᵀX (8×8) has rank 5
        let delta = try GaussNewtonStep.direction(s, partner: wide)
        let minimumNorm = try s.matmul(wide.matmul(wide.transposed).inverse()).matmul(wide)
        #expect(Self.maxDifference(delta, minimumNorm) < 1e-12)
        #expect(Self.maxDifference(try delta.matmul(wide.transposed), s) < 1e-12, "Δ Xᵀ = S is solvable exactly when r > n")
        // Sᵀ (Xᵀ)†, the G step.
        let sT = try Self.normal(5, 7, &rng)
        #expect(Self.maxDifference(try GaussNewtonStep.direction(sT, transposeS: true, partner: tall),
                                   try sT.transposed.matmul(tall).matmul(tall.transposed.matmul(tall).inverse())) < 1e-12)
        // X = 0: no direction.
        let zero = try Matrix(rows: 5, cols: 3)
        #expect(try GaussNewtonStep.direction(s, partner: zero).elements.allSatisfy { $0 == 0 })
    }

    @Test("one AGN step equals F − η S G(GᵀG)⁻¹ then G − η S'ᵀ F⁺(F⁺ᵀF⁺)⁻¹ with S' at (F⁺, G); alternating GD likewise")
    func oneStepByHand() throws {
        let problem = try Self.problem(seed: 32)
        var rng = Xoshiro256(seed: 33)
        let (f, g) = (try Self.normal(8, 2, &rng, scale: 0.3), try Self.normal(6, 2, &rng, scale: 0.3))
        let model = try FactorModel.asymmetric(f: f, g: g)
        let eta = 0.5
        let gradF = try problem.lossAndGradients(model).gradients[0]  // S G
        let f1 = try f - eta * gradF.matmul(g.transposed.matmul(g).inverse())
        let gradG = try problem.lossAndGradients(FactorModel.asymmetric(f: f1, g: g)).gradients[1]
        let g1 = try g - eta * gradG.matmul(f1.transposed.matmul(f1).inverse())
        let agn = try problem.run(from: model, optimizer: .alternatingGaussNewton, options: ModelRunOptions(lr: .constant(eta), steps: 1))
        #expect(Self.maxDifference(agn.model.factors[0], f1) < 1e-12 && Self.maxDifference(agn.model.factors[1], g1) < 1e-12)

        let fa = try f - eta * gradF
        let ga = try g - eta * problem.lossAndGradients(FactorModel.asymmetric(f: fa, g: g)).gradients[1]
        let alt = try problem.run(from: model, optimizer: .alternating, options: ModelRunOptions(lr: .constant(eta), steps: 1))
        #expect(Self.maxDifference(alt.model.factors[0], fa) < 1e-14 && Self.maxDifference(alt.model.factors[1], ga) < 1e-14)
    }

    @Test("alternating rules are refused where they are not defined")
    func refusals() throws {
        let problem = try Self.problem(seed: 34)
        var rng = Xoshiro256(seed: 35)
        let deep = try FactorModel.deep([Self.normal(4, 6, &rng), Self.normal(8, 4, &rng)])
        let one = try FactorModel.deep([Self.normal(8, 6, &rng)])
        let options = ModelRunOptions(lr: .constant(0.1), steps: 1)
        #expect(throws: SensingError.self) { try problem.run(from: deep, optimizer: .alternatingGaussNewton, options: options) }
        #expect(throws: SensingError.self) { try problem.run(from: one, optimizer: .alternating, options: options) }
        _ = try problem.run(from: deep, optimizer: .alternating, options: options)
        var srng = Xoshiro256(seed: 36)
        let truth = try GroundTruth(eigenvalues: [1], d: 5, rng: &srng)
        let sym = try SensingProblem(truth: truth, measurements: PackedSymmetricOperator.gaussian(m: 50, d: 5, rng: &srng), rng: &srng)
        #expect(throws: SensingError.self) {
            try sym.run(from: Self.normal(5, 1, &srng), optimizer: .alternating, options: RunOptions(lr: .constant(0.1), steps: 1))
        }
    }

    @Test("the blow-up guard stops a growing run at the first step above c·max(f₀, f(0)), with its partial trace; off, the run goes on")
    func blowupGuard() throws {
        let problem = try Self.problem(seed: 37)
        var rng = Xoshiro256(seed: 38)
        let model = try FactorModel.asymmetric(f: Self.normal(8, 2, &rng, scale: 0.5), g: Self.normal(6, 2, &rng, scale: 0.5))
        var options = ModelRunOptions(lr: .constant(1), steps: 100)
        options.blowup = 1e3
        let failure = Self.failure { () throws(SensingError) in _ = try problem.run(from: model, options: options) }
        let (cause, partial) = try #require(failure)
        guard case let .blewUp(step, loss, multiple, reference) = cause else { Issue.record("\(cause)"); return }
        let losses = try partial.trace.column("loss")
        #expect(partial.step == step && losses.count == step && multiple == 1e3)
        #expect(reference == max(losses[0], problem.y.reduce(0) { $0 + $1 * $1 } / (2 * Double(problem.y.count))))
        #expect(losses.allSatisfy { $0 <= 1e3 * reference } && loss > 1e3 * reference)
        let last = try #require(partial.model)
        #expect(abs(try problem.lossAndGradients(last).loss - loss) <= 1e-12 * loss, "the partial model is the iterate that blew up")
        options.blowup = nil
        options.steps = 2
        _ = try problem.run(from: model, options: options)
        options.blowup = 1
        #expect(throws: SensingError.self) { try problem.run(from: model, options: options) }
    }

    @Test("the symmetric guard catches ScaledGD from α = 1e-6 on completion, which otherwise ends at its budget far from Z*")
    func symmetricBlowup() throws {
        var rng = Xoshiro256(seed: 1)
        // The draws of Tests/Scripts/sensing/blowup.msense: truth, three draws it skips, the ensemble, U₀.
        let truth = try GroundTruth(eigenvalues: [1, 0.8, 0.6, 0.4, 0.2], d: 20, rng: &rng)
        _ = try RankOneOperator(m: 1000, d: 20, rng: &rng)
        _ = try Initialization.smallRandom(alpha: 1e-6).make(d: 20, rank: 5, rng: &rng)
        _ = try Initialization.smallRandom(alpha: 1e-6).make(d: 20, rank: 20, rng: &rng)
        let problem = try SensingProblem(truth: truth, measurements: CompletionOperator(m: 1000, d: 20, rng: &rng), rng: &rng)
        let u0 = try Initialization.smallRandom(alpha: 1e-6).make(d: 20, rank: 5, rng: &rng)
        var options = RunOptions(lr: .constant(0.1), steps: 2000, every: 500)
        let unguarded = try problem.run(from: u0, optimizer: .scaledGD, options: options)
        let finalError = try unguarded.trace.column("rel_err").last ?? 0
        #expect(unguarded.stopReason == .budget && finalError > 1e3)
        options.blowup = 1e6
        let failure = Self.failure { () throws(SensingError) in _ = try problem.run(from: u0, optimizer: .scaledGD, options: options) }
        let cause = try #require(failure).cause
        guard case let .blewUp(step, loss, _, reference) = cause else { Issue.record("\(cause)"); return }
        #expect(step >= 1 && loss > 1e6 * reference)
    }

    @Test("metrics see the factors and gradients at recorded steps and become columns; stop sees them too")
    func watch() throws {
        let problem = try Self.problem(seed: 39)
        var rng = Xoshiro256(seed: 40)
        let model = try FactorModel.asymmetric(f: Self.normal(8, 2, &rng, scale: 1e-3), g: Self.normal(6, 2, &rng, scale: 1e-3))
        var options = ModelRunOptions(lr: .constant(0.2), steps: 600, every: 10)
        var calls = 0
        options.watch = RunWatch(metricNames: ["fnorm", "gradf"], metrics: { state in
            calls += 1
            return [state.factors[0].frobeniusNorm, state.gradients[0].frobeniusNorm]
        }, stop: { state in state.step >= 50 && state.values[state.columns.firstIndex(of: "fnorm")!] > 0 })
        let run = try problem.run(from: model, options: options)
        #expect(run.trace.columns.suffix(3) == ["grad_norm", "fnorm", "gradf"])
        #expect(run.stopReason == .predicate && run.lastStep == 50 && calls == 6)
        #expect(try run.trace.column("fnorm").last! == run.model.factors[0].frobeniusNorm)
        options.watch = RunWatch(metricNames: ["loss"], metrics: { _ in [0] }, stop: { _ in false })
        #expect(throws: SensingError.self) { try problem.run(from: model, options: options) }
    }
}
