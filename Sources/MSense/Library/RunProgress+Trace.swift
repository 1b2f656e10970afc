import MSenseCore
import Sensing

extension RunProgress {
    /// Forwards a recorded trace row to the host (its column names with the first row).
    func row(_ row: TraceRow) {
        self.row(columns: {
            if case .record(let record) = row.record { return record.names }
            return nil
        }(), values: row.values)
    }
}
