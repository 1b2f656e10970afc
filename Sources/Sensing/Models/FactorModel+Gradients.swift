import Tensor

extension FactorModel {
    /// The end-to-end matrix `M` (`UUᵀ`, `FGᵀ`, `W_N⋯W₁` or `W₀ + BA`).
    public func product() -> Matrix {
        switch kind {
        case .symmetric:
            return Matrix.gemmUnchecked(factors[0], factors[0], transposeB: true).symmetrized
        case .asymmetric:
            return Matrix.gemmUnchecked(factors[0], factors[1], transposeB: true)
        case .deep:
            var p = factors[0]
            for w in factors.dropFirst() { p = Matrix.gemmUnchecked(w, p) }
            return p
        case .adapted:
            var m = Matrix.gemmUnchecked(factors[0], factors[1])
            if let base {
                m.withUnsafeMutableElements { pm in
                    base.withUnsafeElements { pb in for k in 0..<pm.count { pm[k] += pb[k] } }
                }
            }
            return m
        }
    }

    /// The gradient of the loss with respect to every factor, given `S = (1/m) Σᵢ rᵢ Aᵢ`:
    ///
    ///     UUᵀ       ∇_U = ½(S + Sᵀ) U                       (loss 1/(4m) Σ rᵢ²)
    ///     FGᵀ       ∇_F = S G,   ∇_G = Sᵀ F
    ///     W_N⋯W₁    ∇_{W_j} = (W_N⋯W_{j+1})ᵀ S (W_{j−1}⋯W₁)ᵀ   (empty products = I)
    ///     W₀ + BA   ∇_B = S Aᵀ,  ∇_A = Bᵀ S
    public func gradients(adjoint s: Matrix) -> [Matrix] {
        switch kind {
        case .symmetric:
            return [Matrix.gemmUnchecked(s.symmetrized, factors[0])]
        case .asymmetric:
            return [Matrix.gemmUnchecked(s, factors[1]), Matrix.gemmUnchecked(s, factors[0], transposeA: true)]
        case .deep:
            // Prefixes R_j = W_j⋯W₁ (R₀ = I) and T_j = (W_N⋯W_{j+1})ᵀ S, from T_N = S down.
            let n = factors.count
            var prefixes: [Matrix] = []
            var p: Matrix? = nil
            for w in factors.dropLast() {
                let next = p.map { Matrix.gemmUnchecked(w, $0) } ?? w
                prefixes.append(next)
                p = next
            }
            var grads = [Matrix](repeating: s, count: n)
            var t = s
            for j in stride(from: n - 1, through: 0, by: -1) {
                grads[j] = j == 0 ? t : Matrix.gemmUnchecked(t, prefixes[j - 1], transposeB: true)
                if j > 0 { t = Matrix.gemmUnchecked(factors[j], t, transposeA: true) }
            }
            return grads
        case .adapted:
            return [Matrix.gemmUnchecked(s, factors[1], transposeB: true), Matrix.gemmUnchecked(factors[0], s, transposeA: true)]
        }
    }

    /// The model's own trace columns and their values (see ``modelTerms()``).
    public var termNames: [String] {
        switch kind {
        case .symmetric: []
        case .asymmetric: ["imbalance"]
        case .deep: (1..<max(factors.count, 1)).map { "balance\($0)" } + (1...factors.count).map { "norm\($0)" }
        case .adapted: ["norm_b", "norm_a"]
        }
    }

    /// The model terms, in the order of ``termNames``:
    ///
    ///     FGᵀ       imbalance  = ‖FᵀF − GᵀG‖_F
    ///     W_N⋯W₁    balance_j  = ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F  (j = 1…N−1),  norm_j = ‖W_j‖_F
    ///     W₀ + BA   norm_b = ‖B‖_F,  norm_a = ‖A‖_F
    public func modelTerms() -> [Double] {
        switch kind {
        case .symmetric:
            return []
        case .asymmetric:
            let f = factors[0], g = factors[1]
            return [frobeniusDistance(Matrix.gemmUnchecked(f, f, transposeA: true), Matrix.gemmUnchecked(g, g, transposeA: true))]
        case .deep:
            var terms: [Double] = []
            for j in 0..<(factors.count - 1) {
                let upper = Matrix.gemmUnchecked(factors[j + 1], factors[j + 1], transposeA: true)
                let lower = Matrix.gemmUnchecked(factors[j], factors[j], transposeB: true)
                terms.append(frobeniusDistance(upper, lower))
            }
            return terms + factors.map(\.frobeniusNorm)
        case .adapted:
            return factors.map(\.frobeniusNorm)
        }
    }

    /// How many singular values of `M` the trace records: `min(r, d₁, d₂)` for `UUᵀ` and `FGᵀ`,
    /// `min(d₁, d₂, smallest inner width, 10)` for `W_N⋯W₁`, `min(d₁, d₂, 10)` for `W₀ + BA`.
    public var recordedSingularValues: Int {
        switch kind {
        case .symmetric, .asymmetric: min(factors[0].cols, rows, cols)
        case .deep: min(rows, cols, factors.dropLast().map(\.rows).min() ?? Int.max, 10)
        case .adapted: min(rows, cols, 10)
        }
    }
}
