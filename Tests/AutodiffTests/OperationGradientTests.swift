import Testing
import Autodiff
import Tensor

/// Every operation's pullback against central finite differences, at points away from kinks.
@Suite("Operation gradients against finite differences")
struct OperationGradientTests {
    let a: Matrix
    let b: Matrix
    let positive: Matrix
    let scalar = Matrix(column: [0.7])

    init() throws {
        var rng = Xoshiro256(seed: 11)
        a = try normal(3, 4, &rng)
        b = try normal(3, 4, &rng)
        positive = try normal(3, 4, &rng).mapElements { 0.5 + Swift.abs($0) }
    }

    /// Fails when the pullback deviates from central differences by more than 10⁻⁶.
    private func check(_ inputs: [Matrix], _ operation: (Tape, [Variable]) throws -> Variable) throws {
        let deviation = try finiteDifferenceDeviation(at: inputs, operation)
        #expect(deviation < 1e-6)
    }

    @Test func sumsDifferencesAndNegation() throws {
        try check([a, b]) { t, v in try t.add(v[0], v[1]) }
        try check([a, b]) { t, v in try t.subtract(v[0], v[1]) }
        try check([a]) { t, v in try t.negate(v[0]) }
        try check([a]) { t, v in try t.shift(v[0], by: 2.5) }
    }

    @Test func scalarAndMatrixProducts() throws {
        try check([a]) { t, v in try t.scale(v[0], by: -1.5) }
        try check([a, scalar]) { t, v in try t.scale(v[0], by: v[1]) }
        try check([scalar]) { t, v in try t.broadcast(v[0], rows: 2, cols: 3) }
        try check([a, b.transposed]) { t, v in try t.matmul(v[0], v[1]) }
        try check([a]) { t, v in try t.transpose(v[0]) }
        try check([a, b]) { t, v in try t.hadamard(v[0], v[1]) }
        try check([a, positive]) { t, v in try t.divide(v[0], v[1]) }
    }

    @Test func elementwiseFunctions() throws {
        try check([a]) { t, v in try t.abs(v[0]) }
        try check([a]) { t, v in try t.clip(v[0], lower: -0.5, upper: 0.8) }
        try check([a]) { t, v in try t.maximum(v[0], 0.1) }
        try check([a]) { t, v in try t.minimum(v[0], -0.2) }
        try check([a]) { t, v in try t.sign(v[0]) }
        try check([a, b]) { t, v in try t.maximum(v[0], v[1]) }
        try check([a, b]) { t, v in try t.minimum(v[0], v[1]) }
        try check([positive]) { t, v in try t.log(v[0]) }
        try check([a]) { t, v in try t.exp(v[0]) }
        try check([positive]) { t, v in try t.sqrt(v[0]) }
        try check([a]) { t, v in try t.square(v[0]) }
        try check([positive]) { t, v in try t.power(v[0], 2.5) }
        try check([positive]) { t, v in try t.power(v[0], -1.5) }
        try check([a]) { t, v in try t.power(v[0], 3) }
    }

    @Test func reductions() throws {
        try check([a]) { t, v in try t.sum(v[0]) }
        try check([a]) { t, v in try t.mean(v[0]) }
        try check([a]) { t, v in try t.squaredNorm(v[0]) }
        try check([a]) { t, v in try t.frobeniusNorm(v[0]) }
        try check([try a.matmul(b.transposed)]) { t, v in try t.trace(v[0]) }
        try check([a, b]) { t, v in try t.dot(v[0], v[1]) }
    }

    @Test func reshapesAndSlices() throws {
        try check([a]) { t, v in try t.reshape(v[0], rows: 6, cols: 2) }
        try check([a]) { t, v in try t.vec(v[0]) }
        try check([a]) { t, v in try t.slice(v[0], rows: 1..<3, cols: 0..<2) }
    }

    @Test func linearMeasurement() throws {
        var rng = Xoshiro256(seed: 3)
        let stack = try DenseMeasurementStack((0..<5).map { _ in try normal(3, 4, &rng) })
        try check([a]) { t, v in try t.measure(stack, v[0]) }
    }

    /// A chain that reuses values, so adjoints from several consumers must add up.
    @Test func sharedSubexpressions() throws {
        try check([a, b]) { t, v in
            let p = try t.hadamard(v[0], v[1])
            let q = try t.add(p, try t.exp(p))
            return try t.matmul(try t.transpose(q), try t.subtract(q, v[0]))
        }
    }

    /// Forward values are the functions the doc comments state.
    @Test func forwardValues() throws {
        let t = Tape()
        let x = t.variable(try Matrix([[-2, 0, 3]]))
        #expect(try t.value(try t.abs(x)).elements == [2, 0, 3])
        #expect(try t.value(try t.clip(x, lower: -1, upper: 1)).elements == [-1, 0, 1])
        #expect(try t.value(try t.maximum(x, 0)).elements == [0, 0, 3])
        #expect(try t.value(try t.minimum(x, 0)).elements == [-2, 0, 0])
        #expect(try t.value(try t.square(x)).elements == [4, 0, 9])
        #expect(try t.value(try t.sign(x)).elements == [-1, 0, 1])
        let other = t.variable(try Matrix([[1, 0, -3]]))
        #expect(try t.value(try t.maximum(x, other)).elements == [1, 0, 3])
        #expect(try t.value(try t.minimum(x, other)).elements == [-2, 0, -3])
        #expect(try t.scalar(try t.sum(x)) == 1)
        #expect(try t.scalar(try t.mean(x)) == 1.0 / 3)
        #expect(try t.scalar(try t.squaredNorm(x)) == 13)
        #expect(try t.value(try t.vec(t.variable(try Matrix([[1, 2], [3, 4]])))).elements == [1, 3, 2, 4])
        #expect(try t.value(try t.reshape(t.variable(try Matrix([[1, 2], [3, 4]])), rows: 1, cols: 4)).elements == [1, 2, 3, 4])
    }

    /// The derivative conventions at kinks: sign(0) = 0, clip and maximum/minimum against a
    /// constant pass the gradient on their closed range, maximum/minimum of two variables split it
    /// at ties, sign's gradient is 0, the norm's gradient at 0 is 0.
    @Test func conventionsAtKinks() throws {
        let t = Tape()
        let x = t.variable(try Matrix([[-1, 0, 1, 2]]))
        func gradient(_ y: Variable) throws -> [Double] {
            try t.gradients(of: try t.sum(y), withRespectTo: [x])[0].elements
        }
        #expect(try gradient(try t.abs(x)) == [-1, 0, 1, 1])
        #expect(try gradient(try t.clip(x, lower: -1, upper: 1)) == [1, 1, 1, 0])
        #expect(try gradient(try t.maximum(x, 0)) == [0, 1, 1, 1])
        #expect(try gradient(try t.minimum(x, 1)) == [1, 1, 1, 0])
        #expect(try gradient(try t.power(x, 0)) == [0, 0, 0, 0])
        #expect(try gradient(try t.sign(x)) == [0, 0, 0, 0])
        // Two variables: the selected operand gets the gradient, ties split it evenly.
        let other = t.variable(try Matrix([[0, 0, 2, 2]]))
        #expect(try gradient(try t.maximum(x, other)) == [0, 0.5, 0, 0.5])
        #expect(try gradient(try t.minimum(x, other)) == [1, 0.5, 1, 0.5])
        #expect(try t.gradients(of: try t.sum(try t.maximum(x, other)), withRespectTo: [other])[0].elements == [1, 0.5, 1, 0.5])
        let zero = t.variable(try Matrix.zeros(rows: 2, cols: 2))
        #expect(try t.gradients(of: try t.frobeniusNorm(zero), withRespectTo: [zero])[0].elements == [0, 0, 0, 0])
    }

    /// A variable the output does not depend on gets a zero gradient; an intermediate variable can
    /// be asked for too.
    @Test func unreachedAndIntermediateVariables() throws {
        let t = Tape()
        let x = t.variable(a)
        let unused = t.variable(b)
        let y = try t.scale(x, by: 3)
        let f = try t.sum(try t.square(y))
        let g = try t.gradients(of: f, withRespectTo: [x, unused, y])
        #expect(g[1] == (try Matrix.zeros(rows: 3, cols: 4)))
        #expect(try relativeDifference(g[2], 2 * (try t.value(y))) < 1e-15)
        #expect(try relativeDifference(g[0], 18 * a) < 1e-15)
    }
}
