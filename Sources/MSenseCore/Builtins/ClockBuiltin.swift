import Foundation

/// `clock()`: seconds on a monotonic clock, for timing parts of a script (`bench/`).
let clockBuiltin = Builtin(name: "clock", doc: "Seconds elapsed on a monotonic clock (only differences are meaningful).") { _ in
    .number(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
}
