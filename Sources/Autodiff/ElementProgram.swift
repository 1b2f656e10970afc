import Tensor

/// The elementwise expression built on one measured vector `z = 𝒜(M)` that has not been computed
/// yet: step 0 is `zᵢ` itself, every later step an elementwise function of earlier steps and of
/// *external* operands (ordinary tape values of `z`'s shape, read element by element, e.g. the
/// targets `y` in `z − y`).
///
/// Evaluated per element in forward mode: each step carries its value and its derivative with
/// respect to one seed (`zᵢ`, or one external operand's element), so a block of measurements gets
/// `h(zᵢ)` and `h'(zᵢ)` in one sweep over the steps.
final class MeasuredElements {
    /// One step of the expression.
    enum Step {
        case measured
        case unary(Int, ElementFunction)
        case binary(Source, Source, ElementCombination)
    }

    /// Where an operand of a step comes from.
    enum Source: Equatable {
        case step(Int)
        case external(Int)
    }

    /// What the forward-mode derivative is taken with respect to.
    enum Seed: Equatable {
        case measured
        case external(Int)
    }

    let ensemble: any FusedLinearMeasurement
    /// `M`, the measured matrix (an ordinary tape value).
    let matrix: Variable
    /// `m`, the number of measurements (every step is an `m×1` column).
    let count: Int
    private(set) var steps: [Step] = [.measured]
    /// The external operands and their values.
    private(set) var externals: [(variable: Variable, elements: [Double])] = []
    /// The position in `externals` of each external operand, by its index on the tape.
    private var externalPositions: [Int: Int] = [:]
    /// `z`, once a pass over the measurements has computed it.
    var measured: [Double]?

    init(_ ensemble: any FusedLinearMeasurement, _ matrix: Variable, count: Int) {
        self.ensemble = ensemble
        self.matrix = matrix
        self.count = count
        steps.reserveCapacity(8)
    }

    /// Appends `step` and returns its position.
    func append(_ step: Step) -> Int {
        steps.append(step)
        return steps.count - 1
    }

    /// The source for the external operand `variable` with value `value` (added once).
    /// All external operands are values of the tape the measurement is recorded on.
    func external(_ variable: Variable, _ value: Matrix) -> Source {
        if let k = externalPositions[variable.index] { return .external(k) }
        externals.append((variable, value.elements))
        externalPositions[variable.index] = externals.count - 1
        return .external(externals.count - 1)
    }

    /// The steps that step `last` is computed from (and it, last), renumbered in order, with the
    /// external operands they read: what a sum of step `last` evaluates, as a value the threads of
    /// a pass can share, and the tape variables of its external operands (in its numbering).
    /// Steps recorded for other uses of `z` are left out, so each sum costs what its own
    /// expression costs.
    func evaluation(of last: Int) -> (evaluation: Evaluation, externals: [Variable]) {
        // Per step and per external operand: `unread`, `read` (by step `last`), then, once
        // renumbered, its position in the kept numbering. Scratch on the stack.
        let (unread, read) = (-2, -1)
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: last + 1) { stepPosition in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: externals.count) { externalPosition in
                stepPosition.initialize(repeating: unread)
                externalPosition.initialize(repeating: unread)
                stepPosition[last] = read
                func markRead(_ source: Source) {
                    switch source {
                    case .step(let o): stepPosition[o] = read
                    case .external(let e): externalPosition[e] = read
                    }
                }
                for s in stride(from: last, through: 0, by: -1) where stepPosition[s] == read {
                    switch steps[s] {
                    case .measured: break
                    case .unary(let o, _): stepPosition[o] = read
                    case .binary(let first, let second, _):
                        markRead(first)
                        markRead(second)
                    }
                }
                var keptElements: [[Double]] = []
                var keptVariables: [Variable] = []
                for (e, external) in externals.enumerated() where externalPosition[e] == read {
                    externalPosition[e] = keptVariables.count
                    keptVariables.append(external.variable)
                    keptElements.append(external.elements)
                }
                // Operands precede their steps, so every operand is renumbered before it is read.
                func renumbered(_ source: Source) -> Source {
                    switch source {
                    case .step(let o): .step(stepPosition[o])
                    case .external(let e): .external(externalPosition[e])
                    }
                }
                var kept: [Step] = []
                for s in 0...last where stepPosition[s] == read {
                    stepPosition[s] = kept.count
                    switch steps[s] {
                    case .measured: kept.append(.measured)
                    case .unary(let o, let f): kept.append(.unary(stepPosition[o], f))
                    case .binary(let first, let second, let c): kept.append(.binary(renumbered(first), renumbered(second), c))
                    }
                }
                return (Evaluation(steps: kept, externals: keptElements), keptVariables)
            }
        }
    }

    /// A fixed prefix of the expression, evaluated element by element.
    struct Evaluation: Sendable {
        let steps: [Step]
        let externals: [[Double]]
        /// Whether the steps are the squared residual `(z − c)²` (SquaredResidualElements.swift).
        let isSquaredResidual: Bool

        init(steps: [Step], externals: [[Double]]) {
            self.steps = steps
            self.externals = externals
            isSquaredResidual = Self.isSquaredResidual(steps, externals: externals.count)
        }

        /// For every `i` in `rows`: `values[i]` = the last step at `zᵢ` (when `values` is given)
        /// and `tangents[i]` = its derivative with respect to `seed`. A step that does not depend
        /// on the seed has derivative exactly 0 (nothing is multiplied), as a reverse pass leaves
        /// the adjoint of a value that does not depend on an input untouched. Step by step over
        /// the whole block, so each step's function is chosen once per block (`withFixedCase`), not per
        /// element.
        func run(_ rows: Range<Int>, z: UnsafePointer<Double>, seed: Seed,
                 values: UnsafeMutablePointer<Double>?, tangents: UnsafeMutablePointer<Double>) {
            // Slots 0..<n are the steps, n..<n+e the external operands; slot k's values over the
            // block are `v + k·b`, its derivatives `t + k·b`.
            let (n, slots, b, lo) = (steps.count, steps.count + externals.count, rows.count, rows.lowerBound)
            guard n > 0, b > 0 else { return }
            if isSquaredResidual, seed == .measured, runSquaredResidual(rows, z: z, values: values, tangents: tangents) { return }
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: slots) { dependence in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * slots * b) { scratch in
                    guard let depends = dependence.baseAddress, let v = scratch.baseAddress else { return }
                    let t = v + slots * b
                    for (e, external) in externals.enumerated() {
                        let k = n + e
                        depends[k] = seed == .external(e)
                        external.withUnsafeBufferPointer { elements in
                            // Every external operand has z's m elements (checked when recorded).
                            guard let source = elements.baseAddress, lo + b <= elements.count else {
                                (v + k * b).initialize(repeating: .nan, count: b)
                                (t + k * b).initialize(repeating: 0, count: b)
                                return
                            }
                            Self.load(source + lo, b, into: v + k * b, t + k * b, dependsOnSeed: depends[k])
                        }
                    }
                    for s in 0..<n {
                        // The last step writes its values and derivatives straight to the caller's arrays.
                        let isLast = s == n - 1
                        let vs = isLast ? values.map { $0 + lo } ?? v + s * b : v + s * b
                        let ts = isLast ? tangents + lo : t + s * b
                        switch steps[s] {
                        case .measured:
                            depends[s] = seed == .measured
                            Self.load(z + lo, b, into: vs, ts, dependsOnSeed: depends[s])
                        case .unary(let o, let function):
                            depends[s] = depends[o]
                            let (x, dx, dependsOnSeed) = (v + o * b, t + o * b, depends[s])
                            function.withFixedCase { f in
                                if dependsOnSeed {
                                    for j in 0..<b {
                                        let y = f.value(x[j])
                                        vs[j] = y
                                        ts[j] = f.derivative(x[j], y) * dx[j]
                                    }
                                } else {
                                    for j in 0..<b { vs[j] = f.value(x[j]) }
                                    ts.initialize(repeating: 0, count: b)
                                }
                            }
                        case .binary(let first, let second, let combination):
                            let (k, l) = (slot(first, n), slot(second, n))
                            let (x, dx, u, du) = (v + k * b, t + k * b, v + l * b, t + l * b)
                            let (xDepends, uDepends) = (depends[k], depends[l])
                            let dependsOnSeed = xDepends || uDepends
                            depends[s] = dependsOnSeed
                            combination.withFixedCase { c in
                                if dependsOnSeed {
                                    for j in 0..<b {
                                        let y = c.value(x[j], u[j])
                                        vs[j] = y
                                        let (px, pu) = c.partials(x[j], u[j], y)
                                        ts[j] = (xDepends ? dx[j] * px : 0) + (uDepends ? du[j] * pu : 0)
                                    }
                                } else {
                                    for j in 0..<b { vs[j] = c.value(x[j], u[j]) }
                                    ts.initialize(repeating: 0, count: b)
                                }
                            }
                        }
                    }
                }
            }
        }

        /// `count` values from `source` into `values`, with derivative 1 (the seed) or 0 into `tangents`.
        @inline(__always)
        private static func load(_ source: UnsafePointer<Double>, _ count: Int, into values: UnsafeMutablePointer<Double>,
                                 _ tangents: UnsafeMutablePointer<Double>, dependsOnSeed: Bool) {
            values.initialize(from: source, count: count)
            tangents.initialize(repeating: dependsOnSeed ? 1 : 0, count: count)
        }

        /// The scratch slot of an operand (n = the number of steps).
        private func slot(_ source: Source, _ n: Int) -> Int {
            switch source {
            case .step(let s): s
            case .external(let e): n + e
            }
        }
    }
}
