import Testing
import Autodiff
import Tensor

/// Shapes and misuse are refused with a sentence, never a trap.
@Suite("Tape errors")
struct TapeErrorTests {
    let t = Tape()

    @Test func shapeMismatchesNameBothShapes() throws {
        let a = t.variable(try Matrix.zeros(rows: 2, cols: 3))
        let b = t.variable(try Matrix.zeros(rows: 3, cols: 2))
        #expect(autodiffErrorText { _ = try t.add(a, b) } == "elementwise sum: shapes 2×3 and 3×2 do not match")
        #expect(autodiffErrorText { _ = try t.hadamard(a, b) }?.contains("2×3 and 3×2") == true)
        #expect(autodiffErrorText { _ = try t.dot(a, b) }?.contains("2×3 and 3×2") == true)
        #expect(autodiffErrorText { _ = try t.matmul(a, a) } == "matrix product: shapes 2×3 and 2×3 do not match")
        #expect(autodiffErrorText { _ = try t.trace(a) } == "the trace needs a square matrix, not 2×3")
        #expect(autodiffErrorText { _ = try t.scale(a, by: b) }?.contains("scalar was expected") == true)
    }

    @Test func reshapeAndSliceRefuseImpossibleShapes() throws {
        let a = t.variable(try Matrix.zeros(rows: 2, cols: 3))
        #expect(autodiffErrorText { _ = try t.reshape(a, rows: 4, cols: 2) }?.contains("cannot be laid out as 4×2") == true)
        #expect(autodiffErrorText { _ = try t.reshape(a, rows: Int.max, cols: 3) } != nil)
        #expect(autodiffErrorText { _ = try t.reshape(a, rows: -2, cols: -3) } != nil)
        #expect(autodiffErrorText { _ = try t.slice(a, rows: 0..<3, cols: 0..<1) }?.contains("outside a 2×3 matrix") == true)
        #expect(autodiffErrorText { _ = try t.broadcast(t.variable(1), rows: Int.max, cols: Int.max) } != nil)
        #expect(autodiffErrorText { _ = try t.mean(t.variable(try Matrix.zeros(rows: 0, cols: 3))) } != nil)
    }

    @Test func argumentsOutOfDomain() throws {
        let a = t.variable(try Matrix.zeros(rows: 2, cols: 3))
        #expect(autodiffErrorText { _ = try t.clip(a, lower: 1, upper: -1) } == "clip needs lower ≤ upper, not lower = 1.0 and upper = -1.0")
        #expect(autodiffErrorText { _ = try t.clip(a, lower: .nan, upper: 1) } != nil)
        #expect(autodiffErrorText { _ = try t.power(a, .infinity) } != nil)
    }

    @Test func gradientsNeedAScalarOutputAndVariablesOfThisTape() throws {
        let a = t.variable(try Matrix.zeros(rows: 2, cols: 3))
        #expect(autodiffErrorText { _ = try t.gradients(of: a, withRespectTo: [a]) }?.contains("scalar (1×1) output") == true)
        let other = Tape()
        let foreign = other.variable(try Matrix.zeros(rows: 2, cols: 3))
        #expect(autodiffErrorText { _ = try t.add(a, foreign) }?.contains("another tape") == true)
        #expect(autodiffErrorText { _ = try t.gradients(of: try t.sum(a), withRespectTo: [foreign]) }?.contains("another tape") == true)
        // A variable outlives its tape without being mistaken for one of a later tape.
        var stale: Variable?
        do { stale = Tape().variable(try Matrix.zeros(rows: 2, cols: 3)) }
        let later = Tape()
        _ = later.variable(try Matrix.zeros(rows: 2, cols: 3))
        if let stale { #expect(autodiffErrorText { _ = try later.value(stale) }?.contains("another tape") == true) }
        #expect(foreign != a && Set([a, a]).count == 1)
        #expect(autodiffErrorText { _ = try t.pullback(of: a, seed: Matrix(column: [1]), to: [a]) }?.contains("seed adjoint is 1×1") == true)
    }

    @Test func measurementShapes() throws {
        var rng = Xoshiro256(seed: 1)
        let stack = try DenseMeasurementStack([try normal(2, 3, &rng), try normal(2, 3, &rng)])
        #expect(stack.measurementCount == 2 && stack.inputRows == 2 && stack.inputCols == 3)
        let wrong = t.variable(try Matrix.zeros(rows: 3, cols: 2))
        #expect(autodiffErrorText { _ = try t.measure(stack, wrong) } == "measure: the ensemble measures 2×3 matrices, not 3×2")
        #expect(autodiffErrorText { _ = try stack.measurements(of: try Matrix.zeros(rows: 3, cols: 2)) } != nil)
        #expect(autodiffErrorText { _ = try DenseMeasurementStack([]) } != nil)
        #expect(autodiffErrorText {
            _ = try DenseMeasurementStack([try Matrix.zeros(rows: 2, cols: 3), try Matrix.zeros(rows: 3, cols: 2)])
        }?.contains("measurement matrix 1 is 3×2") == true)
        #expect(autodiffErrorText { _ = try DenseMeasurementStack(try NDArray(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])) } != nil)
        #expect(autodiffErrorText { _ = try DenseMeasurementStack(try NDArray(shape: [0, 3, 3], elements: [])) }
            == "a measurement stack needs at least one measurement matrix, not m = 0")
        // An (m, d₁, d₂) array and the list of its matrices give the same stack.
        let array = try NDArray(shape: [2, 1, 2], elements: [1, 2, 3, 4])
        let fromArray = try DenseMeasurementStack(array)
        #expect(try fromArray.measurements(of: try Matrix([[1, 1]])) == [3, 7])
        #expect(try fromArray.weightedSum([1, -1]).elements == [-2, -2])
    }

    /// A misbehaving ensemble's failures reach the caller as measurement errors.
    @Test func misbehavingEnsembles() throws {
        struct Failure: Error, CustomStringConvertible { var description: String { "out of memory" } }
        struct ShortCount: LinearMeasurement {
            var inputRows: Int { 1 }
            var inputCols: Int { 1 }
            var measurementCount: Int { 2 }
            func measurements(of matrix: Matrix) throws -> [Double] { [1] }
            func weightedSum(_ weights: [Double]) throws -> Matrix { matrix }
            let matrix = Matrix(column: [1])
        }
        struct FailingAdjoint: LinearMeasurement {
            var inputRows: Int { 1 }
            var inputCols: Int { 1 }
            var measurementCount: Int { 1 }
            func measurements(of matrix: Matrix) throws -> [Double] { matrix.elements }
            func weightedSum(_ weights: [Double]) throws -> Matrix { throw Failure() }
        }
        let x = t.variable(1)
        #expect(autodiffErrorText { _ = try t.measure(ShortCount(), x) }
            == "measure: m = 2 measurements were expected from the ensemble but it returned 1")
        let y = try t.sum(try t.measure(FailingAdjoint(), x))
        #expect(autodiffErrorText { _ = try t.gradients(of: y, withRespectTo: [x]) } == "measure (adjoint): out of memory")
    }
}
