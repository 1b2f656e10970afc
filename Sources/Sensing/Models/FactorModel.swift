import Tensor

/// A factorised model of a `d₁×d₂` matrix `M`: a list of factor matrices and the product that
/// maps them to `M`. Every optimizer runs on the factors; the trace describes `M`.
///
/// | kind | factors | `M` | loss |
/// | --- | --- | --- | --- |
/// | `symmetric` | `U` (d×r) | `UUᵀ` | `1/(4m) Σᵢ rᵢ²` |
/// | `asymmetric` | `F` (d₁×r), `G` (d₂×r) | `FGᵀ` | `1/(2m) Σᵢ rᵢ²` |
/// | `deep` | `W₁` (h₁×d₂), `W_j` (h_j×h_{j−1}), `W_N` (d₁×h_{N−1}), N ≥ 1 | `W_N ⋯ W₁` | `1/(2m) Σᵢ rᵢ²` |
/// | `adapted` | `B` (d₁×r), `A` (r×d₂), fixed `W₀` (d₁×d₂) | `W₀ + BA` | `1/(2m) Σᵢ rᵢ²` |
///
/// with `rᵢ = ⟨Aᵢ, M⟩ − yᵢ`. The gradients are in ``gradients(adjoint:)``.
public struct FactorModel: Sendable {
    /// Which product maps the factors to `M`.
    public enum Kind: String, Sendable, Equatable {
        case symmetric, asymmetric, deep, adapted
    }

    public let kind: Kind
    /// The trainable factors, in the order of ``factorNames``.
    public let factors: [Matrix]
    /// `W₀` of the `adapted` model (`nil` for the others).
    public let base: Matrix?

    /// `d₁`, the rows of `M`.
    public var rows: Int {
        switch kind {
        case .symmetric, .asymmetric, .adapted: factors[0].rows
        case .deep: factors[factors.count - 1].rows
        }
    }

    /// `d₂`, the columns of `M`.
    public var cols: Int {
        switch kind {
        case .symmetric: factors[0].rows
        case .asymmetric: factors[1].rows
        case .deep: factors[0].cols
        case .adapted: factors[1].cols
        }
    }

    /// `U`; `F, G`; `W1…WN`; `B, A`.
    public var factorNames: [String] {
        switch kind {
        case .symmetric: ["U"]
        case .asymmetric: ["F", "G"]
        case .deep: (1...factors.count).map { "W\($0)" }
        case .adapted: ["B", "A"]
        }
    }

    /// The loss is `Σᵢ rᵢ² / (denominator · m)`: 4 for `UUᵀ` (the paper's convention), else 2.
    public var lossDenominator: Double { kind == .symmetric ? 4 : 2 }

    private init(kind: Kind, factors: [Matrix], base: Matrix? = nil) {
        self.kind = kind
        self.factors = factors
        self.base = base
    }

    /// `M = UUᵀ`.
    public static func symmetric(_ u: Matrix) throws(SensingError) -> FactorModel {
        try requireFactor(u, "U")
        let model = FactorModel(kind: .symmetric, factors: [u])
        try model.requireProductMemory()
        return model
    }

    /// `M = FGᵀ`; `F` and `G` must have the same number of columns `r`.
    public static func asymmetric(f: Matrix, g: Matrix) throws(SensingError) -> FactorModel {
        try requireFactor(f, "F")
        try requireFactor(g, "G")
        guard f.cols == g.cols else {
            throw .shapeMismatch("F is \(shapeText(f.rows, f.cols)) and G is \(shapeText(g.rows, g.cols)): they must have the same number of columns r")
        }
        let model = FactorModel(kind: .asymmetric, factors: [f, g])
        try model.requireProductMemory()
        return model
    }

    /// `M = W_N ⋯ W₁` for `N ≥ 1` factors whose inner dimensions chain: `W_{j+1}` has as many
    /// columns as `W_j` has rows.
    public static func deep(_ ws: [Matrix]) throws(SensingError) -> FactorModel {
        guard !ws.isEmpty else { throw .invalidArgument("a deep model needs depth N ≥ 1, but no factor was given") }
        for (j, w) in ws.enumerated() { try requireFactor(w, "W\(j + 1)") }
        for j in 1..<max(ws.count, 1) where ws[j].cols != ws[j - 1].rows {
            throw .shapeMismatch("W\(j + 1) is \(shapeText(ws[j].rows, ws[j].cols)) but W\(j) is \(shapeText(ws[j - 1].rows, ws[j - 1].cols)): W\(j + 1) needs \(ws[j - 1].rows) columns")
        }
        let model = FactorModel(kind: .deep, factors: ws)
        try model.requireProductMemory()
        return model
    }

    /// `M = W₀ + BA` with `W₀` fixed, `B` `d₁×r`, `A` `r×d₂`.
    public static func adapted(base w0: Matrix, b: Matrix, a: Matrix) throws(SensingError) -> FactorModel {
        try requireFactor(w0, "W0")
        try requireFactor(b, "B")
        try requireFactor(a, "A")
        guard b.rows == w0.rows, a.cols == w0.cols, b.cols == a.rows else {
            throw .shapeMismatch("W0 is \(shapeText(w0.rows, w0.cols)), B is \(shapeText(b.rows, b.cols)) and A is \(shapeText(a.rows, a.cols)): B must be \(w0.rows)×r and A r×\(w0.cols)")
        }
        return FactorModel(kind: .adapted, factors: [b, a], base: w0)
    }

    /// Throws unless the end-to-end `d₁×d₂` matrix (and, for `W_N⋯W₁`, each partial product
    /// `W_j⋯W₁`) fits in memory, so that ``product()`` can be formed.
    private func requireProductMemory() throws(SensingError) {
        let shapes = kind == .deep ? factors.map { ($0.rows, cols) } : [(rows, cols)]
        for (r, c) in shapes {
            let (n, overflow) = r.multipliedReportingOverflow(by: c)
            guard !overflow, n <= Matrix.maxElements else {
                throw .invalidArgument("the \(kind.rawValue) model's product would be \(shapeText(r, c)), more than the \(Matrix.maxElements) elements a matrix may hold")
            }
            try MemoryBudget.require(doubles: n, formula: "\(shapeText(r, c))", for: "the \(kind.rawValue) model's product",
                                     advice: "use smaller factors")
        }
    }

    /// The same model with new factors of the same shapes (an optimizer's update).
    func replacing(_ factors: [Matrix]) -> FactorModel {
        FactorModel(kind: kind, factors: factors, base: base)
    }

    private static func requireFactor(_ x: Matrix, _ name: String) throws(SensingError) {
        guard x.rows >= 1, x.cols >= 1 else {
            throw .shapeMismatch("\(name) is \(shapeText(x.rows, x.cols)); every factor needs at least one row and one column")
        }
        try requireFinite(x, name)
    }
}
