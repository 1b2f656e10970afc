import Foundation
import MSense
import Tensor
import Testing

/// `a ^ 2` takes the product `a · a` instead of calling `pow`; the result must be bitwise
/// `pow(a, 2)` for every double, on numbers and elementwise on matrices.
@Suite("The ^ operator")
struct PowerOperatorTests {
    /// Doubles over the whole range: edge values, then random bit patterns (subnormals, huge
    /// values, NaNs) and random values of moderate magnitude, from a fixed xorshift stream.
    static func samples(_ count: Int) -> [Double] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var values: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1.3407807929942596e154, 1.4916681462400413e-154]
        while values.count < count {
            let bits = next()
            if bits & 1 == 0 {
                values.append(Double(bitPattern: next()))
            } else {
                let mantissa = 0.5 + Double(next() >> 11) / 9_007_199_254_740_992.0
                values.append((bits & 2 == 0 ? 1 : -1) * scalbn(mantissa, Int(next() % 200) - 100))
            }
        }
        return values
    }

    private static func sameBits(_ a: Double, _ b: Double) -> Bool {
        a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
    }

    @Test("X ^ 2 is bitwise pow(x, 2) elementwise, and x ^ 2 on numbers")
    func squareMatchesPow() throws {
        let values = Self.samples(1 << 20)
        let interpreter = Interpreter(output: { _ in }, libraries: [])
        interpreter.setGlobal("X", .matrix(try Matrix(rows: values.count, cols: 1, elements: values)))
        let squared = try #require(try interpreter.evaluate("X ^ 2").matrixValue)
        let mismatches = zip(values, squared.elements).filter { !Self.sameBits(pow($0, 2), $1) }
        #expect(mismatches.isEmpty, "first differences: \(mismatches.prefix(3).map { "\($0.0): \($0.1)" })")
        for x in values.prefix(2000) {
            interpreter.setGlobal("x", .number(x))
            guard case .number(let y) = try interpreter.evaluate("x ^ 2") else { Issue.record("x ^ 2 is not a number"); continue }
            #expect(Self.sameBits(pow(x, 2), y), "\(x)")
        }
    }

    @Test("other exponents are pow's")
    func otherExponents() throws {
        let interpreter = Interpreter(output: { _ in }, libraries: [])
        for (source, expected) in [("2 ^ 0.5", pow(2, 0.5)), ("(-8) ^ 3", -512), ("3 ^ -2", pow(3, -2)), ("(-0) ^ 0.5", 0)] {
            guard case .number(let y) = try interpreter.evaluate(source) else { Issue.record("\(source) is not a number"); continue }
            #expect(Self.sameBits(y, expected), "\(source) = \(y)")
        }
    }
}
