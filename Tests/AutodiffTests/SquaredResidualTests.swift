import Testing
@testable import Autodiff

/// The squared residual `(z − c)²`, which a fused sum evaluates in one loop, against the
/// step-by-step evaluation of the same function: the same bits, special values included.
@Suite("Squared residual evaluation")
struct SquaredResidualTests {
    static let z: [Double] = [1.5, -0.0, 0.0, .nan, .infinity, -.infinity, 1e308, -1e308,
                              .leastNonzeroMagnitude, 3, 0.1, -2.5, .leastNormalMagnitude / 4, 1 / 3]
    static let c: [Double] = [0.5, 0.0, -0.0, 1, .infinity, 2, -1e308, 1e308,
                              -.leastNonzeroMagnitude, .nan, 0.3, -2.5, -.leastNormalMagnitude / 3, 2 / 3]

    /// `(z − c)²` as the loop recognises it, and the same function through a step that the loop
    /// does not recognise and that changes no bit (a scaling by 1: value `1·x`, derivative 1).
    static let recognised = MeasuredElements.Evaluation(
        steps: [.measured, .binary(.step(0), .external(0), .difference), .unary(1, .square)], externals: [c])
    static let stepwise = MeasuredElements.Evaluation(
        steps: [.measured, .binary(.step(0), .external(0), .difference), .unary(1, .scale(1)), .unary(2, .square)],
        externals: [c])

    static func run(_ evaluation: MeasuredElements.Evaluation, _ rows: Range<Int>, seed: MeasuredElements.Seed,
                    values wantValues: Bool) -> (values: [UInt64], tangents: [UInt64]) {
        var values = [Double](repeating: 42, count: z.count), tangents = [Double](repeating: 42, count: z.count)
        z.withUnsafeBufferPointer { pz in
            values.withUnsafeMutableBufferPointer { pv in
                tangents.withUnsafeMutableBufferPointer { pt in
                    guard let zs = pz.baseAddress, let ts = pt.baseAddress else { return }
                    evaluation.run(rows, z: zs, seed: seed, values: wantValues ? pv.baseAddress : nil, tangents: ts)
                }
            }
        }
        return (values.map(\.bitPattern), tangents.map(\.bitPattern))
    }

    @Test func recognisesOnlyTheSquaredResidual() {
        #expect(Self.recognised.isSquaredResidual)
        #expect(!Self.stepwise.isSquaredResidual)
        #expect(!MeasuredElements.Evaluation(
            steps: [.measured, .binary(.external(0), .step(0), .difference), .unary(1, .square)], externals: [Self.c]
        ).isSquaredResidual)
        #expect(!MeasuredElements.Evaluation(
            steps: [.measured, .binary(.step(0), .external(0), .sum), .unary(1, .square)], externals: [Self.c]
        ).isSquaredResidual)
    }

    @Test(arguments: [0..<14, 3..<9, 13..<14])
    func sameBitsAsStepByStep(_ rows: Range<Int>) {
        for seed in [MeasuredElements.Seed.measured, .external(0)] {
            for values in [true, false] {
                let fast = Self.run(Self.recognised, rows, seed: seed, values: values)
                let slow = Self.run(Self.stepwise, rows, seed: seed, values: values)
                #expect(fast.values == slow.values && fast.tangents == slow.tangents, "\(seed) values: \(values)")
            }
        }
    }

    /// Rows beyond the external operand's elements: the step-by-step evaluation's NaN values for
    /// the rows asked for (nothing else written), not a read past the end.
    @Test func rowsBeyondTheOperand() {
        let short = MeasuredElements.Evaluation(
            steps: [.measured, .binary(.step(0), .external(0), .difference), .unary(1, .square)], externals: [[1, 2]])
        let result = Self.run(short, 0..<4, seed: .measured, values: true)
        #expect(result.values[..<4].allSatisfy { Double(bitPattern: $0).isNaN })
        #expect(result.values[4...].allSatisfy { $0 == Double(42).bitPattern })
    }
}
