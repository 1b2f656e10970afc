import Foundation

/// `clock()`: seconds on a monotonic clock since the process first asked, in whole
/// microseconds, for timing parts of a script (`bench/`). It reveals neither the machine's
/// uptime nor timings finer than a microsecond.
let clockBuiltin = Builtin(name: "clock", doc: "Seconds elapsed on a monotonic clock since the first call in this process, to the microsecond (only differences are meaningful).",
    example: """
        let t0 = clock()
        print(clock() >= t0)  # expect: true
        """) { _ in
    let origin = clockOrigin  // set on first use, before the clock is read
    let now = DispatchTime.now().uptimeNanoseconds
    let microseconds = (now - min(origin, now)) / 1_000
    return .number(Double(microseconds) / 1e6)
}

/// The moment `clock()` counts from.
private let clockOrigin = DispatchTime.now().uptimeNanoseconds
