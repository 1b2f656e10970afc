// EmbedDemo: what a host tool does with the MSense library.
//
//   swift run -c release EmbedDemo
//
// 1. registers a native Swift function scripts call like a builtin (named, documented parameters);
// 2. runs an experiment script, receiving its output through a sink and its trace rows live;
// 3. reads results back with typed accessors;
// 4. cancels a long run from another thread;
// 5. sandboxes files and limits steps, and shows errors as diagnostics (values, not text).
import Dispatch
import Foundation
import MSense

/// Everything the script prints arrives here; the library itself never prints.
let output: @Sendable (String) -> Void = { text in
    for line in text.split(separator: "\n") { print("[script] \(line)") }
}
let interpreter = Interpreter(output: output)

// 1. A native function: n numbers spaced evenly in log scale from lo to hi.
interpreter.register(Builtin(
    name: "log_spaced",
    doc: "n numbers from lo to hi, evenly spaced on a log scale (e.g. a grid of α).",
    parameters: [Parameter("lo", doc: "the first value (> 0)"),
                 Parameter("hi", doc: "the last value (> 0)"),
                 Parameter("n", default: 5, doc: "how many values (≥ 2)")]
) { args in
    let lo = try args.number(0), hi = try args.number(1), n = try args.integer(2)
    guard lo > 0, hi > 0, n >= 2 else { throw ScriptError("log_spaced needs lo, hi > 0 and n ≥ 2") }
    return .list((0..<n).map { k in .number(lo * pow(hi / lo, Double(k) / Double(n - 1))) })
})

// 2. Live trace rows: the handler runs on the interpreter's thread while gd runs.
let rowsSeen = Counter()
interpreter.onRunEvent = { event in
    switch event {
    case let .started(kind, total): print("[host] \(kind) started, \(total) steps")
    case let .row(_, columns, values):
        rowsSeen.increment()
        if let step = columns.firstIndex(of: "step"), let loss = columns.firstIndex(of: "loss"), values[step] <= 400 {
            print("[host] live row: step \(Int(values[step]))  loss \(values[loss])")
        }
    case let .finished(kind, done, total, completed):
        print("[host] \(kind) \(completed ? "finished" : "failed") after \(done) of \(total) steps")
    case .progress: break
    }
}

let experiment = """
    seed(2023)
    let alphas = log_spaced(1e-6, 1e-2, n: 3)
    let problem = sensing(psd(20, eigs: [1.0, 0.5, 0.25]), gaussian(m: 1000, d: 20))
    let run = gd(problem, init: small(20, 5, alpha: alphas[0]), lr: 0.05, steps: 1600, every: 100)
    print("ranks learned at", [run.phases[0].step, run.phases[1].step, run.phases[2].step])
    run
    """
do {
    let value = try interpreter.run(source: experiment, path: "experiment.msense")
    // 3. Typed accessors.
    let relErr = value[field: "rel_err"]?.doubleValue ?? .nan
    let alphas = interpreter.global("alphas")?.listValue?.compactMap(\.doubleValue) ?? []
    print("[host] final relative error \(relErr); α grid \(alphas); \(rowsSeen.value) rows streamed")
} catch {
    print("[host] unexpected failure:\n\(error.rendered(color: false))")
    exit(1)
}

// 4. Cancel a run that would take minutes, from another thread, once it has shown progress:
// its first live row says it is running (a cancel sent before `run` begins is cleared by it).
let running = DispatchSemaphore(value: 0)
interpreter.onRunEvent = { event in if case .row = event { running.signal() } }
DispatchQueue.global().async {
    running.wait()
    interpreter.cancel()
}
let started = Date()
do {
    _ = try interpreter.run(source: "let long = gd(problem, init: small(20, 5, alpha: 1e-6), lr: 0.05, steps: 100000000)",
                            path: "long.msense")
    print("[host] the long run was not cancelled")
    exit(1)
} catch {
    let diagnostic = error.diagnostics[0]
    print(String(format: "[host] cancelled after %.2f s: %@:%d:%d %@", Date().timeIntervalSince(started),
                 diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.message))
}
interpreter.onRunEvent = nil
print("[host] bindings survive: problem is a \(interpreter.global("problem")?.typeName ?? "missing")")

// 5. A sandbox without file access, and a step limit; errors are values with a location.
interpreter.fileAccess = .none
interpreter.limits = Limits(steps: 10_000)
for source in ["save(run.trace, \"trace.csv\")", "let i = 0\nwhile true { i += 1 }"] {
    do {
        _ = try interpreter.run(source: source, path: "untrusted.msense")
    } catch {
        for d in error.diagnostics { print("[host] refused: \(d.path):\(d.line):\(d.column): \(d.message)") }
    }
}
print("[host] done")

/// A counter the event handler (another thread) and the host both touch.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
