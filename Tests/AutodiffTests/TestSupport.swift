import Autodiff
import Tensor

/// A `rows×cols` matrix of N(0, 1) draws from `rng`.
func normal(_ rows: Int, _ cols: Int, _ rng: inout Xoshiro256) throws -> Matrix {
    try rng.normalMatrix(rows: rows, cols: cols)
}

/// ‖a − b‖_F / ‖b‖_F (∞ for different shapes; ‖a‖_F when b = 0).
func relativeDifference(_ a: Matrix, _ b: Matrix) throws -> Double {
    guard a.shape == b.shape else { return .infinity }
    let difference = try (a - b).frobeniusNorm
    let scale = b.frobeniusNorm
    return scale > 0 ? difference / scale : difference
}

/// The largest deviation of the tape's pullback of `operation` from central differences.
///
/// The operation's output `Y` is reduced to the scalar `f = ⟨W, Y⟩` with a fixed random `W`, so
/// the pullback is checked for a general seed `Ȳ = W`. For each element `x` of each input,
/// `(f(x + h) − f(x − h)) / 2h` with `h = 10⁻⁶·max(1, |x|)` is compared with the tape's gradient;
/// the deviation is `|fd − ad| / max(1, |ad|)`.
func finiteDifferenceDeviation(
    at inputs: [Matrix], seed: UInt64 = 7, _ operation: (Tape, [Variable]) throws -> Variable
) throws -> Double {
    var rng = Xoshiro256(seed: seed)
    let tape = Tape()
    let variables = inputs.map { tape.variable($0) }
    let output = try operation(tape, variables)
    let weights = try normal(output.rows, output.cols, &rng)
    let gradients = try tape.pullback(of: output, seed: weights, to: variables)

    func f(_ point: [Matrix]) throws -> Double {
        let t = Tape()
        let y = try t.value(try operation(t, point.map { t.variable($0) }))
        return try Matrix.inner(y, weights)
    }
    var worst = 0.0
    for (p, input) in inputs.enumerated() {
        for k in 0..<input.count {
            let x = input.elements[k]
            let h = 1e-6 * max(1, Swift.abs(x))
            var plus = inputs, minus = inputs
            try plus[p].setElement(k / input.cols, k % input.cols, to: x + h)
            try minus[p].setElement(k / input.cols, k % input.cols, to: x - h)
            let fd = (try f(plus) - f(minus)) / (2 * h)
            let ad = gradients[p].elements[k]
            worst = max(worst, Swift.abs(fd - ad) / max(1, Swift.abs(ad)))
        }
    }
    return worst
}

/// The message of a thrown ``AutodiffError``, or nil if `body` did not throw one.
func autodiffErrorText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as AutodiffError {
        return error.description
    } catch {
        return "unexpected error type: \(error)"
    }
}
