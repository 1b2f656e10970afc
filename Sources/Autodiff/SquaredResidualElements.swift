/// The commonest expression a fused sum evaluates, the squared residual `h(zᵢ) = (zᵢ − cᵢ)²` of a
/// measurement against one external operand `c` (least squares), in one loop instead of step by
/// step:
///
///     h(zᵢ) = rᵢ²,    h'(zᵢ) = 2rᵢ,    rᵢ = zᵢ − cᵢ
///
/// The same bits as the step-by-step evaluation (``MeasuredElements/Evaluation/run(_:z:seed:values:tangents:)``),
/// whose derivative with respect to `zᵢ` is `2rᵢ · ((1·1) + 0)` with the seed's `1` and the
/// difference's partial `1`: that factor is exactly 1, and a product with 1 is the other factor.
extension MeasuredElements.Evaluation {
    /// Whether `steps` are `z`, `z − c`, `(z − c)²` with `c` the only external operand.
    static func isSquaredResidual(_ steps: [MeasuredElements.Step], externals: Int) -> Bool {
        guard externals == 1, steps.count == 3, case .measured = steps[0],
              case .binary(.step(0), .external(0), .difference) = steps[1],
              case .unary(1, .square) = steps[2]
        else { return false }
        return true
    }

    /// `values[i] = rᵢ²` (when `values` is given) and `tangents[i] = 2rᵢ` for every `i` in `rows`,
    /// for an evaluation that ``isSquaredResidual(_:externals:)`` recognised; false (nothing
    /// written) when `c` has fewer elements than `rows` reaches, which the step-by-step
    /// evaluation reports.
    func runSquaredResidual(_ rows: Range<Int>, z: UnsafePointer<Double>, values: UnsafeMutablePointer<Double>?,
                            tangents: UnsafeMutablePointer<Double>) -> Bool {
        guard let c = externals.first else { return false }
        return c.withUnsafeBufferPointer { elements in
            guard let c = elements.baseAddress, rows.lowerBound >= 0, rows.upperBound <= elements.count else { return false }
            // Four elements at a time in SIMD lanes (each lane the same operations), then the rest.
            var i = rows.lowerBound
            while i < rows.upperBound - 3 {
                let r = UnsafeRawPointer(z + i).loadUnaligned(as: SIMD4<Double>.self)
                    - UnsafeRawPointer(c + i).loadUnaligned(as: SIMD4<Double>.self)
                if let values { UnsafeMutableRawPointer(values + i).storeBytes(of: r * r, as: SIMD4<Double>.self) }
                UnsafeMutableRawPointer(tangents + i).storeBytes(of: 2 * r, as: SIMD4<Double>.self)
                i &+= 4
            }
            while i < rows.upperBound {
                let r = z[i] - c[i]
                values?[i] = r * r
                tangents[i] = 2 * r
                i += 1
            }
            return true
        }
    }
}
