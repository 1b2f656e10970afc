import Testing
@testable import Sensing
import Tensor

/// The factor models and d₁×d₂ ensembles: gradients against finite differences, adjoints,
/// normalisation, the fused kernel, initialisations, problem operations and runs.
@Suite("Factor models and d₁×d₂ ensembles")
struct FactorModelTests {
    static func normal(_ rows: Int, _ cols: Int, _ rng: inout Xoshiro256, scale: Double = 1) throws -> Matrix {
        scale * (try rng.normalMatrix(rows: rows, cols: cols))
    }

    /// Every kind of ensemble on 5×4 matrices.
    static func ensembles(m: Int = 40) throws -> [any MatrixEnsemble] {
        var rng = Xoshiro256(seed: 11)
        return [
            try DenseMatrixEnsemble.gaussian(m: m, rows: 5, cols: 4, rng: &rng),
            try RankOnePairEnsemble(m: m, rows: 5, cols: 4, rng: &rng),
            try EntryEnsemble.completion(m: m, rows: 5, cols: 4, rng: &rng),
            try EntryEnsemble.completionWithoutReplacement(m: 15, rows: 5, cols: 4, rng: &rng),
            try EntryEnsemble.bernoulli(p: 0.5, rows: 5, cols: 4, rng: &rng),
            try EntryEnsemble.full(rows: 5, cols: 4),
            try EntryEnsemble.given([(0, 0), (4, 3), (2, 1)], rows: 5, cols: 4),
        ]
    }

    /// The models of 5×4 matrices (the symmetric one is 5×5, with its own ensemble).
    static func models(_ rng: inout Xoshiro256) throws -> [FactorModel] {
        [
            try FactorModel.asymmetric(f: normal(5, 3, &rng), g: normal(4, 3, &rng)),
            try FactorModel.deep([normal(5, 4, &rng)]),
            try FactorModel.deep([normal(3, 4, &rng), normal(5, 3, &rng)]),
            try FactorModel.deep([normal(6, 4, &rng), normal(2, 6, &rng), normal(5, 2, &rng)]),
            try FactorModel.adapted(base: normal(5, 4, &rng), b: normal(5, 2, &rng), a: normal(2, 4, &rng)),
        ]
    }

    /// The loss by its definition, measurement by measurement: Σᵢ (⟨Aᵢ, M⟩ − yᵢ)² / (c·m).
    static func plainLoss(_ problem: MatrixProblem, _ model: FactorModel) throws -> Double {
        let m = model.product()
        var sum = 0.0
        for i in 0..<problem.ensemble.m {
            let a = try problem.ensemble.measurementMatrix(i)
            let r = try Matrix.inner(a, m) - problem.y[i]
            sum += r * r
        }
        return sum / (model.lossDenominator * Double(problem.ensemble.m))
    }

    /// Checks `problem.lossAndGradients(model)`: the loss against ``plainLoss`` to 1e-12, and every
    /// factor's gradient against central differences (h = 1e-6) of it, to 1e-6 relative in norm.
    static func expectGradientsMatchFiniteDifferences(_ problem: MatrixProblem, _ model: FactorModel, _ label: String) throws {
        let (loss, grads) = try problem.lossAndGradients(model)
        #expect(abs(loss - (try plainLoss(problem, model))) <= 1e-12 * loss, "\(label)")
        var num = 0.0, den = 0.0
        for (j, factor) in model.factors.enumerated() {
            for k in 0..<factor.count {
                var plus = model.factors, minus = model.factors
                let h = 1e-6
                plus[j].withUnsafeMutableElements { $0[k] += h }
                minus[j].withUnsafeMutableElements { $0[k] -= h }
                let fd = (try plainLoss(problem, model.replacing(plus)) - plainLoss(problem, model.replacing(minus))) / (2 * h)
                let g = grads[j].elements[k]
                num += (g - fd) * (g - fd)
                den += fd * fd
            }
        }
        #expect((num / den).squareRoot() < 1e-6, "\(label)")
    }

    @Test("gradients of every model match central finite differences of the plain-sum loss", arguments: 0..<3)
    func gradientsMatchFiniteDifferences(ensembleIndex: Int) throws {
        var rng = Xoshiro256(seed: 5)
        let ensemble = try Self.ensembles()[ensembleIndex]
        let truth = try MatrixTruth(singularValues: [1, 0.5], rows: 5, cols: 4, rng: &rng)
        let problem = try MatrixProblem(truth: truth, ensemble: ensemble, noise: 0.1, rng: &rng)
        for model in try Self.models(&rng) {
            try Self.expectGradientsMatchFiniteDifferences(problem, model, "\(model.kind) on \(ensemble.name)")
        }
    }

    @Test("the symmetric model's gradient is ½(S + Sᵀ)U against finite differences of 1/(4m) Σ rᵢ²")
    func symmetricGradient() throws {
        var rng = Xoshiro256(seed: 6)
        let truth = try MatrixTruth(eigenvalues: [1, -0.5], d: 5, rng: &rng)
        let problem = try MatrixProblem(truth: truth, ensemble: DenseMatrixEnsemble.gaussian(m: 30, rows: 5, cols: 5, rng: &rng), rng: &rng)
        let model = try FactorModel.symmetric(Self.normal(5, 2, &rng))
        let (_, grads) = try problem.lossAndGradients(model)
        let h = 1e-6
        for k in 0..<10 {
            var plus = model.factors, minus = model.factors
            plus[0].withUnsafeMutableElements { $0[k] += h }
            minus[0].withUnsafeMutableElements { $0[k] -= h }
            let fd = (try Self.plainLoss(problem, model.replacing(plus)) - Self.plainLoss(problem, model.replacing(minus))) / (2 * h)
            #expect(abs(grads[0].elements[k] - fd) <= 1e-6 * max(1, abs(fd)))
        }
    }

    @Test("adjoint: ⟨𝒜(M), w⟩ / m = ⟨M, 𝒜*(w)⟩, and the measurement matrices agree with apply")
    func adjointIdentity() throws {
        var rng = Xoshiro256(seed: 7)
        for ensemble in try Self.ensembles() {
            let x = try Self.normal(5, 4, &rng)
            let w = (0..<ensemble.m).map { _ in rng.nextNormal() }
            let lhs = zip(try ensemble.apply(x), w).reduce(0) { $0 + $1.0 * $1.1 } / Double(ensemble.m)
            let rhs = try Matrix.inner(x, ensemble.adjoint(w))
            #expect(abs(lhs - rhs) <= 1e-12 * max(1, abs(lhs)), "\(ensemble.name)")
            let applied = try ensemble.apply(x)
            for i in [0, ensemble.m - 1] {
                #expect(abs(applied[i] - (try Matrix.inner(ensemble.measurementMatrix(i), x))) <= 1e-12 * max(1, abs(applied[i])))
            }
        }
    }

    @Test("the dense fused pass over several blocks equals apply then adjoint")
    func fusedDenseKernel() throws {
        var rng = Xoshiro256(seed: 8)
        let ensemble = try DenseMatrixEnsemble.gaussian(m: 301, rows: 30, cols: 20, rng: &rng)  // 54 rows a block
        let x = try Self.normal(30, 20, &rng)
        let y = (0..<301).map { _ in rng.nextNormal() }
        var r: [Double] = []
        var s = try Matrix(rows: 1, cols: 1)
        let sum = ensemble.residualsAndAdjoint(x, y, residuals: &r, adjoint: &s)
        let direct = zip(try ensemble.apply(x), y).map { $0 - $1 }
        #expect(zip(r, direct).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        #expect(abs(sum - direct.reduce(0) { $0 + $1 * $1 }) <= 1e-10 * sum)
        #expect(frobeniusDistance(s, try ensemble.adjoint(direct)) <= 1e-12 * s.frobeniusNorm)
    }

    @Test("E⟨Aᵢ, M⟩² = ‖M‖²_F for the random ensembles (mean of 20 000 draws within 3%), exactly for full observation")
    func normalisation() throws {
        var rng = Xoshiro256(seed: 9)
        let x = try Self.normal(5, 4, &rng)
        let norm2 = try Matrix.inner(x, x)
        let random: [any MatrixEnsemble] = [
            try DenseMatrixEnsemble.gaussian(m: 20_000, rows: 5, cols: 4, rng: &rng),
            try RankOnePairEnsemble(m: 20_000, rows: 5, cols: 4, rng: &rng),
            try EntryEnsemble.completion(m: 20_000, rows: 5, cols: 4, rng: &rng),
        ]
        for ensemble in random {
            let mean = try ensemble.apply(x).reduce(0) { $0 + $1 * $1 } / Double(ensemble.m)
            #expect(abs(mean / norm2 - 1) < 0.03, "\(ensemble.name): \(mean / norm2)")
        }
        let full = try EntryEnsemble.full(rows: 5, cols: 4)
        #expect(abs(try full.apply(x).reduce(0) { $0 + $1 * $1 } / 20 - norm2) <= 1e-12 * norm2)
    }

    @Test("entry sampling: distinct without replacement, Bernoulli(1) keeps every entry, given entries are checked")
    func entrySampling() throws {
        var rng = Xoshiro256(seed: 10)
        let distinct = try EntryEnsemble.completionWithoutReplacement(m: 20, rows: 5, cols: 4, rng: &rng)
        #expect(Set(distinct.entries).count == 20)
        #expect(try EntryEnsemble.bernoulli(p: 1, rows: 3, cols: 3, rng: &rng).entries == Array(0..<9))
        #expect(throws: SensingError.self) { try EntryEnsemble.bernoulli(p: 0, rows: 3, cols: 3, rng: &rng) }
        #expect(throws: SensingError.self) { try EntryEnsemble.given([(0, 4)], rows: 3, cols: 4) }
        #expect(throws: SensingError.self) { try EntryEnsemble.completionWithoutReplacement(m: 13, rows: 3, cols: 4, rng: &rng) }
    }

    @Test("truths: singular values exactly as asked; indefinite eigenvalues keep their signs")
    func truths() throws {
        var rng = Xoshiro256(seed: 12)
        let rect = try MatrixTruth(singularValues: [2, 1, 0.25], rows: 7, cols: 4, rng: &rng)
        #expect(rect.rank == 3)
        #expect(zip(rect.singularValues, [2, 1, 0.25, 0]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(frobeniusDistance(try rect.bestRankK(3), rect.matrix) < 1e-12)
        let sym = try MatrixTruth(eigenvalues: [1, -0.5], d: 4, rng: &rng)
        #expect(sym.matrix.isSymmetric(tolerance: 0))
        let eig = try SymmetricEigen(sym.matrix).values
        #expect(abs(eig.first! - 1) < 1e-12 && abs(eig.last! + 0.5) < 1e-12)
    }

    @Test("balanced initialisations are balanced; deep identity and orthogonal have the stated shapes")
    func initialisations() throws {
        var rng = Xoshiro256(seed: 13)
        let asym = try ModelInitialization.balancedAsymmetric(rows: 6, cols: 4, rank: 3, alpha: 0.1, rng: &rng)
        #expect(asym.modelTerms()[0] < 1e-14)
        let deep = try ModelInitialization.deep(rows: 6, cols: 4, depth: 4, width: 5, kind: .balanced, alpha: 0.5, rng: &rng)
        #expect(deep.factors.map(\.shape) == [[5, 4], [5, 5], [5, 5], [6, 5]])
        #expect(deep.modelTerms().prefix(3).allSatisfy { $0 < 1e-12 })
        let identity = try ModelInitialization.deep(rows: 3, cols: 2, depth: 2, width: 4, kind: .identity, alpha: 2, rng: &rng)
        #expect(identity.product().elements == [4, 0, 0, 4, 0, 0])
        let orthogonal = try ModelInitialization.deep(rows: 3, cols: 3, depth: 2, width: 3, kind: .orthogonal, alpha: 1, rng: &rng)
        let q = orthogonal.factors[0]
        #expect(frobeniusDistance(Matrix.gemmUnchecked(q, q, transposeA: true), try Matrix.identity(3)) < 1e-12)
        #expect(throws: SensingError.self) {
            try ModelInitialization.deep(rows: 3, cols: 3, depth: 0, width: 3, kind: .small, alpha: 1, rng: &rng)
        }
    }

    @Test("spectral FGᵀ from full observation is the truth's best rank-r approximation")
    func spectral() throws {
        var rng = Xoshiro256(seed: 14)
        let truth = try MatrixTruth(singularValues: [1, 0.5, 0.1], rows: 6, cols: 5, rng: &rng)
        let problem = try MatrixProblem(truth: truth, ensemble: EntryEnsemble.full(rows: 6, cols: 5), rng: &rng)
        let model = try ModelInitialization.spectralAsymmetric(problem, rank: 2)
        #expect(frobeniusDistance(model.product(), try truth.bestRankK(2)) < 1e-12)
    }

    @Test("outliers, subsets and splits keep measurements and their y together")
    func problemOperations() throws {
        var rng = Xoshiro256(seed: 15)
        let truth = try MatrixTruth(singularValues: [1], rows: 4, cols: 3, rng: &rng)
        let problem = try MatrixProblem(truth: truth, ensemble: DenseMatrixEnsemble.gaussian(m: 50, rows: 4, cols: 3, rng: &rng), rng: &rng)
        let corrupted = try problem.withOutliers(fraction: 0.1, scale: 10, rng: &rng)
        #expect(corrupted.outliers.count == 5)
        let big = 10 * problem.y.map(abs).max()!
        for i in 0..<50 {
            let shift = abs(corrupted.y[i] - problem.y[i])
            #expect(corrupted.outliers.contains(i) ? abs(shift - big) < 1e-12 * big : shift == 0)
        }
        let (train, test) = try corrupted.split(test: 10, rng: &rng)
        #expect(train.ensemble.m == 40 && test.ensemble.m == 10)
        #expect(train.outliers.count + test.outliers.count == 5)
        for part in [train, test] {
            let measured = try part.ensemble.apply(truth.matrix)
            for i in 0..<part.ensemble.m where !part.outliers.contains(i) {
                #expect(abs(measured[i] - part.y[i]) < 1e-12)
            }
        }
        #expect(throws: SensingError.self) { try problem.split(test: 50, rng: &rng) }
        #expect(throws: SensingError.self) { try problem.subset([50]) }
    }

    @Test("runs: GD on FGᵀ and W₃W₂W₁ and ScaledGD/PrecGD on FGᵀ reach the truth; ScaledGD refuses the deep model")
    func runs() throws {
        var rng = Xoshiro256(seed: 16)
        let truth = try MatrixTruth(singularValues: [1, 0.5], rows: 8, cols: 6, rng: &rng)
        let problem = try MatrixProblem(truth: truth, ensemble: DenseMatrixEnsemble.gaussian(m: 300, rows: 8, cols: 6, rng: &rng), rng: &rng)
        let asym = try FactorModel.asymmetric(f: Self.normal(8, 2, &rng, scale: 1e-3), g: Self.normal(6, 2, &rng, scale: 1e-3))
        let gd = try problem.run(from: asym, options: ModelRunOptions(lr: .constant(0.2), steps: 600, every: 50))
        #expect(try gd.trace.column("rel_err").last! < 1e-6)
        #expect(gd.phases.count == 2 && gd.phases.allSatisfy { $0.step != nil })
        for optimizer in [Optimizer.scaledGD, .precGD(lambda: 1e-8), .momentum(beta: 0.5)] {
            let run = try problem.run(from: asym, optimizer: optimizer, options: ModelRunOptions(lr: .constant(optimizer == .momentum(beta: 0.5) ? 0.1 : 0.5), steps: 400, every: 400))
            #expect(try run.trace.column("rel_err").last! < 1e-6, "\(optimizer)")
        }
        let deep = try ModelInitialization.deep(rows: 8, cols: 6, depth: 3, width: 2, kind: .small, alpha: 0.3, rng: &rng)
        let deepRun = try problem.run(from: deep, options: ModelRunOptions(lr: .constant(0.2), steps: 1500, every: 1500))
        #expect(try deepRun.trace.column("rel_err").last! < 1e-4)
        #expect(throws: SensingError.self) { try problem.run(from: deep, optimizer: .scaledGD, options: ModelRunOptions(lr: .constant(0.1), steps: 1)) }
    }

    @Test("the Gram route gives the rows kernel's trace to rounding, in every column, and stops where the rows do")
    func gramRoute() throws {
        var rng = Xoshiro256(seed: 17)
        let truth = try MatrixTruth(singularValues: [1, 0.5], rows: 6, cols: 5, rng: &rng)
        let problem = try MatrixProblem(truth: truth, ensemble: DenseMatrixEnsemble.gaussian(m: 200, rows: 6, cols: 5, rng: &rng), noise: 0.01, rng: &rng)
        let model = try FactorModel.asymmetric(f: Self.normal(6, 3, &rng, scale: 1e-2), g: Self.normal(5, 3, &rng, scale: 1e-2))
        func run(_ kernel: StepKernel, tolerance: Double?) throws -> ModelRunResult {
            var options = ModelRunOptions(lr: .constant(0.2), steps: 400, every: 37, tolerance: tolerance)
            options.kernel = kernel
            return try problem.run(from: model, options: options)
        }
        // The loss falls to about 4.6e-5 (the noise); 1e-3 is crossed on an unrecorded step.
        for tolerance in [nil, 1e-3] as [Double?] {
            let rows = try run(.rows, tolerance: tolerance), gram = try run(.gram, tolerance: tolerance)
            #expect(rows.trace.columns == gram.trace.columns && rows.trace.count == gram.trace.count)
            #expect(rows.lastStep == gram.lastStep && rows.stopReason == gram.stopReason)
            for (a, b) in zip(rows.trace.rows, gram.trace.rows) {
                for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-9 * max(abs(x), 1e-6)) }
            }
            if let tolerance {
                #expect(gram.stopReason == .tolerance && gram.lastStep % 37 != 0, "stopped at \(gram.lastStep)")
                #expect((gram.trace.rows.last?[1] ?? .infinity) <= tolerance)
            }
        }
        let dense = try #require(problem.ensemble as? DenseMatrixEnsemble)
        // The first gram run built G; the ensemble keeps it, and a run from it gives the same bits.
        let kept = try #require(dense.gramCache.built)
        #expect(try run(.gram, tolerance: nil).trace.rows == (try run(.gram, tolerance: nil)).trace.rows)
        #expect(dense.gramCache.built === kept)
        #expect(DenseNormalEquations.pays(ensemble: dense, unrecordedSteps: 60))
        #expect(!DenseNormalEquations.pays(ensemble: dense, unrecordedSteps: 59))
        // p = 30: G's upper triangle (465 numbers) within 4/5 of the m·30 weights from m = 20 on.
        for (m, pays) in [(19, false), (20, true)] {
            let small = try DenseMatrixEnsemble.gaussian(m: m, rows: 6, cols: 5, rng: &rng)
            #expect(DenseNormalEquations.pays(ensemble: small, unrecordedSteps: 1000) == pays, "m = \(m)")
        }
    }

    /// `(1/m) Σᵢ rᵢ² = xᵀ(s − b) + c` from the Gram route's own numbers, within the stated bound of
    /// the rows pass's loss, at iterates from far off to near the truth, and with noisy targets.
    @Test("the Gram route's loss estimate is within its bound of the rows pass's loss")
    func gramLossEstimate() throws {
        var rng = Xoshiro256(seed: 23)
        for (d1, d2, m) in [(6, 5, 200), (20, 20, 300), (12, 9, 1000)] {
            let truth = try MatrixTruth(singularValues: [3, 1, 0.25], rows: d1, cols: d2, rng: &rng)
            let ensemble = try DenseMatrixEnsemble.gaussian(m: m, rows: d1, cols: d2, rng: &rng)
            let problem = try MatrixProblem(truth: truth, ensemble: ensemble, noise: 0.1, rng: &rng)
            let normal = try #require(DenseNormalEquations(ensemble: ensemble, y: problem.y))
            for distance in [10.0, 1, 1e-3, 1e-8] {
                let x = try truth.matrix + distance * Self.normal(d1, d2, &rng)
                var exact = try Matrix(rows: d1, cols: d2), viaGram = try Matrix(rows: d1, cols: d2)
                var residuals: [Double] = []
                let sumSquares = ensemble.residualsAndAdjoint(x, problem.y, residuals: &residuals, adjoint: &exact) / Double(m)
                normal.adjoint(x, into: &viaGram)
                let estimate = normal.lossEstimate(x, adjoint: viaGram)
                #expect(abs(estimate.sumSquares - sumSquares) <= estimate.bound,
                        "\(d1)×\(d2), m = \(m), ‖x − M*‖ ≈ \(distance): \(estimate.sumSquares) vs \(sumSquares), bound \(estimate.bound)")
                #expect(estimate.bound <= 1e-8 * max(sumSquares, 1), "the bound is tight enough to be useful")
                if distance >= 1 {
                    let difference = try (viaGram - exact).frobeniusNorm
                    #expect(difference <= 1e-12 * exact.frobeniusNorm, "S through G differs from the rows pass's by \(difference)")
                }
            }
        }
    }

    /// The trace's singular values of FGᵀ come from the r×r core R_F R_Gᵀ: the SVD of M's values,
    /// within rounding, with zeros past r; other models (and r ≥ min(d₁, d₂)) take the SVD of M.
    @Test("the trace's singular values of FGᵀ from the r×r core equal the SVD of M")
    func lowRankSingularValues() throws {
        var rng = Xoshiro256(seed: 5)
        for (d1, d2, r) in [(60, 60, 3), (7, 9, 2), (5, 4, 4), (3, 8, 5)] {
            let model = try FactorModel.asymmetric(f: Self.normal(d1, r, &rng), g: Self.normal(d2, r, &rng))
            let m = model.product()
            let expected = try SVD.singularValues(of: m)
            let got = try ModelTraceRecorder.singularValues(of: m, model: model)
            #expect(got.count == expected.count)
            let scale = expected.first ?? 1
            for (a, b) in zip(got, expected) { #expect(abs(a - b) <= 1e-13 * scale, "\(d1)×\(d2), r = \(r): \(a) vs \(b)") }
            if r < min(d1, d2) { #expect(got[r...].allSatisfy { $0 == 0 }) }
        }
        let deep = try FactorModel.deep([Self.normal(3, 4, &rng), Self.normal(5, 3, &rng)])
        #expect(try ModelTraceRecorder.singularValues(of: deep.product(), model: deep) == SVD.singularValues(of: deep.product()))
    }
}
