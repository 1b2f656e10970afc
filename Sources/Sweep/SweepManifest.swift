import Foundation
import Tensor

/// The description of a distributed sweep kept in its output folder as `manifest.json`.
///
/// Written once when the folder is prepared; every later step (a task writing its point, the
/// merge) compares it with the grid it was given, so results of two different grids never mix
/// in one folder. The grid is identified by its axes (names and values, in order), `seeds`,
/// `sweep_seed` and `count`; `script` and `created` are kept for the record only.
public struct SweepManifest: Sendable, Hashable, Codable {
    /// The layout version of the output folder (currently 1).
    public var format: Int
    public var axes: [GridAxis]
    public var seeds: Int
    public var sweepSeed: UInt64
    public var count: Int
    /// The path of the script that defines the sweep, if there is one.
    public var script: String?
    /// When the folder was prepared, ISO 8601 in UTC (`2026-11-24T18:40:00Z`).
    public var created: String
    /// The seed the script's random stream started from when the folder was prepared, so every
    /// task replays the statements before the sweep with the same random numbers (nil: not
    /// recorded). Not part of the grid's identity.
    public var scriptSeed: UInt64?

    private enum CodingKeys: String, CodingKey {
        case format, axes, seeds, count, script, created
        case sweepSeed = "sweep_seed"
        case scriptSeed = "script_seed"
    }

    /// The manifest of `grid`.
    public init(grid: Grid, script: String?, scriptSeed: UInt64? = nil, created: Date = Date()) {
        format = 1
        self.scriptSeed = scriptSeed
        axes = grid.axes
        seeds = grid.seeds
        sweepSeed = grid.sweepSeed
        count = grid.count
        self.script = script
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        self.created = formatter.string(from: created)
    }

    /// Nil when this manifest describes `grid`; otherwise a sentence naming the first difference.
    public func mismatch(with grid: Grid) -> String? {
        if axes.map(\.name) != grid.axes.map(\.name) {
            return "its axes are \(list(axes.map(\.name))) but the sweep's are \(list(grid.axes.map(\.name)))"
        }
        for (old, new) in zip(axes, grid.axes) where old.values != new.values {
            return "the axis '\(old.name)' has the values \(list(old.values.map(\.description))) there but \(list(new.values.map(\.description))) in the sweep"
        }
        if seeds != grid.seeds { return "it has \(counted(seeds, "seed")) per combination but the sweep has \(grid.seeds)" }
        if sweepSeed != grid.sweepSeed { return "its sweep seed is \(sweepSeed) but the sweep's is \(grid.sweepSeed)" }
        if count != grid.count { return "it has \(counted(count, "point")) but the sweep has \(grid.count)" }
        return nil
    }

    private func list(_ items: [String]) -> String {
        items.isEmpty ? "(none)" : "[" + items.joined(separator: ", ") + "]"
    }
}
