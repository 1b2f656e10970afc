/// How a run keeps its trace within memory, so that a trace that could not fit is refused with
/// an error instead of growing until the allocator aborts the process.
///
/// A recorded row of `c` columns costs `8·(c + 6)` bytes (its `c` doubles, the array's 32-byte
/// header, the outer array's reference and the allocator's rounding). Two checks use it:
///
/// - **Up front**, for a `gd` run that can only end at its step budget (no `tol`, no stop
///   predicate): the most rows it can record, `⌊steps/every⌋ + 2`, must fit. A run with an early
///   stop is not refused up front: `steps: 10⁹, tol: 1e-6` means "until converged".
/// - **While recording**, for every run: each time the trace's row storage is full (it doubles
///   when it grows) and holds more than 4 MiB, as many rows again must fit.
enum TraceBudget {
    /// Bytes of one recorded row of `columns` values.
    static func bytesPerRow(columns: Int) -> Int { 8 * (columns + 6) }

    /// The most rows a `gd` run of `steps` steps recording every `every` records:
    /// `⌊steps/every⌋ + 1` multiples of `every` (step 0 included) plus the last step; nil when
    /// that overflows `Int`.
    static func maxRows(steps: Int, every: Int) -> Int? {
        let (rows, overflow) = (steps / max(every, 1)).addingReportingOverflow(2)
        return overflow ? nil : rows
    }

    /// Throws ``SensingError/insufficientMemory(_:)`` unless `rows` (nil: overflowed) rows of
    /// `columns` values fit in the memory available (`available` overrides it, for tests).
    static func require(rows: Int?, columns: Int, available: UInt64? = nil) throws(SensingError) {
        try MemoryBudget.require(
            bytes: bytes(rows: rows, columns: columns),
            for: "recording the trace (up to \(rows.map(String.init) ?? "more than \(Int.max)") rows of \(columns) columns)",
            available: available,
            advice: "record fewer rows with a larger every, or take fewer steps")
    }

    /// Throws unless a trace holding `rows` rows of `columns` values can grow by as many again;
    /// called when its storage is full (free while the trace is below 4 MiB).
    static func requireGrowth(rows: Int, columns: Int, available: UInt64? = nil) throws(SensingError) {
        try MemoryBudget.require(
            bytes: bytes(rows: rows, columns: columns),
            for: "recording more of the trace (\(rows) rows of \(columns) columns so far, as many again)",
            available: available,
            advice: "record fewer rows with a larger every, or stop earlier")
    }

    private static func bytes(rows: Int?, columns: Int) -> Int? {
        rows.flatMap { rows in
            let (b, overflow) = rows.multipliedReportingOverflow(by: bytesPerRow(columns: columns))
            return overflow ? nil : b
        }
    }
}
