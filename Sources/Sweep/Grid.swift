import Tensor

/// A grid of experiments: the cartesian product of named axes, repeated over `seeds` seeds.
///
/// **Order.** Points are numbered like nested loops in the order the axes are written, with the
/// last axis varying fastest and an implicit innermost axis `seed_index = 0..<seeds`:
///
///     for a₀ in axis₀ { for a₁ in axis₁ { … for s in 0..<seeds { point } } }
///
/// so with axis sizes `n₀, n₁, …, n_{k−1}` and `n_k = seeds`, point `i` has coordinates
/// `cⱼ = ⌊i / (n_{j+1} ⋯ n_k)⌋ mod nⱼ`, and `count = n₀ · n₁ ⋯ n_k`.
///
/// **Seeds.** Point `i` has seed `pointSeed(sweepSeed:index: i)` (SplitMix64 finaliser of
/// `sweepSeed + i·0x9E3779B97F4A7C15`), so each point is deterministic on its own and
/// independent of the others, wherever and in whatever order it runs.
public struct Grid: Sendable, Hashable {
    /// The largest number of points a grid may have. A sweep is run and stored point by point
    /// (one file per point on SLURM); beyond a million points that is a mistake, not a plan.
    public static let maximumCount = 1_000_000

    /// Column names a grid reserves for itself; axes and returned fields may not use them.
    public static let reservedNames: Set<String> = ["seed_index", "seed", "status", "error"]

    /// The axes in the order written; the last varies fastest.
    public let axes: [GridAxis]
    /// Repetitions of every combination (`seed_index = 0..<seeds`), at least 1.
    public let seeds: Int
    /// The sweep's seed, from which every point's seed is derived.
    public let sweepSeed: UInt64
    /// The number of points: the product of the axis sizes and `seeds`.
    public let count: Int

    /// A checked grid.
    ///
    /// - Throws: ``SweepError/invalidGrid(_:)`` for an empty axis name, a duplicate or reserved
    ///   name, an axis without values, a non-finite number, `seeds < 1`, or more than
    ///   ``maximumCount`` points.
    public init(axes: [GridAxis], seeds: Int = 1, sweepSeed: UInt64 = 0) throws(SweepError) {
        guard seeds >= 1 else {
            throw .invalidGrid("seeds is \(seeds); a sweep needs at least 1 seed per grid combination")
        }
        var seen = Set<String>()
        var count = seeds
        for axis in axes {
            guard !axis.name.isEmpty else {
                throw .invalidGrid("a grid axis has an empty name; give every axis a name")
            }
            guard !Self.reservedNames.contains(axis.name) else {
                throw .invalidGrid(
                    "the grid axis '\(axis.name)' uses a reserved name; rename it (seed_index, seed, status and error are columns of every sweep table)")
            }
            guard seen.insert(axis.name).inserted else {
                throw .invalidGrid("the grid axis '\(axis.name)' appears twice; each axis name must be unique")
            }
            guard !axis.values.isEmpty else {
                throw .invalidGrid("the grid axis '\(axis.name)' has no values; give it at least one")
            }
            for (k, value) in axis.values.enumerated() {
                if let x = value.number, !x.isFinite {
                    throw .invalidGrid(
                        "value \(k) of the grid axis '\(axis.name)' is \(NumberText.compact(x)); grid values must be finite numbers or strings")
                }
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            guard !overflow, product <= Self.maximumCount else {
                throw .invalidGrid(
                    "the grid has more than \(Self.maximumCount) points (at the axis '\(axis.name)'); split the sweep or use fewer values")
            }
            count = product
        }
        guard count <= Self.maximumCount else {
            throw .invalidGrid("the grid has \(count) points, more than \(Self.maximumCount); use fewer seeds")
        }
        self.axes = axes
        self.seeds = seeds
        self.sweepSeed = sweepSeed
        self.count = count
    }

    /// The coordinate columns of every point: the axis names, then `seed_index`.
    public var coordinateNames: [String] { axes.map(\.name) + ["seed_index"] }

    /// Point number `index` (see the type's documentation for the order and the seed).
    ///
    /// - Throws: ``SweepError/indexOutOfRange(index:count:)`` unless `0 ≤ index < count`.
    public func point(at index: Int) throws(SweepError) -> GridPoint {
        guard index >= 0, index < count else { throw .indexOutOfRange(index: index, count: count) }
        var rest = index / seeds
        let seedIndex = index % seeds
        var coordinates = [NamedValue](repeating: NamedValue("", nil), count: axes.count)
        for j in axes.indices.reversed() {
            let n = axes[j].values.count
            coordinates[j] = NamedValue(axes[j].name, axes[j].values[rest % n])
            rest /= n
        }
        coordinates.append(NamedValue("seed_index", .number(Double(seedIndex))))
        return GridPoint(
            index: index, values: coordinates, seedIndex: seedIndex,
            seed: pointSeed(sweepSeed: sweepSeed, index: index))
    }
}
