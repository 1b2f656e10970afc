import Tensor

/// The backward pass: adjoints propagated from an output to the variables asked for.
extension Tape {
    /// ∇ₓf for every `x` in `inputs`, where `f` is the scalar (`1×1`) `output`.
    ///
    /// Seeds `f̄ = 1` and runs ``pullback(of:seed:to:)``. A variable `f` does not depend on gets
    /// a zero gradient of its shape.
    public func gradients(of output: Variable, withRespectTo inputs: [Variable]) throws(AutodiffError) -> [Matrix] {
        guard output.isScalar else {
            throw .shapeMismatch(
                "a gradient needs a scalar (1×1) output, not a \(shapeText(output.rows, output.cols)) one; "
                    + "reduce it first, e.g. with sum or squaredNorm")
        }
        return try pullback(of: output, seed: Matrix(column: [1]), to: inputs)
    }

    /// The vector–Jacobian products `J_x(Y)ᵀ[Ȳ]` for every `x` in `inputs`: the adjoints of the
    /// inputs when the output `Y` has adjoint `seed` (same shape as `Y`).
    ///
    /// One reverse walk over the nodes between the inputs and the output: a node's adjoint is the
    /// sum of its consumers' contributions (accumulated in place, BLAS `daxpy`), and it is passed
    /// through the node's pullback once every consumer (all later nodes) has contributed. Only
    /// nodes that depend on an input are visited; adjoints are released once consumed.
    ///
    /// Once a sum has been fused over a measurement (FusedSum.swift), an input may not be a value
    /// that was recorded pending (a measurement through a ``FusedLinearMeasurement`` or an
    /// elementwise function of one): the fused sum's node reads the measured matrix, not that
    /// value, so the walk would miss the sum's part of its adjoint. Such an input is an error.
    public func pullback(of output: Variable, seed: Matrix, to inputs: [Variable]) throws(AutodiffError) -> [Matrix] {
        _ = try node(output)
        for input in inputs { _ = try node(input) }
        if recordedFusedSum, let input = inputs.first(where: { recordedPending.contains($0.index) }) {
            throw .invalidArgument(
                "no gradient with respect to the \(shapeText(input.rows, input.cols)) value computed from a measurement: "
                    + "a sum fused over it differentiates to the measured matrix directly; "
                    + "take the gradient with respect to the values the measured matrix is computed from")
        }
        guard seed.rows == output.rows, seed.cols == output.cols else {
            throw .shapeMismatch(
                "the seed adjoint is \(shapeText(seed.rows, seed.cols)) but the output is \(shapeText(output.rows, output.cols))")
        }
        let last = output.index
        // dependsOnInput[i]: node i is an input or was computed from one.
        // Arrays copied from `repeatElement` are allocated by code specialised for their element;
        // `init(repeating:count:)` goes through the standard library's unspecialised allocation,
        // which looks up the storage's type metadata on every call.
        var dependsOnInput = Array(repeatElement(false, count: last + 1))
        for input in inputs where input.index <= last { dependsOnInput[input.index] = true }
        for i in 0...last where !dependsOnInput[i] {
            dependsOnInput[i] = self.inputs(of: i).contains { dependsOnInput[$0] }
        }
        var wanted = Array(repeatElement(false, count: last + 1))
        for input in inputs where input.index <= last { wanted[input.index] = true }
        var adjoints = Array(repeatElement(Matrix?.none, count: last + 1))
        adjoints[last] = seed
        // Which of a node's inputs need an adjoint; one array refilled node by node.
        var needed: [Bool] = []
        for i in stride(from: last, through: 0, by: -1) {
            guard dependsOnInput[i], let upstream = adjoints[i], let pullback = nodes[i].pullback else { continue }
            if !wanted[i] { adjoints[i] = nil }
            let sources = self.inputs(of: i)
            needed.removeAll(keepingCapacity: true)
            for j in sources { needed.append(dependsOnInput[j]) }
            let contributions = try pullback(upstream, needed)
            for (k, j) in sources.enumerated() where needed[k] {
                guard k < contributions.count, let contribution = contributions[k] else { continue }
                try accumulate(contribution, into: &adjoints[j])
            }
        }
        return try inputs.map { (input) throws(AutodiffError) -> Matrix in
            if input.index <= last, let adjoint = adjoints[input.index] { return adjoint }
            return try tensor { () throws(TensorError) in try Matrix.zeros(rows: input.rows, cols: input.cols) }
        }
    }

    /// `total ← total + contribution` (the first contribution is stored as is).
    private func accumulate(_ contribution: Matrix, into total: inout Matrix?) throws(AutodiffError) {
        guard var sum = total else {
            total = contribution
            return
        }
        total = nil  // the only reference, so the in-place update does not copy
        try tensor { () throws(TensorError) in try sum.add(contribution, scaledBy: 1) }
        total = sum
    }
}
