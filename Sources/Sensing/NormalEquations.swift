import Foundation
import Tensor

/// How a run computes the gradient of a dense (packed) ensemble.
public enum StepKernel: String, Sendable, CaseIterable {
    /// ``gram`` when `G` holds at most 2/3 of the rows' numbers, at least `p/4 + 200` steps can
    /// use it (neither recorded nor a refresh) and it fits in memory; ``rows`` otherwise, and
    /// always for the matrix-free ensembles.
    case automatic = "auto"
    /// One fused pass over the `m×p` weights per step (`FusedPackedKernel`).
    case rows
    /// The normal equations through the packed Gram matrix `G` (`NormalEquations`, docs/sensing.md).
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
/// **Reference point.** Products are taken from a reference `g_ref` whose adjoint `s_ref` is known:
///
///     s = s_ref + G (g − g_ref)
///
/// With float64 storage the reference stays `g_ref = 0`, `s_ref = −b`, i.e. `s = G g − b`, as
/// accurate as the rows pass's `s`. With float32 storage `G` and the product's input are rounded
/// (``TiledGram32``), which applied to `g` itself would leave an error `ε·|G||g|` that does not
/// shrink as GD converges: GD would settle at rel_err 4.5·10⁻⁸ (d = 20) instead of the rows
/// kernel's 8·10⁻⁹. So each step a run evaluates by the rows pass becomes the new reference
/// (`g_ref = g`, `s_ref` the rows pass's exact `s`), and the rounding applies to `g − g_ref` only,
/// which vanishes as GD converges. With float32 storage a run takes the rows pass at every recorded
/// step and at least every ``refreshInterval`` steps.
///
/// The loss is less robust: `Σᵢ rᵢ² = gᵀ(s − b) + c` is a difference of numbers of size `‖y‖²`,
/// so far below that it is mostly rounding. A run therefore takes every loss it *records* (and the
/// loss it stops on) from the rows pass, and uses this estimate only to watch for divergence and
/// to notice when the tolerance may be near, with the bound
///
///     |estimate − Σᵢ rᵢ²| ≤ γ·(Q(g, g) + Q(g, g_ref) + 3S‖y‖ + ‖y‖²) + ε·Q(g, g − g_ref)
///     Q(u, v) = Σₖ G_kk |u_k||v_k| + (Σₖ √oₖ |u_k|)(Σₖ √oₖ |v_k|),   S = Σₖ √G_kk |g_k|
///     γ = 2(m + p + 4)·2⁻⁵³,   oₖ = max_{j≠k} |G_jk|
///
/// (first-order rounding of building `G`, of the rows pass's `s_ref`, of the product and of the
/// sums: `Q(u, v)` bounds `Σ_jk |G_jk||u_j||v_k|` since `|G_jk| ≤ √(oⱼ oₖ)` off the diagonal, and
/// `|bₖ| ≤ √G_kk ‖y‖` by Cauchy–Schwarz; `ε` is 0 for float64 storage and `(32 + 3)·2⁻²⁴` for
/// float32 storage: the rounding of `G`'s entries, of the input and of a float32 sum of ≤ 32 terms).
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
    /// The reference point `g_ref` (packed, `p` values; zero until a refresh).
    var reference: [Double]
    /// Its adjoint `s_ref = Σᵢ (wᵢ·g_ref − yᵢ) wᵢ` (`−b` until a refresh).
    var referenceAdjoint: [Double]

    /// A run under ``StepKernel/gram`` with float32 storage evaluates by the rows pass at least
    /// this often, moving the reference point there.
    static let refreshInterval = 100

    /// Whether runs move the reference point (float32 `G`, whose products are rounded).
    var corrects: Bool { gram.productRounding > 0 }

    /// Runs with at least `p/4 + 200` unrecorded steps build `G` under ``StepKernel/automatic``.
    /// Measured on the CI machine kind (docs/performance.md), building `G` is repaid after about
    /// 610 steps at d = 100, m = 5000 (p = 5050: 1.6 s against 2.7 ms saved per step) and 150
    /// steps at d = 20, m = 1000 (p = 210, where the rows sit in cache): a margin of 1.6–2.4×.
    static func minimumSteps(p: Int) -> Int { p / 4 + 200 }

    /// `G` is used only when it holds at most this share of the rows' numbers: the two kernels
    /// read at about the same speed (docs/performance.md), so less saves too little.
    static let maximumShare = 2.0 / 3.0

    /// The steps `t < steps` that can use `G`: neither recorded (`t % every = 0`) nor, when
    /// `refreshes` (float32), a refresh (`t % refreshInterval = 0`); those, and the last step,
    /// take the rows pass.
    static func unrecordedSteps(steps: Int, every: Int, refreshes: Bool = true) -> Int {
        guard steps > 0, every > 1 else { return 0 }
        func multiples(of n: Int) -> Int { (steps - 1) / n + 1 }  // of n in 0..<steps
        guard refreshes else { return steps - multiples(of: every) }
        var a = every, b = refreshInterval
        while b != 0 { (a, b) = (b, a % b) }
        let (lcm, overflow) = (every / a).multipliedReportingOverflow(by: refreshInterval)
        let both = overflow ? 1 : multiples(of: lcm)
        return steps - (multiples(of: every) + multiples(of: refreshInterval) - both)
    }

    /// Whether a run of `steps` steps recording every `every` uses `G` on `op` (see
    /// ``StepKernel``): a function of the ensemble's sizes and the run's length only, so the same
    /// script gives the same bits whatever ran before it — except that ``StepKernel/automatic``
    /// falls back to the rows when `G` would not fit in the memory the host has or allows, or
    /// building it (and `b`, ``make(_:y:cancelled:)``) in the steps the host's budget has left.
    ///
    /// - Throws: for ``StepKernel/gram`` on a matrix-free ensemble, or when `G` does not fit.
    static func chooses(
        _ kernel: StepKernel, for op: any SensingOperator, steps: Int, every: Int, allowance: ((Double) -> String?)?
    ) throws(SensingError) -> Bool {
        if kernel == .rows { return false }
        guard let packed = op as? PackedSymmetricOperator else {
            if kernel == .gram {
                throw .invalidArgument(
                    "kernel \"gram\" needs a dense ensemble (gaussian, nonsymmetric, explicit); the \(op.name) "
                        + "ensemble is matrix-free, use kernel \"auto\" or \"rows\"")
            }
            return false
        }
        let (m, p) = (packed.m, packed.p)
        let isBuilt = packed.gramCache.built != nil
        if kernel == .gram, isBuilt { return true }
        let bytes = PackedGramBuild.buildBytes(p: p, float32: packed.storage == .float32)
        let refusal = { bytes.flatMap { allowance?(Double($0)) } }
        if kernel == .automatic {
            guard let numbers = PackedGramBuild.storedCount(p: p, float32: packed.storage == .float32),
                  Double(numbers) <= maximumShare * Double(m) * Double(p),
                  unrecordedSteps(steps: steps, every: every, refreshes: packed.storage == .float32) >= minimumSteps(p: p)
            else { return false }
            if isBuilt { return true }
            guard let bytes, UInt64(bytes) <= MemoryBudget.availableBytes / 2, refusal() == nil,
                  RunBudget.affords(MeasurementCharge.normalEquations(m: m, p: p, adjointPasses: 2)) else { return false }
            return true
        }
        try MemoryBudget.require(doubles: bytes.map { ($0 + 7) / 8 },
                                 formula: "the Gram matrix (≈p(p+1)/2 numbers, p = \(p), with build scratch) as",
                                 for: "kernel \"gram\" with d = \(packed.d)",
                                 advice: "use kernel: \"rows\", which needs no memory beyond the ensemble's")
        if let reason = refusal() { throw .insufficientMemory(reason) }
        return true
    }

    /// The normal equations of `op` (a ``PackedSymmetricOperator``) with targets `y`, building
    /// `G` if the operator has not yet; `nil` if `cancelled` returned true during the build (no
    /// `G` is kept then).
    static func make(
        _ op: any SensingOperator, y: [Double], cancelled: (() -> Bool)? = nil
    ) throws(SensingError) -> NormalEquations? {
        guard let packed = op as? PackedSymmetricOperator else {
            throw .invalidArgument("the \(op.name) ensemble is matrix-free: it has no Gram matrix")
        }
        let (m, p) = (packed.m, packed.p)
        guard let gram = try packed.gramCache.get(orBuild: { () throws(SensingError) -> (any PackedGram)? in
            try packed.charge(MeasurementCharge.gramBuild(m: m, p: p), "building the Gram matrix G")
            return packed.withRows { rows in PackedGramBuild.make(rows: rows, m: m, p: p, cancelled: cancelled) } ?? nil
        }) else { return nil }
        // b and c from the rows pass itself at g = 0: residuals −y, adjoint −b, sum Σ yᵢ².
        try packed.charge(MeasurementCharge.times(2, RunBudget.operations(m, p)), "b = 𝒜*(y) for the Gram matrix G")
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
        return NormalEquations(op: packed, gram: gram, b: b, c: c, yNorm: c.squareRoot(),
                               reference: [Double](repeating: 0, count: p), referenceAdjoint: b.map { -$0 })
    }

    /// Moves the reference point (float32 `G` only) to the step the rows pass has just evaluated
    /// in `ws`, whose scratch then holds `g` and the rows pass's `s` (``PackedSymmetricOperator/packedStep``).
    mutating func refresh(from ws: SensingWorkspace) {
        let p = op.p
        guard corrects, ws.scratch.count >= 2 * p else { return }
        for k in 0..<p {
            reference[k] = ws.scratch[k]
            referenceAdjoint[k] = ws.scratch[p + k]
        }
    }

    /// Writes `∇f(U)` into `gradient` (`d×r`) and returns the loss estimate and its rounding bound
    /// (both already divided by `4m`, as the loss is).
    func lossAndGradient(
        _ u: Matrix, gradient: inout Matrix, workspace ws: inout SensingWorkspace
    ) -> (loss: Double, bound: Double) {
        let (m, p) = (op.m, op.p)
        var bound = Double.nan
        let sumSquares = b.withUnsafeBufferPointer { pb in
            reference.withUnsafeBufferPointer { gRef in
                referenceAdjoint.withUnsafeBufferPointer { sRef in
                    gram.rootDiagonal.withUnsafeBufferPointer { root in
                        gram.rootOffDiagonal.withUnsafeBufferPointer { rootOff in
                            op.packedStep(u, gradient: &gradient, workspace: &ws) { g, s, partials in
                                // The bound's sums, with Δ = g − g_ref written into s, then s = s_ref + GΔ
                                // (multiply reads all of its input before writing its output).
                                var qgg = 0.0, qgr = 0.0, qgd = 0.0, offG = 0.0, offR = 0.0, offD = 0.0, scale = 0.0
                                for k in 0..<p {
                                    let (gk, rk) = (abs(g[k]), abs(gRef[k]))
                                    let dk = g[k] - gRef[k]
                                    s[k] = dk
                                    let gkk = root[k] * root[k]
                                    qgg += gkk * gk * gk
                                    qgr += gkk * gk * rk
                                    qgd += gkk * gk * abs(dk)
                                    offG += rootOff[k] * gk
                                    offR += rootOff[k] * rk
                                    offD += rootOff[k] * abs(dk)
                                    scale += root[k] * gk
                                }
                                gram.multiply(s, into: s, partials: partials)
                                var sum = 0.0
                                for k in 0..<p {
                                    s[k] += sRef[k]
                                    sum += g[k] * (s[k] - pb[k])
                                }
                                let gamma = 2 * Double(m + p + 4) * 0x1p-53
                                bound = gamma * (qgg + offG * offG + qgr + offG * offR + 3 * scale * yNorm + yNorm * yNorm)
                                    + gram.productRounding * (qgd + offG * offD)
                                return sum + c
                            }
                        }
                    }
                }
            }
        }
        let scale = 4 * Double(m)
        return (sumSquares / scale, bound / scale)
    }
}

extension NormalEquations {
    /// A problem's normal equations (its `b` and `c` with the operator's `G`), made once.
    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var normal: NormalEquations?
        /// A workspace kept between single evaluations, so a hand-written loop does not allocate
        /// and zero one per call (taken out while in use; a concurrent caller makes its own).
        private var spare: SensingWorkspace?

        /// Calls `body` with the kept workspace (or a new one if it is in use elsewhere).
        func withWorkspace<Result>(_ body: (inout SensingWorkspace) throws(SensingError) -> Result) throws(SensingError) -> Result {
            var workspace = lock.withLock { () -> SensingWorkspace? in
                defer { spare = nil }
                return spare
            } ?? SensingWorkspace()
            defer { lock.withLock { spare = workspace } }
            return try body(&workspace)
        }

        /// The problem's normal equations for `op` and `y`, made on first use (`nil` if cancelled
        /// while building, and made again next time).
        func get(_ op: any SensingOperator, y: [Double], cancelled: (() -> Bool)?) throws(SensingError) -> NormalEquations? {
            lock.lock()
            defer { lock.unlock() }
            if let normal { return normal }
            normal = try NormalEquations.make(op, y: y, cancelled: cancelled)
            return normal
        }
    }
}
