import Testing
@testable import Autodiff
import Tensor

/// Whole sensing objectives recorded on a tape against their hand-derived gradients.
@Suite("Sensing objectives against hand-derived gradients")
struct CompositeGradientTests {
    /// f(F, G) = (1/m) Σᵢ h_δ(⟨Aᵢ, FGᵀ⟩ − yᵢ), with the Huber function written from tape
    /// operations as h_δ(r) = c·r − c²/2, c = clip(r, −δ, δ); the hand gradient is ∇_F = S G,
    /// ∇_G = Sᵀ F with S = (1/m) Σᵢ clip(rᵢ, −δ, δ) Aᵢ.
    @Test func huberAsymmetricSensing() throws {
        var rng = Xoshiro256(seed: 21)
        let (d1, d2, r, m, delta) = (6, 5, 2, 40, 1.0)
        let matrices = try (0..<m).map { _ in try normal(d1, d2, &rng) }
        let stack = try DenseMeasurementStack(matrices)
        let truth = 0.1 * (try normal(d1, r, &rng).matmul(try normal(d2, r, &rng).transposed))
        var y = try stack.measurements(of: truth)
        for i in stride(from: 0, to: m, by: 7) { y[i] += 10 }  // outliers
        let f0 = 0.3 * (try normal(d1, r, &rng))
        let g0 = 0.3 * (try normal(d2, r, &rng))

        let (loss, gradients) = try Tape.valueAndGradients(at: [f0, g0]) { (t, v) throws(AutodiffError) in
            let model = try t.matmul(v[0], try t.transpose(v[1]))
            let residual = try t.subtract(try t.measure(stack, model), t.variable(Matrix(column: y)))
            let c = try t.clip(residual, lower: -delta, upper: delta)
            let huber = try t.subtract(try t.hadamard(c, residual), try t.scale(try t.hadamard(c, c), by: 0.5))
            return try t.mean(huber)
        }

        let residuals = zip(try stack.measurements(of: try f0.matmul(g0.transposed)), y).map { $0 - $1 }
        let outside = residuals.filter { Swift.abs($0) > delta }.count
        #expect(outside > 0 && outside < m)  // both branches of h_δ are exercised
        let handLoss = residuals.map { Swift.abs($0) <= delta ? $0 * $0 / 2 : delta * (Swift.abs($0) - delta / 2) }
            .reduce(0, +) / Double(m)
        var s = try Matrix.zeros(rows: d1, cols: d2)
        for (a, residual) in zip(matrices, residuals) {
            try s.add(a, scaledBy: min(max(residual, -delta), delta) / Double(m))
        }
        #expect(Swift.abs(loss - handLoss) <= 1e-14 * handLoss)
        #expect(try relativeDifference(gradients[0], try s.matmul(g0)) <= 1e-12)
        #expect(try relativeDifference(gradients[1], try s.transposed.matmul(f0)) <= 1e-12)
    }

    /// f(W₁, W₂, W₃) = 1/(2m) Σᵢ (⟨Aᵢ, W₃W₂W₁⟩ − yᵢ)²; the hand gradient is
    /// ∇_{W_j} = (W₃⋯W_{j+1})ᵀ S (W_{j−1}⋯W₁)ᵀ with S = (1/m) Σᵢ rᵢ Aᵢ.
    @Test func depthThreeProduct() throws {
        var rng = Xoshiro256(seed: 22)
        let (d1, d2, width, m) = (5, 4, 3, 30)
        let matrices = try (0..<m).map { _ in try normal(d1, d2, &rng) }
        let stack = try DenseMeasurementStack(matrices)
        let y = try stack.measurements(of: try normal(d1, d2, &rng))
        let w1 = try normal(width, d2, &rng), w2 = try normal(width, width, &rng), w3 = try normal(d1, width, &rng)

        let (loss, gradients) = try Tape.valueAndGradients(at: [w1, w2, w3]) { (t, v) throws(AutodiffError) in
            let product = try t.matmul(try t.matmul(v[2], v[1]), v[0])
            let residual = try t.subtract(try t.measure(stack, product), t.variable(Matrix(column: y)))
            return try t.scale(try t.squaredNorm(residual), by: 1 / (2 * Double(m)))
        }

        let residuals = zip(try stack.measurements(of: try w3.matmul(w2).matmul(w1)), y).map { $0 - $1 }
        var s = try Matrix.zeros(rows: d1, cols: d2)
        for (a, residual) in zip(matrices, residuals) { try s.add(a, scaledBy: residual / Double(m)) }
        let handLoss = residuals.reduce(0) { $0 + $1 * $1 } / (2 * Double(m))
        let hand = [
            try w3.matmul(w2).transposed.matmul(s),
            try w3.transposed.matmul(s).matmul(w1.transposed),
            try s.matmul(try w2.matmul(w1).transposed),
        ]
        #expect(Swift.abs(loss - handLoss) <= 1e-14 * handLoss)
        for (computed, expected) in zip(gradients, hand) {
            #expect(try relativeDifference(computed, expected) <= 1e-12)
        }
    }

    /// The finite-difference check itself can fail: a node recorded with a wrong pullback
    /// (twice the true adjoint) is caught.
    @Test func finiteDifferenceCheckCatchesAWrongPullback() throws {
        var rng = Xoshiro256(seed: 23)
        let x = try normal(2, 3, &rng)
        let deviation = try finiteDifferenceDeviation(at: [x]) { t, v in
            let value = try t.value(v[0]).mapElements { 3 * $0 }
            return t.record(value, inputs: [v[0]]) { g, _ in [g.mapElements { 6 * $0 }] }
        }
        #expect(deviation > 0.5)
    }
}
