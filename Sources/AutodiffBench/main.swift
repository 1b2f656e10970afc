// autodiff-bench: the cost of a gradient from the tape against the same gradient written by hand.
//
//     .build/release/autodiff-bench D1 D2 R M REPEATS
//
// For the Huber asymmetric sensing objective f(F, G) = (1/m) Σᵢ h_δ(⟨Aᵢ, FGᵀ⟩ − yᵢ) (δ = 1) on a
// dense N(0, 1) stack of m measurement matrices of size d₁×d₂, and for the depth-3 product
// 1/(2m) Σᵢ (⟨Aᵢ, W₃W₂W₁⟩ − yᵢ)² (inner width r), prints the best-of-REPEATS milliseconds of one
// loss-and-gradient evaluation by the tape (`tape_ms`) and by hand-written BLAS calls (`hand_ms`),
// and their ratio. The two gradients are compared too (`max_rel_diff`), so a fast wrong tape
// cannot pass unnoticed.
import Autodiff
import Foundation
import Tensor

func integerArgument(_ k: Int, _ name: String) -> Int {
    let arguments = CommandLine.arguments
    guard k < arguments.count, let value = Int(arguments[k]), value > 0 else {
        FileHandle.standardError.write(Data("usage: autodiff-bench D1 D2 R M REPEATS (all positive integers; \(name) is missing or invalid)\n".utf8))
        exit(2)
    }
    return value
}

/// The best wall-clock milliseconds of `repeats` runs of `body`, and its last result.
func best<T>(_ repeats: Int, _ body: () throws -> T) rethrows -> (ms: Double, result: T) {
    var bestMs = Double.infinity
    var result = try body()
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        result = try body()
        bestMs = min(bestMs, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return (bestMs, result)
}

/// (1/m)·Σᵢ wᵢAᵢ for the stack's rows.
func adjoint(_ stack: DenseMeasurementStack, _ w: [Double], scale: Double) throws -> Matrix {
    try scale * stack.weightedSum(w)
}

func relativeDifference(_ a: [Matrix], _ b: [Matrix]) throws -> Double {
    try zip(a, b).map { (x, y) in try (x - y).frobeniusNorm / max(y.frobeniusNorm, .leastNormalMagnitude) }.max() ?? 0
}

let (d1, d2, r, m) = (integerArgument(1, "D1"), integerArgument(2, "D2"), integerArgument(3, "R"), integerArgument(4, "M"))
let repeats = integerArgument(5, "REPEATS")
do {
    var rng = Xoshiro256(seed: 1)
    let stack = try DenseMeasurementStack(try NDArray(shape: [m, d1, d2], elements: try rng.normalMatrix(rows: m, cols: d1 * d2).elements))
    let truth = try rng.normalMatrix(rows: d1, cols: r).matmul(try rng.normalMatrix(rows: d2, cols: r).transposed)
    let y = Matrix(column: try stack.measurements(of: truth))
    let delta = 1.0
    let f0 = 0.1 * (try rng.normalMatrix(rows: d1, cols: r)), g0 = 0.1 * (try rng.normalMatrix(rows: d2, cols: r))

    let huberTape = try best(repeats) {
        try Tape.valueAndGradients(at: [f0, g0]) { (t, v) throws(AutodiffError) in
            let residual = try t.subtract(try t.measure(stack, try t.matmul(v[0], try t.transpose(v[1]))), t.variable(y))
            let c = try t.clip(residual, lower: -delta, upper: delta)
            return try t.mean(try t.subtract(try t.hadamard(c, residual), try t.scale(try t.hadamard(c, c), by: 0.5)))
        }.gradients
    }
    let huberHand = try best(repeats) {
        let residual = zip(try stack.measurements(of: try Matrix.gemm(f0, g0, transposeB: true)), y.elements).map { $0 - $1 }
        let s = try adjoint(stack, residual.map { min(max($0, -delta), delta) }, scale: 1 / Double(m))
        return [try s.matmul(g0), try Matrix.gemm(s, f0, transposeA: true)]
    }
    print(String(format: "huber_fg d1=%d d2=%d r=%d m=%d tape_ms %.4f hand_ms %.4f ratio %.3f max_rel_diff %.1e",
                 d1, d2, r, m, huberTape.ms, huberHand.ms, huberTape.ms / huberHand.ms,
                 try relativeDifference(huberTape.result, huberHand.result)))

    let w1 = try rng.normalMatrix(rows: r, cols: d2), w2 = try rng.normalMatrix(rows: r, cols: r)
    let w3 = try rng.normalMatrix(rows: d1, cols: r)
    let deepTape = try best(repeats) {
        try Tape.valueAndGradients(at: [w1, w2, w3]) { (t, v) throws(AutodiffError) in
            let product = try t.matmul(try t.matmul(v[2], v[1]), v[0])
            let residual = try t.subtract(try t.measure(stack, product), t.variable(y))
            return try t.scale(try t.squaredNorm(residual), by: 1 / (2 * Double(m)))
        }.gradients
    }
    let deepHand = try best(repeats) {
        let w32 = try w3.matmul(w2)
        let residual = zip(try stack.measurements(of: try w32.matmul(w1)), y.elements).map { $0 - $1 }
        let s = try adjoint(stack, residual, scale: 1 / Double(m))
        let sw1t = try Matrix.gemm(s, w1, transposeB: true)
        return [try Matrix.gemm(w32, s, transposeA: true), try Matrix.gemm(w3, sw1t, transposeA: true),
                try Matrix.gemm(sw1t, w2, transposeB: true)]
    }
    print(String(format: "depth3 d1=%d d2=%d r=%d m=%d tape_ms %.4f hand_ms %.4f ratio %.3f max_rel_diff %.1e",
                 d1, d2, r, m, deepTape.ms, deepHand.ms, deepTape.ms / deepHand.ms,
                 try relativeDifference(deepTape.result, deepHand.result)))
} catch {
    FileHandle.standardError.write(Data("autodiff-bench: error: \(error)\n".utf8))
    exit(1)
}
