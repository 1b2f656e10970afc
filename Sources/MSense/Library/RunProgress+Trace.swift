import MSenseCore
import Sensing

extension RunProgress {
    /// The `onRow` callback of a run: forwards each recorded trace row to the host (its column
    /// names with the first row); nil when the host does not hear rows, so the run builds none.
    var traceRows: ((TraceRow) -> Void)? {
        guard wantsRows else { return nil }
        return { row in self.row(columns: row.columns.map(\.name), values: row.values) }
    }

    /// The `onRow` callback of a factor-model run, as ``traceRows``.
    var modelRows: ((ModelTraceRow) -> Void)? {
        guard wantsRows else { return nil }
        return { row in self.row(columns: row.columns, values: row.values) }
    }
}
