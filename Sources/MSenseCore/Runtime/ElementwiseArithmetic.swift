/// The elementwise `+ − *` of matrices, with a matrix or a scalar on either side, as plain loops.
///
/// Each element is `x op y` exactly as ``Operators/scalar(_:_:_:_:)`` computes it (same operands,
/// same order), so results are bitwise those of the general loop; only the per-element dispatch
/// on the operator and its error path are taken out of the loop. Other operators (which can
/// fail per element or call `pow`/`fmod`) return nil and keep the general loop.
enum ElementwiseArithmetic {
    /// `x[i] op y[i]` for every i, or nil when `op` is not `+ − *`. Requires `x.count == y.count`.
    static func combine(_ op: BinaryOperator, _ x: [Double], _ y: [Double]) -> [Double]? {
        guard x.count == y.count else { return nil }
        switch op {
        case .add: return map(x, y) { $0 + $1 }
        case .subtract: return map(x, y) { $0 - $1 }
        case .multiply: return map(x, y) { $0 * $1 }
        default: return nil
        }
    }

    /// `x[i] op y` for every i, or nil when `op` is not `+ − *`.
    static func combine(_ op: BinaryOperator, _ x: [Double], _ y: Double) -> [Double]? {
        switch op {
        case .add: return map(x) { $0 + y }
        case .subtract: return map(x) { $0 - y }
        case .multiply: return map(x) { $0 * y }
        default: return nil
        }
    }

    /// `x op y[i]` for every i, or nil when `op` is not `+ − *`.
    static func combine(_ op: BinaryOperator, _ x: Double, _ y: [Double]) -> [Double]? {
        switch op {
        case .add: return map(y) { x + $0 }
        case .subtract: return map(y) { x - $0 }
        case .multiply: return map(y) { x * $0 }
        default: return nil
        }
    }

    @inline(__always)
    private static func map(_ x: [Double], _ f: (Double) -> Double) -> [Double] {
        [Double](unsafeUninitializedCapacity: x.count) { out, initialized in
            x.withUnsafeBufferPointer { a in
                for i in 0..<min(a.count, out.count) { out[i] = f(a[i]) }
            }
            initialized = min(x.count, out.count)
        }
    }

    @inline(__always)
    private static func map(_ x: [Double], _ y: [Double], _ f: (Double, Double) -> Double) -> [Double] {
        [Double](unsafeUninitializedCapacity: x.count) { out, initialized in
            x.withUnsafeBufferPointer { a in
                y.withUnsafeBufferPointer { b in
                    for i in 0..<min(a.count, b.count, out.count) { out[i] = f(a[i], b[i]) }
                }
            }
            initialized = min(x.count, y.count, out.count)
        }
    }
}
