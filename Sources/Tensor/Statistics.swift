import Foundation

/// Descriptive statistics of a sequence of numbers, with NumPy's default definitions.
///
/// - mean x̄ = (1/n) Σᵢ xᵢ
/// - variance with `ddof` (delta degrees of freedom, default 0 as in NumPy):
///   Σᵢ (xᵢ − x̄)² / (n − ddof); `ddof: 1` gives the unbiased sample variance
/// - standard deviation: √variance
/// - quantile q ∈ [0, 1] by linear interpolation (NumPy's default `method="linear"`): with the
///   values sorted ascending s₀ ≤ … ≤ sₙ₋₁ and h = (n − 1)·q, it is s⌊h⌋ + (h − ⌊h⌋)(s⌊h⌋₊₁ − s⌊h⌋);
///   the median is the 0.5 quantile. A NaN among the values makes every quantile NaN. Sorting n
///   values is charged to the thread's `RunBudget` as n·⌈log₂ n⌉ operations (at least n), its
///   copy checked against memory, before it starts.
/// - cumulative sum: cₖ = Σᵢ≤ₖ xᵢ
/// - argmin / argmax: the index of the first smallest / largest value; a NaN counts as the
///   extreme (the first NaN's index), as in NumPy.
///
/// Every function refuses an empty sequence (the statistic does not exist) with an error.
public enum Statistics {
    private static func requireValues(_ x: [Double], _ what: String) throws(TensorError) {
        guard !x.isEmpty else { throw .invalidArgument("the \(what) of no values does not exist") }
    }

    /// x̄ = (1/n) Σᵢ xᵢ.
    public static func mean(_ x: [Double]) throws(TensorError) -> Double {
        try requireValues(x, "mean")
        return x.reduce(0, +) / Double(x.count)
    }

    /// Σᵢ (xᵢ − x̄)² / (n − ddof); needs n > ddof ≥ 0.
    public static func variance(_ x: [Double], ddof: Int = 0) throws(TensorError) -> Double {
        try requireValues(x, "variance")
        guard ddof >= 0, x.count > ddof else {
            throw .invalidArgument("the variance with ddof = \(ddof) needs more than \(counted(ddof, "value")), got \(x.count)")
        }
        let m = try mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - ddof)
    }

    /// √(Σᵢ (xᵢ − x̄)² / (n − ddof)).
    public static func standardDeviation(_ x: [Double], ddof: Int = 0) throws(TensorError) -> Double {
        try variance(x, ddof: ddof).squareRoot()
    }

    /// The q-quantile by linear interpolation between order statistics (see the type).
    public static func quantile(_ x: [Double], _ q: Double) throws(TensorError) -> Double {
        try requireValues(x, "quantile")
        guard q >= 0, q <= 1 else { throw .invalidArgument("a quantile must be between 0 and 1, got \(q)") }
        if x.contains(where: \.isNaN) { return .nan }
        try requireSort(x.count)
        let s = x.sorted()
        let h = Double(s.count - 1) * q
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    /// Checks the sorted copy of `n` values against memory and charges sorting them:
    /// n·⌈log₂ n⌉ operations, at least n.
    static func requireSort(_ n: Int) throws(TensorError) {
        let (bytes, overflow) = n.multipliedReportingOverflow(by: MemoryLayout<Double>.stride)
        if let problem = AvailableMemory.refusal(bytes: overflow ? nil : bytes, for: "sorting \(n) values") {
            throw .insufficientMemory(problem)
        }
        let depth = max(1, Int.bitWidth - max(n - 1, 0).leadingZeroBitCount)
        try RunBudget.charge(RunBudget.operations(n, depth), for: "sorting \(n) values")
    }

    /// The median, the 0.5 quantile.
    public static func median(_ x: [Double]) throws(TensorError) -> Double {
        try quantile(x, 0.5)
    }

    /// The running sums cₖ = Σᵢ≤ₖ xᵢ (empty for no values).
    public static func cumulativeSum(_ x: [Double]) -> [Double] {
        var total = 0.0
        return x.map { total += $0; return total }
    }

    /// The index of the first smallest value (or of the first NaN).
    public static func argmin(_ x: [Double]) throws(TensorError) -> Int {
        try requireValues(x, "argmin")
        return extremeIndex(x, <)
    }

    /// The index of the first largest value (or of the first NaN).
    public static func argmax(_ x: [Double]) throws(TensorError) -> Int {
        try requireValues(x, "argmax")
        return extremeIndex(x, >)
    }

    private static func extremeIndex(_ x: [Double], _ better: (Double, Double) -> Bool) -> Int {
        var best = 0
        for i in x.indices {
            if x[i].isNaN { return i }
            if better(x[i], x[best]) { best = i }
        }
        return best
    }
}

extension Matrix {
    /// The values of column `j` (axis 0 reductions run over these).
    public func columnValues(_ j: Int) -> [Double] {
        guard j >= 0, j < cols else { return [] }
        return (0..<rows).map { elements[$0 * cols + j] }
    }

    /// The values of row `i` (axis 1 reductions run over these).
    public func rowValues(_ i: Int) -> [Double] {
        guard i >= 0, i < rows else { return [] }
        return Array(elements[(i * cols)..<((i + 1) * cols)])
    }

    /// `statistic` of every column (axis 0, a 1×cols row) or of every row (axis 1, a rows×1
    /// column), like NumPy's `axis=` argument.
    public func reduced(axis: Int, _ statistic: ([Double]) throws(TensorError) -> Double) throws(TensorError) -> Matrix {
        switch axis {
        case 0:
            var out = [Double](repeating: 0, count: cols)
            for j in 0..<cols { out[j] = try statistic(columnValues(j)) }
            return Matrix(uncheckedRows: 1, cols: cols, elements: out)
        case 1:
            var out = [Double](repeating: 0, count: rows)
            for i in 0..<rows { out[i] = try statistic(rowValues(i)) }
            return Matrix(uncheckedRows: rows, cols: 1, elements: out)
        default:
            throw .invalidArgument("axis must be 0 (down the rows, one value per column) or 1 (along each row), got \(axis)")
        }
    }

    /// `transform` applied to every column (axis 0) or every row (axis 1), keeping the shape
    /// (e.g. cumulative sums along an axis).
    public func transformed(axis: Int, _ transform: ([Double]) -> [Double]) throws(TensorError) -> Matrix {
        var out = self
        switch axis {
        case 0:
            for j in 0..<cols {
                for (i, v) in transform(columnValues(j)).enumerated() where i < rows { out.elements[i * cols + j] = v }
            }
        case 1:
            for i in 0..<rows {
                for (j, v) in transform(rowValues(i)).enumerated() where j < cols { out.elements[i * cols + j] = v }
            }
        default:
            throw .invalidArgument("axis must be 0 (down the rows) or 1 (along each row), got \(axis)")
        }
        return out
    }
}
