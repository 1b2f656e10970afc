import Tensor

/// A measurement ensemble stored densely: the `m` matrices `Aᵢ` (`d₁×d₂`) flattened row-major
/// into the rows of one `m×p` matrix, `p = d₁d₂` — the i.i.d. Gaussian ensemble or a given stack.
///
/// The fused pass reads the stack once: for each group of four rows `B`, `r_B = A_B vec(M) − y_B`
/// and then `vec(S) += A_Bᵀ r_B` while the rows are in cache, scaled by `1/m` at the end — the packed
/// symmetric ensemble's kernel (`FusedPackedKernel`) on rows of `p = d₁d₂` weights: all cores,
/// fixed chunks, the CPU's widest vectors, the same bits on every machine and thread count.
/// `apply` and `adjoint` alone are `DenseRowProducts` (the same chunks and kernels).
public struct DenseMatrixEnsemble: MatrixEnsemble {
    public let rows: Int
    public let cols: Int
    public let m: Int
    public let name: String
    /// The `m×p` row-major weights, row `i` = `vec(Aᵢ)`.
    let weights: [Double]
    /// `G = Σᵢ aᵢaᵢᵀ` once a run on the Gram route has built it (``DenseNormalEquations``), for
    /// every later run on this ensemble.
    let gramCache = PackedGramCache()

    /// `Aᵢ` with `d₁d₂` i.i.d. N(0, 1) entries, **not** symmetrised: `E⟨Aᵢ, M⟩² = ‖M‖²_F`.
    /// Drawn row-major: `A₁` entry (0,0), (0,1), …, then `A₂`, ….
    public static func gaussian(m: Int, rows: Int, cols: Int, rng: inout Xoshiro256) throws(SensingError) -> DenseMatrixEnsemble {
        try checkSizes(m: m, rows: rows, cols: cols)
        let count = try denseCount(m: m, rows: rows, cols: cols)
        try MemoryBudget.require(doubles: count, formula: "m·d1·d2",
                                 for: "the iid_gaussian ensemble with m = \(m), d1 = \(rows), d2 = \(cols)",
                                 advice: "use a matrix-free ensemble (rank_one_pairs, sample_entries) or a smaller m")
        try MeasurementCharge.charge(count, for: "drawing the iid_gaussian ensemble with m = \(m), d1 = \(rows), d2 = \(cols)")
        var w = [Double](repeating: 0, count: count)
        for k in 0..<count { w[k] = rng.nextNormal() }
        return DenseMatrixEnsemble(rows: rows, cols: cols, m: m, name: "iid_gaussian", weights: w)
    }

    /// The given stack: `elements` row-major of shape `(m, d₁, d₂)`, checked finite.
    public static func stack(_ elements: [Double], m: Int, rows: Int, cols: Int) throws(SensingError) -> DenseMatrixEnsemble {
        try checkSizes(m: m, rows: rows, cols: cols)
        guard elements.count == (try denseCount(m: m, rows: rows, cols: cols)) else {
            throw .shapeMismatch("\(elements.count) numbers cannot fill \(m) measurement matrices of \(shapeText(rows, cols))")
        }
        try requireFinite(elements, "A") { k in
            let p = rows * cols
            return "[\(k / p), \((k % p) / cols), \(k % cols)]"
        }
        return DenseMatrixEnsemble(rows: rows, cols: cols, m: m, name: "given_stack", weights: elements)
    }

    private static func denseCount(m: Int, rows: Int, cols: Int) throws(SensingError) -> Int {
        let (p, o1) = rows.multipliedReportingOverflow(by: cols)
        let (n, o2) = p.multipliedReportingOverflow(by: m)
        guard !o1, !o2, n <= Matrix.maxElements else {
            throw .insufficientMemory("\(m) dense measurement matrices of \(shapeText(rows, cols)) are more than \(Matrix.maxElements) numbers")
        }
        return n
    }

    public func applyUnchecked(_ x: Matrix) -> [Double] {
        var out = [Double](repeating: 0, count: m)
        weights.withUnsafeBufferPointer { pa in
            x.withUnsafeElements { px in
                out.withUnsafeMutableBufferPointer { po in
                    guard let a = pa.baseAddress, let x = px.baseAddress, let o = po.baseAddress else { return }
                    DenseRowProducts.apply(a, m: m, p: rows * cols, x, into: o)
                }
            }
        }
        return out
    }

    public func adjointUnchecked(_ w: [Double]) -> Matrix {
        var out = [Double](repeating: 0, count: rows * cols)
        weights.withUnsafeBufferPointer { pa in
            w.withUnsafeBufferPointer { pw in
                out.withUnsafeMutableBufferPointer { po in
                    guard let a = pa.baseAddress, let c = pw.baseAddress, let o = po.baseAddress else { return }
                    DenseRowProducts.adjoint(a, m: m, p: rows * cols, coefficients: c, scale: 1 / Double(m), into: o)
                }
            }
        }
        return Matrix(uncheckedRows: rows, cols: cols, elements: out)
    }

    public func residualsAndAdjoint(_ x: Matrix, _ y: [Double], residuals: inout [Double], adjoint: inout Matrix) -> Double {
        let p = rows * cols
        if residuals.count != m { residuals = [Double](repeating: 0, count: m) }
        if adjoint.rows != rows || adjoint.cols != cols {
            adjoint = Matrix(uncheckedRows: rows, cols: cols, elements: [Double](repeating: 0, count: p))
        }
        let (m, scale) = (self.m, 1 / Double(self.m))
        // Scratch for the chunks' partial adjoints (heap above the stack's limit; 1.3 MB at p = 10⁴,
        // against the 400 MB of weights the pass reads).
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: FusedPackedKernel.chunkCount * p) { partials in
            weights.withUnsafeBufferPointer { pa in
                x.withUnsafeElements { px in
                    y.withUnsafeBufferPointer { py in
                        residuals.withUnsafeMutableBufferPointer { pr in
                            adjoint.withUnsafeMutableElements { ps in
                                guard let a = pa.baseAddress, let x = px.baseAddress, let y = py.baseAddress,
                                      let r = pr.baseAddress, let s = ps.baseAddress, let scratch = partials.baseAddress
                                else { return 0 }
                                let sum = FusedPackedKernel.run(rows: .float64(a), m: m, p: p, gram: x, targets: y,
                                                                residuals: r, adjoint: s, partials: scratch)
                                for k in 0..<p { s[k] *= scale }
                                return sum
                            }
                        }
                    }
                }
            }
        }
    }

    public func measurementMatrix(_ i: Int) throws(SensingError) -> Matrix {
        guard i >= 0, i < m else { throw .invalidArgument("measurement \(i) does not exist; indices run from 0 to \(m - 1)") }
        let p = rows * cols
        return Matrix(uncheckedRows: rows, cols: cols, elements: Array(weights[(i * p)..<((i + 1) * p)]))
    }

    public func subset(_ indices: [Int]) throws(SensingError) -> any MatrixEnsemble {
        try checkIndices(indices)
        let p = rows * cols
        try MeasurementCharge.charge(RunBudget.operations(indices.count, p), for: "copying \(indices.count) of the \(m) measurements of the \(name) ensemble of \(shapeText(rows, cols)) matrices")
        var w: [Double] = []
        w.reserveCapacity(indices.count * p)
        for i in indices { w += weights[(i * p)..<((i + 1) * p)] }
        return DenseMatrixEnsemble(rows: rows, cols: cols, m: indices.count, name: name, weights: w)
    }
}
