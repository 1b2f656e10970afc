import Tensor

/// A matrix-sensing problem: a ground truth `Z*`, a measurement operator `𝒜` and the
/// observations `y = 𝒜(Z*) + σ·ε`, `ε ~ N(0, I_m)`.
public struct SensingProblem: Sendable {
    /// The ground truth `Z*`.
    public let truth: GroundTruth
    /// The measurement operator `𝒜`.
    public let measurements: any SensingOperator
    /// The observations `y` (`m` values).
    public let y: [Double]
    /// The noise level `σ` used to make `y` (0 for given `y`).
    public let noise: Double
    /// The normal equations (`b`, `c` and the operator's `G`) once a run or ``gradient(_:kernel:gramAllowance:)`` needs them.
    let normalEquations = NormalEquations.Cache()

    /// `y = 𝒜(Z*) + σ·ε` with `ε` drawn from `rng` (only when `σ > 0`, so noiseless problems
    /// leave `rng` untouched).
    ///
    /// - Throws: if `𝒜` measures matrices of another size than `Z*`, or `σ` is negative or not finite.
    public init(truth: GroundTruth, measurements: any SensingOperator, noise: Double = 0, rng: inout Xoshiro256) throws(SensingError) {
        try Self.checkDimensions(truth, measurements)
        guard noise.isFinite, noise >= 0 else {
            throw .invalidArgument("the noise level σ must be a finite number ≥ 0, not \(noise)")
        }
        var y = try measurements.measure(truth.matrix)
        if noise > 0 {
            for i in 0..<y.count { y[i] += noise * rng.nextNormal() }
        }
        self.truth = truth
        self.measurements = measurements
        self.y = y
        self.noise = noise
    }

    /// A problem with given observations `y` (e.g. loaded from a `.npy` file).
    public init(truth: GroundTruth, measurements: any SensingOperator, y: [Double]) throws(SensingError) {
        try Self.checkDimensions(truth, measurements)
        guard y.count == measurements.m else {
            throw .shapeMismatch("y has \(counted(y.count, "entry", plural: "entries")) but the operator makes m = \(measurements.m) measurements")
        }
        try requireFinite(y, "y")
        self.truth = truth
        self.measurements = measurements
        self.y = y
        self.noise = 0
    }

    /// The dimension `d`.
    public var d: Int { truth.d }

    /// `f(U) = 1/(4m) Σᵢ (⟨Aᵢ, UUᵀ⟩ − yᵢ)²`.
    public func loss(_ u: Matrix) throws(SensingError) -> Double {
        try checkU(u)
        return try measurements.loss(u, y)
    }

    /// `∇f(U) = (1/m) Σᵢ rᵢ Sᵢ U`.
    ///
    /// With `kernel: .gram` a dense ensemble's gradient goes through the normal equations (the
    /// same numbers to rounding, fewer bytes read; `G` is built by the first such call and kept),
    /// as a hand-written GD loop wants; ``StepKernel/rows`` and ``StepKernel/automatic`` (one
    /// evaluation cannot repay building `G`) read the rows. `gramAllowance` is asked before `G`
    /// is built, as in ``RunOptions/gramAllowance``; `cancelled` is polled while it is built, as
    /// ``RunOptions/shouldCancelSetUp`` (a cancelled build reads the rows for this call).
    public func gradient(
        _ u: Matrix, kernel: StepKernel = .rows, gramAllowance: ((Double) -> String?)? = nil,
        cancelled: (() -> Bool)? = nil
    ) throws(SensingError) -> Matrix {
        try checkU(u)
        if kernel == .gram, try NormalEquations.chooses(.gram, for: measurements, steps: 1, every: 1, allowance: gramAllowance),
           let normal = try normalEquations.get(measurements, y: y, cancelled: cancelled) {
            var g = try tensor { () throws(TensorError) in try Matrix(rows: u.rows, cols: u.cols) }
            try normalEquations.withWorkspace { (ws: inout SensingWorkspace) throws(SensingError) in
                try normal.chargeProduct()
                _ = normal.lossAndGradient(u, gradient: &g, workspace: &ws)
            }
            return g
        }
        return try measurements.gradient(u, y)
    }

    /// Throws unless `u` is `d×r` with finite entries, naming both shapes otherwise.
    func checkU(_ u: Matrix, name: String = "U") throws(SensingError) {
        guard u.rows == d else {
            throw .shapeMismatch(
                "\(name) is \(shapeText(u.rows, u.cols)) but the ground truth is \(shapeText(d, d))")
        }
        try requireFinite(u, name)
    }

    private static func checkDimensions(_ truth: GroundTruth, _ op: any SensingOperator) throws(SensingError) {
        guard truth.d == op.d else {
            throw .shapeMismatch(
                "the ground truth is \(shapeText(truth.d, truth.d)) but the \(op.name) measurements are of \(shapeText(op.d, op.d)) matrices")
        }
    }
}
