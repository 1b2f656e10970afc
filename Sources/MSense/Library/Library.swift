import MSenseCore
import Foundation
import Tensor

/// The standard domain libraries a host opens in an interpreter (`Interpreter(output:)` opens
/// them all, as the command line does): each a named set of builtins over the language core.
public struct StandardLibrary: MSenseLibrary {
    public let name: String
    private let make: @Sendable (LibraryContext) -> [Builtin]

    private init(_ name: String, _ make: @escaping @Sendable (LibraryContext) -> [Builtin]) {
        self.name = name
        self.make = make
    }

    public func builtins(_ context: LibraryContext) -> [Builtin] { make(context) }

    /// Matrix algebra: products, decompositions, norms, solves.
    public static let linearAlgebra = StandardLibrary("linear algebra") { _ in LinearAlgebraLibrary.builtins }
    /// Data files: `load` and `save` of .npy, .npz, .csv and .json, inside the host's `FileAccess`.
    public static let files = StandardLibrary("files") { context in FileLibrary.builtins(access: context.accessReader) }
    /// Sensing experiments: truths, ensembles, problems, initialisations, runs, traces, tables.
    public static let sensing = StandardLibrary("sensing") { context in
        SensingLibrary.builtins(random: context.random, events: context.events) + [TableBuiltin.builtin]
    }
    /// Figures: line plots, scatter plots, bands and heatmaps written as SVG or PNG, inside the
    /// host's `FileAccess`, or shown by the host.
    public static let plots = StandardLibrary("plots") { context in
        PlotLibrary.builtins(access: context.accessReader) + FigureStyle.builtins + DisplayLibrary.builtins
    }
    /// Numerical work: reductions, grids, random draws from the seeded stream, building matrices.
    public static let numerics = StandardLibrary("numerics") { context in
        StatisticsLibrary.builtins + RandomLibrary.builtins(random: context.random) + ArrayLibrary.builtins
    }
    /// Sweeps: grids of experiments run in parallel here or as a SLURM job array (``SweepMode``).
    public static let sweeps = StandardLibrary("sweeps") { context in
        SweepLibrary.builtins(context: context.sweepContext, random: context.random, events: context.events)
    }
    /// Differentiation: `grad` of functions written in the language (docs/autodiff.md).
    public static let differentiation = StandardLibrary("differentiation") { _ in DifferentiationLibrary.builtins }
    /// Optimization: optimizer values (adam, rmsprop, …, custom rules) and `minimize` runs with
    /// metrics, a blow-up guard, mini-batches and checkpoints (docs/optimizers.md).
    public static let optimization = StandardLibrary("optimization") { context in OptimizationLibrary.builtins(context) }

    /// Every standard library, in the order the command line opens them.
    public static let all: [StandardLibrary] = [linearAlgebra, numerics, files, sensing, plots, sweeps, differentiation, optimization]
}

extension Interpreter {
    /// An interpreter with the core builtins and every standard library (``StandardLibrary/all``).
    ///
    /// - Parameters:
    ///   - output: receives everything `print` writes (the library never writes to stdout itself).
    ///   - arguments: the script's command-line arguments, visible as the global list `args`.
    ///   - maxCallDepth: nested calls allowed before "stack depth exceeded" (at most 100 000).
    public convenience init(output: @escaping @Sendable (String) -> Void, arguments: [String] = [], maxCallDepth: Int = 10_000) {
        self.init(output: output, arguments: arguments, maxCallDepth: maxCallDepth, libraries: StandardLibrary.all)
    }
}

/// A name or a list of names (figure paths, table columns): `what` names the argument in errors.
func oneOrMoreStrings(_ value: Value, _ what: String) throws -> [String] {
    switch value {
    case .string(let s): return [s]
    case .list(let list):
        return try list.items.map { item in
            guard case .string(let s) = item else { throw ScriptError("\(what) must be strings, found \(item.typeName)") }
            return s
        }
    default: throw ScriptError("\(what) must be a string or a list of strings, not \(value.typeName)")
    }
}

/// Row `i` of a table of `count` rows (negative counts from the end), or an error naming both.
func tableRow(_ i: Int, of count: Int, _ what: String) throws -> Int {
    let index = i < 0 ? count + i : i
    guard index >= 0, index < count else { throw ScriptError("row \(i) is outside \(withArticle(what)) of \(counted(count, "row"))") }
    return index
}
