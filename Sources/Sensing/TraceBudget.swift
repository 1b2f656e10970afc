/// The check a run makes before it starts recording: the number of rows it may record is known
/// up front, so a trace that could not fit in memory is refused instead of growing until the
/// allocator aborts the process.
///
/// A recorded row of `c` columns costs `8·(c + 6)` bytes (its `c` doubles, the array's 32-byte
/// header, the outer array's reference and the allocator's rounding); the bound is that times the
/// largest number of rows the run can record, checked by ``MemoryBudget/require(bytes:for:available:advice:)``.
enum TraceBudget {
    /// Bytes of one recorded row of `columns` values.
    static func bytesPerRow(columns: Int) -> Int { 8 * (columns + 6) }

    /// The most rows a `gd` run of `steps` steps recording every `every` records:
    /// `⌊steps/every⌋ + 1` multiples of `every` (step 0 included) plus the last step.
    static func maxRows(steps: Int, every: Int) -> Int { steps / max(every, 1) + 2 }

    /// The most rows a GLRL run records: `⌊rank·stageSteps/every⌋ + 1` multiples of `every`
    /// over the global step count, plus each stage's end and the first stage's start (`2·rank + 1`);
    /// nil when the count overflows `Int`.
    static func maxRows(rank: Int, stageSteps: Int, every: Int) -> Int? {
        let (steps, o1) = rank.multipliedReportingOverflow(by: stageSteps)
        let (ends, o2) = rank.multipliedReportingOverflow(by: 2)
        let (rows, o3) = (steps / max(every, 1)).addingReportingOverflow(ends / 2 + ends / 2 + 2)
        return o1 || o2 || o3 ? nil : rows
    }

    /// Throws ``SensingError/insufficientMemory(_:)`` unless `rows` (nil: overflowed) rows of
    /// `columns` values fit in the memory available (`available` overrides it, for tests).
    static func require(rows: Int?, columns: Int, available: UInt64? = nil) throws(SensingError) {
        let bytes = rows.flatMap { rows in
            let (b, overflow) = rows.multipliedReportingOverflow(by: bytesPerRow(columns: columns))
            return overflow ? nil : b
        }
        try MemoryBudget.require(
            bytes: bytes,
            for: "recording the trace (up to \(rows.map(String.init) ?? "more than \(Int.max)") rows of \(columns) columns)",
            available: available,
            advice: "record fewer rows with a larger every, or take fewer steps")
    }
}
