import Tensor

/// One point of a grid: its index, its coordinates, and its derived seed.
public struct GridPoint: Sendable, Hashable {
    /// The position in the grid's order, `0..<count` (see ``Grid``).
    public let index: Int
    /// One value per axis in the order the axes were written, then `seed_index`.
    public let values: [NamedValue]
    /// Which of the grid's `seeds` repetitions this is, `0..<seeds`.
    public let seedIndex: Int
    /// `pointSeed(sweepSeed:index:)`: the seed this point should give its random generators.
    public let seed: UInt64

    /// A fresh xoshiro256** generator seeded with ``seed``: the point's own random stream.
    public func makeGenerator() -> Xoshiro256 { Xoshiro256(seed: seed) }

    /// The coordinate named `name`, or nil when the grid has no such axis.
    public subscript(name: String) -> GridValue? {
        values.first(where: { $0.name == name })?.value
    }
}
