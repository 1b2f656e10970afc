import Foundation
import Tensor

/// How a run computes the gradient of a dense (packed) ensemble.
public enum StepKernel: String, Sendable, CaseIterable {
    /// ``gram`` when it reads at most half the bytes of ``rows`` and the run is long enough to
    /// repay building `G` (at least ``NormalEquations/minimumSteps(p:)`` steps), or `G` is already
    /// built; ``rows`` otherwise, and always for the matrix-free ensembles.
    case automatic = "auto"
    /// One fused pass over the `m×p` weights per step (``FusedPackedKernel``).
    case rows
    /// The normal equations through the packed Gram matrix `G` (``NormalEquations``).
    case gram
}

/// A gradient step on a packed operator through its Gram matrix `G = Σᵢ wᵢwᵢᵀ` (``PackedGram``).
///
/// For `g = pack(UUᵀ)` and the residuals `rᵢ = wᵢ·g − yᵢ`, exactly (in exact arithmetic):
///
///     s      = Σᵢ rᵢ wᵢ = G g − b,          b = Σᵢ yᵢ wᵢ
///     Σᵢ rᵢ² = gᵀ(G g − 2b) + c,             c = Σᵢ yᵢ²
///     ∇f(U)  = unpack(s)/m · U,   f(U) = Σᵢ rᵢ² / (4m)
///
/// The gradient is as accurate as the rows pass's. The loss is not: it is a difference of
/// numbers of size `‖y‖²`, so far below that it is mostly rounding. A run therefore takes every
/// loss it *records* (and the loss it stops on) from the rows pass, and uses this estimate only
/// to watch for divergence and to notice when the tolerance may be near, with the bound
///
///     |estimate − Σᵢ rᵢ²| ≤ (2(m + p + 4)·2⁻⁵³ + ε)·(Σₖ √G_kk |g_k| + ‖y‖)²
///
/// (first-order rounding of building `G`, of `G g` and of both sums, using `|G_jk| ≤ √(G_jj G_kk)`
/// and `|bₖ| ≤ √G_kk ‖y‖`, both Cauchy–Schwarz; `ε` is 0 for float64 storage and
/// `(32 + 3)·2⁻²⁴` for float32 storage, whose `G` is float32 with short float32 sums, ``TiledGram32``).
struct NormalEquations {
    /// The operator, for its layout and for exact evaluations.
    let op: PackedSymmetricOperator
    /// Its Gram matrix.
    let gram: any PackedGram
    /// `b = Σᵢ yᵢ wᵢ` (`p` values).
    let b: [Double]
    /// `c = Σᵢ yᵢ²`.
    let c: Double
    /// `‖y‖`.
    let yNorm: Double

    /// Runs of at least `p/4 + 200` steps build `G` under ``StepKernel/automatic``. Measured on the
    /// CI machine kind (docs/performance.md), building `G` is repaid after about 610 steps at
    /// d = 100, m = 5000 (p = 5050: 1.6 s against 2.7 ms saved per step) and 150 steps at d = 20,
    /// m = 1000 (p = 210, where the rows sit in cache); the rule keeps a margin of 1.6–2.4×.
    static func minimumSteps(p: Int) -> Int { p / 4 + 200 }

    /// The normal equations for a run of `steps` steps on `op` with targets `y`, or `nil` when
    /// the run should use the operator's own kernel (see ``StepKernel``).
    ///
    /// - Throws: for ``StepKernel/gram`` on an ensemble without stored rows, or when `G` does not
    ///   fit in memory or `allowance` refuses it.
    static func prepare(
        _ op: any SensingOperator, y: [Double], kernel: StepKernel, steps: Int,
        allowance: ((Double) -> String?)? = nil
    ) throws(SensingError) -> NormalEquations? {
        if kernel == .rows { return nil }
        guard let packed = op as? PackedSymmetricOperator else {
            if kernel == .gram {
                throw .invalidArgument(
                    "kernel \"gram\" needs a dense ensemble (gaussian, explicit); the \(op.name) ensemble is matrix-free, "
                        + "use kernel \"auto\" or \"rows\"")
            }
            return nil
        }
        let (m, p) = (packed.m, packed.p)
        let float32 = packed.storage == .float32
        let bytes = PackedGramBuild.storedBytes(p: p, float32: float32)
        let refusal = { bytes.flatMap { allowance?(Double($0)) } }
        if kernel == .automatic {
            // At most half the bytes of the rows (m·p weights of the same width).
            guard let bytes, bytes / (float32 ? 4 : 8) <= m * p / 2 else { return nil }
            if packed.gramCache.built == nil {
                guard steps >= minimumSteps(p: p), UInt64(bytes) <= MemoryBudget.availableBytes / 2,
                      refusal() == nil else { return nil }
            }
        } else if packed.gramCache.built == nil {
            try MemoryBudget.require(doubles: bytes.map { ($0 + 7) / 8 },
                                     formula: "the Gram matrix's ≈p(p+1)/2 (p = \(p)) \(packed.storage.rawValue)",
                                     for: "kernel \"gram\" with d = \(packed.d)")
            if let reason = refusal() { throw .insufficientMemory(reason) }
        }
        let gram = try packed.gramCache.get { () throws(SensingError) -> any PackedGram in
            guard let built = packed.withRows({ rows in PackedGramBuild.make(rows: rows, m: m, p: p) }) else {
                throw .invalidArgument("the \(packed.name) ensemble stores no weights")
            }
            return built
        }
        // b and c from the rows pass itself at g = 0: residuals −y, adjoint −b, sum Σ yᵢ².
        var b = [Double](repeating: 0, count: p)
        var residuals = [Double](repeating: 0, count: m)
        var partials = [Double](repeating: 0, count: FusedPackedKernel.chunkCount * p)
        let zero = [Double](repeating: 0, count: p)
        let c = packed.withRows { rows in
            zero.withUnsafeBufferPointer { g in
                y.withUnsafeBufferPointer { t in
                    b.withUnsafeMutableBufferPointer { s in
                        residuals.withUnsafeMutableBufferPointer { r in
                            partials.withUnsafeMutableBufferPointer { part in
                                guard let g = g.baseAddress, let t = t.baseAddress, let s = s.baseAddress,
                                      let r = r.baseAddress, let part = part.baseAddress else { return Double.nan }
                                return FusedPackedKernel.run(rows: rows, m: m, p: p, gram: g, targets: t,
                                                             residuals: r, adjoint: s, partials: part)
                            }
                        }
                    }
                }
            }
        } ?? .nan
        for k in 0..<p { b[k] = -b[k] }
        return NormalEquations(op: packed, gram: gram, b: b, c: c, yNorm: c.squareRoot())
    }

    /// Writes `∇f(U)` into `gradient` (`d×r`) and returns the loss estimate and its rounding bound
    /// (both already divided by `4m`, as the loss is).
    func lossAndGradient(
        _ u: Matrix, gradient: inout Matrix, workspace ws: inout SensingWorkspace
    ) -> (loss: Double, bound: Double) {
        let (m, p) = (op.m, op.p)
        var bound = Double.nan
        let sumSquares = b.withUnsafeBufferPointer { pb in
            gram.rootDiagonal.withUnsafeBufferPointer { root in
                op.packedStep(u, gradient: &gradient, workspace: &ws) { g, s, partials in
                    gram.multiply(g, into: s, partials: partials)
                    var sum = 0.0, scale = 0.0
                    for k in 0..<p {
                        sum += g[k] * (s[k] - 2 * pb[k])
                        s[k] -= pb[k]
                        scale += root[k] * abs(g[k])
                    }
                    let magnitude = scale + yNorm
                    bound = (2 * Double(m + p + 4) * 0x1p-53 + gram.productRounding) * magnitude * magnitude
                    return sum + c
                }
            }
        }
        let scale = 4 * Double(m)
        return (sumSquares / scale, bound / scale)
    }
}

extension NormalEquations {
    /// A problem's count of gradient evaluations and its normal equations once they pay off.
    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var evaluations = 0
        private var normal: NormalEquations?

        /// Counts one gradient evaluation and returns the normal equations to use for it, if any
        /// (``StepKernel/automatic`` with the evaluations so far as the run length).
        func noteEvaluation(
            of op: any SensingOperator, y: [Double], allowance: ((Double) -> String?)?
        ) throws(SensingError) -> NormalEquations? {
            lock.lock()
            defer { lock.unlock() }
            if let normal { return normal }
            evaluations += 1
            guard op is PackedSymmetricOperator else { return nil }
            normal = try NormalEquations.prepare(op, y: y, kernel: .automatic, steps: evaluations, allowance: allowance)
            return normal
        }
    }
}
