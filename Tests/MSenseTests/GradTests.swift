import Testing
@testable import MSense

/// `grad` refuses what it cannot differentiate with a located message and a hint.
@Suite("grad errors")
struct GradTests {
    /// The rendered failure of `source`, or nil if it ran.
    private func failure(_ source: String) -> String? {
        runScript(source).failure.map { "\($0)" }
    }

    @Test func whatCannotBeDifferentiated() {
        #expect(failure("grad(fn(X) => sum(X % 2), matrix([[1, 2]]))")?.contains("'%' cannot be differentiated") == true)
        #expect(failure("grad(fn(X) => sum(2 ^ X), matrix([[1, 2]]))")?.contains("'^' needs a constant number as its exponent") == true)
        #expect(failure("grad(fn(X) => sum(X @ 2), matrix([[1, 2]]))")?.contains("'@' needs two matrices") == true)
        #expect(failure("grad(fn(X) => sum(X / (X - X)), matrix([[1, 2]]))")?.contains("division by zero") == true)
        #expect(failure("grad(fn(X) => sum(X + matrix([[1, 2, 3]])), matrix([[1, 2]]))")?
            .contains("cannot apply '+' to matrices of shapes 1×2 and 1×3") == true)
        #expect(failure("grad(fn(X) => sum(sqrt(X)), matrix([[-1, 2]]))")?.contains("square root of a negative number (-1)") == true)
        #expect(failure("grad(fn(X) => spectral_norm(X), matrix([[1, 2]]))")?.contains("must be a matrix, got traced") == true)
        #expect(failure("grad(fn(x) => max(x, 0), 1)")?.contains("max(…) of traced values cannot be differentiated") == true)
        #expect(failure("grad(fn(x) => max(x, 0), 1)")?.contains("maximum(a, b) is the elementwise maximum") == true)
        #expect(failure("grad(fn(x) => clip(x, x, 2), 1)")?.contains("clip: argument 'lo' must be a number, got traced") == true)
        #expect(failure("grad(fn(x) => clip(x, 2, 1), 1)")?.contains("clip: needs lo ≤ hi, but lo = 2 and hi = 1") == true)
        #expect(failure("grad(fn(X) => sum(mean(X, axis: 0)), matrix([[1, 2]]))")?.contains("axis: cannot be differentiated") == true)
        #expect(failure("grad(fn(X) => sum(maximum(X, matrix([[1, 2, 3]]))), matrix([[1, 2]]))")?
            .contains("cannot apply 'maximum' to matrices of shapes 1×2 and 1×3") == true)
        #expect(failure("let A = iid_gaussian(m: 5, d1: 2, d2: 2)\ngrad(fn(M) => sum(A.measure(M)), eye(2))")?
            .contains("write measure(A, Z)") == true)
    }

    @Test func pointsAndResults() {
        #expect(failure("grad(fn(X) => 1, \"x\")")?.contains("point 1 must be a number or a matrix, got string") == true)
        #expect(failure("grad(fn(X) => \"no\", 1)")?.contains("f must return a number") == true)
        #expect(failure("grad(fn(X, Y) => 1, [1])")?.contains("argument") == true)
        #expect(failure("grad(fn(X) => grad(fn(Y) => sum(X * Y), 1), 1)")?.contains("cannot be used inside another") == true)
        #expect(failure("trace(1, 2)") != nil)
    }

    /// A tape's refusal reaches the script through the builtin-call bridge with the builtin's name.
    @Test func tapeErrorsAreExplained() {
        #expect(failure("grad(fn(X) => trace(X), matrix([[1, 2]]))")?.contains("trace: the trace needs a square matrix, not 1×2") == true)
        #expect(failure("grad(fn(X) => trace(X), matrix([[1, 2]]))")?.contains("shape(X) shows a value's shape") == true)
    }

    /// `measure` differentiates through the ensemble: ∇_Z Σᵢ wᵢ⟨Sᵢ, Z⟩ = Σᵢ wᵢSᵢ = m·𝒜*(w).
    @Test func measureAdjoint() {
        let run = runScript("""
            seed(1)
            let A = gaussian(m: 30, d: 4)
            let w = measure(A, eye(4))
            let g = grad(fn(Z) => inner(measure(A, Z), w), eye(4))
            let direct = 0 * eye(4)
            for i in 0..4 { for j in 0..4 {
                let E = 0 * eye(4)
                E[i, j] = 1
                direct[i, j] = inner(measure(A, E), w)
            } }
            print(norm(g - direct) <= 1e-12 * norm(direct))
            """)
        #expect(run.failure == nil)
        #expect(run.output == "true\n")
    }
}
