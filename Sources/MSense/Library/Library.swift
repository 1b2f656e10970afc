import Foundation

/// The domain vocabulary every interpreter starts with, besides the core builtins: linear
/// algebra, data files, and the sensing experiments (see docs/reference.md).
enum Library {
    static func builtins(random: RandomState, events: RunEvents, sweeps: SweepContext,
                         access: @escaping @Sendable () -> FileAccess) -> [Builtin] {
        LinearAlgebraLibrary.builtins
            + FileLibrary.builtins(access: access)
            + SensingLibrary.builtins(random: random, events: events)
            + PlotLibrary.builtins(access: access)
            + SweepLibrary.builtins(context: sweeps, random: random, events: events)
            + [TableBuiltin.builtin, clockBuiltin]
            + StatisticsLibrary.builtins + RandomLibrary.builtins(random: random) + ArrayLibrary.builtins
            + FigureStyle.builtins
    }
}

/// `clock()`: seconds on a monotonic clock, for timing parts of a script (`bench/`).
let clockBuiltin = Builtin(name: "clock", doc: "Seconds elapsed on a monotonic clock (only differences are meaningful).") { _ in
    .number(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
}

/// The interpreter's file sandbox, readable from builtins on the script thread while the host
/// may replace it between runs.
final class FileAccessBox: @unchecked Sendable {
    // Safety: all access goes through `lock`.
    private let lock = NSLock()
    private var stored = FileAccess.unrestricted

    var value: FileAccess {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
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
    guard index >= 0, index < count else { throw ScriptError("row \(i) is outside \(withArticle(what)) of \(count) rows") }
    return index
}
