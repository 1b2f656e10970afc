import MSenseCore
import Foundation
import Sensing
import Sweep

/// `sweep(grid, f, seeds:, seed:, jobs:)`: runs `f` at every point of a grid and returns one table.
///
/// The grid is a record of axes, `{alpha: [1e-2, 1e-4], ensemble: ["gaussian", "rank1"]}`, each
/// a list (or range) of numbers or strings, or a single value; `seeds: n` adds the innermost
/// axis `seed_index = 0..<n`. Points are numbered like nested loops, last axis fastest.
/// `f(p)` receives the point as a record (`p.alpha`, `p.seed_index`) and runs with the script's
/// random stream restarted from the point's own seed (docs/sweeps.md gives the formula), so a
/// point computes the same numbers wherever and in whatever order it runs. It returns a record
/// of numbers, strings, bools (1/0) and nils (empty cells), a run (its summary fields) or a
/// number (`value`).
enum SweepLibrary {
    static func builtins(context: SweepContext, random: RandomState, events: RunEvents) -> [Builtin] {
        [
            Builtin(name: "sweep",
                    doc: "Runs f(point) at every point of a grid (a record of axes: lists of numbers or strings), seeds times each, in parallel; returns the table of the points' fields. Each point gets its own seed from seed (default: the script's seed) and its index.",
                    parameters: [Parameter("grid", doc: "a record of axes, e.g. {alpha: [1e-2, 1e-4], lr: [0.05]}"),
                                 Parameter("f", doc: "fn(point) returning a record of numbers/strings, a run, or a number"),
                                 Parameter("seeds", default: .number(1), doc: "repetitions of every combination (adds the axis seed_index)"),
                                 Parameter("seed", default: .nil, doc: "the sweep seed (default: the script's current seed, as set by seed(n))"),
                                 Parameter("jobs", default: .nil, doc: "at most this many points at once (default: one per core; msense sweep --jobs caps it)")],
                example: """
                    seed(1)
                    let t = sweep({x: [1, 2, 3]}, fn(p) => {square: p.x * p.x}, seeds: 2, jobs: 1)
                    print(t.count, t.square)  # expect: 6 [1, 1, 4, 4, 9, 9]
                    print(t.summarize("x", "square").square_mean)  # expect: [1, 4, 9]
                    """) { args in
                let grid = try makeGrid(args, random: random)
                let sweep = SweepCall(function: args["f"], grid: grid, arguments: args, context: context,
                                      random: random, events: events)
                guard case .function = args["f"] else {
                    throw ScriptError("the second argument must be a function of the point, not \(args["f"].typeName)",
                                      hint: "sweep({alpha: [1e-3, 1e-6]}, fn(p) { … return {loss: run.loss} })")
                }
                try args.requireCallable(args["f"], with: 1, role: "f", passed: "the point p",
                                         hint: "sweep({alpha: [1e-3, 1e-6]}, fn(p) { … return {loss: run.loss} }); p.alpha is the point's value")
                let jobs: Int?
                if case .nil = args["jobs"] { jobs = nil } else {
                    let n = try args.integer("jobs")
                    guard n >= 1, n <= SweepRunner.maximumJobs else {
                        throw ScriptError("jobs is \(n); use 1 to \(SweepRunner.maximumJobs)", hint: "more workers than cores only adds overhead")
                    }
                    jobs = n
                }
                return .object(SweepTableObject(try sweep.run(jobs: jobs)))
            }
        ]
    }

    /// The grid described by the arguments of `sweep`.
    static func makeGrid(_ args: Arguments, random: RandomState) throws -> Grid {
        guard case .record(let record) = args["grid"] else {
            throw ScriptError("the grid must be a record of axes, not \(args["grid"].typeName)",
                              hint: "e.g. sweep({alpha: [1e-2, 1e-4, 1e-6]}, experiment, seeds: 5)")
        }
        let axes = try zip(record.names, record.values).map { name, value in
            GridAxis(name, try axisValues(value, axis: name))
        }
        let seeds = try args.integer("seeds")
        let sweepSeed: UInt64
        if case .nil = args["seed"] {
            sweepSeed = random.currentSeed
        } else {
            sweepSeed = try args.seed("seed", "the sweep seed")
        }
        return try Grid(axes: axes, seeds: seeds, sweepSeed: sweepSeed)
    }

    private static func axisValues(_ value: Value, axis: String) throws -> [GridValue] {
        switch value {
        case .list(let list):
            return try list.items.map { try gridValue($0, axis: axis) }
        case .range(let lower, let upper):
            guard upper - lower <= Grid.maximumCount else {
                throw ScriptError("the grid axis '\(axis)' has \(upper - lower) values; a sweep has at most \(Grid.maximumCount) points")
            }
            return lower < upper ? (lower..<upper).map { .number(Double($0)) } : []
        default:
            return [try gridValue(value, axis: axis)]
        }
    }

    private static func gridValue(_ value: Value, axis: String) throws -> GridValue {
        switch value {
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        default:
            throw ScriptError("the grid axis '\(axis)' holds \(withArticle(value.typeName)); axis values are numbers or strings",
                              hint: "to sweep over objects, sweep over names or indices and build the object inside f")
        }
    }

    /// The point as the record `f` receives: the coordinates, then `seed_index`.
    static func record(of point: GridPoint) -> Value {
        let values = point.values.map { named -> Value in
            switch named.value {
            case .number(let x)?: return .number(x)
            case .string(let s)?: return .string(s)
            case nil: return .nil
            }
        }
        return .record(ScriptRecord(names: point.values.map(\.name), values: values))
    }

    /// The table row fields of what `f` returned.
    static func fields(of value: Value) throws -> PointFields {
        switch value {
        case .record(let record):
            var fields = PointFields()
            for (name, field) in zip(record.names, record.values) {
                fields[name] = try cell(field, name: name)
            }
            return fields
        case .object(let run as RunObject):
            return runFields(run.run)
        case .object(let run as ModelRunObject):
            return runFields(run.run)
        case .object(let run as MinimizeRunObject):
            return runFields(trace: run.result.trace, stopReason: run.result.stopReason, lastStep: run.result.lastStep, phases: [])
        case .number(let x):
            return ["value": .number(x)]
        default:
            throw ScriptError("the sweep function returned \(withArticle(value.typeName)); return a record of numbers and strings, a run, or a number",
                              hint: "e.g. return {rel_err: run.rel_err, phase1: run.phases[0].step}")
        }
    }

    private static func cell(_ value: Value, name: String) throws -> GridValue? {
        switch value {
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .bool(let b): return .number(b ? 1 : 0)
        case .nil: return nil
        default:
            throw ScriptError("the field '\(name)' is \(withArticle(value.typeName)); sweep table cells are numbers, strings, bools or nil",
                              hint: "return a summary of it, e.g. a number computed from it")
        }
    }

    /// A run's summary: steps, stop reason, final loss and relative error, and `phase1`, `phase2`, …
    /// (the step at which rank k was learned; empty when it was not).
    static func runFields(_ run: any RecordedRun) -> PointFields {
        runFields(trace: run.trace, stopReason: run.stopReason, lastStep: run.lastStep, phases: run.phases)
    }

    /// The summary of a run that stopped at `lastStep` for `stopReason` (a `minimize` run has no
    /// phases, so no `phase` columns).
    static func runFields(trace: Trace, stopReason: StopReason, lastStep: Int, phases: [Phase]) -> PointFields {
        var fields = PointFields()
        fields["steps"] = .number(Double(lastStep))
        fields["stop"] = .string(stopReason.rawValue)
        for column in [TraceColumn.loss, .relativeError] {
            if let value = trace.last(column) { fields[column.name] = .number(value) }
        }
        for phase in phases {
            fields["phase\(phase.k)"] = phase.step.map { .number(Double($0)) }
        }
        return fields
    }
}
