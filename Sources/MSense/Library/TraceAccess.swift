import MSenseCore
import Sensing

/// Typed access to traces for hosts (a Python data frame, a notebook table): the columns as
/// arrays rather than the row-wise form scripts read.
extension Value {
    /// True when the value is a trace (`run.trace`, `table(...)`), without copying its columns.
    public var isTrace: Bool {
        if case .object(let object) = self { return object is TraceObject }
        return false
    }

    /// A trace's columns in order, each with its values (one per recorded row), or nil when the
    /// value is not a trace (`run.trace`, `table(...)`).
    public var traceColumns: [(name: String, values: [Double])]? {
        guard case .object(let object as TraceObject) = self else { return nil }
        let trace = object.trace
        return trace.columns.enumerated().map { j, name in (name, trace.rows.map { $0[j] }) }
    }

    /// The values of a trace's `column` (one per recorded row), or nil when the value is not a
    /// trace or the trace has no such column.
    public func traceColumn(_ column: TraceColumn) -> [Double]? {
        guard case .object(let object as TraceObject) = self, let j = object.trace.index(of: column) else { return nil }
        return object.trace.rows.map { $0[j] }
    }
}

extension Trace {
    /// The last row's value in `column` as a script value (a run's `loss`, `rel_err`), or `nil`
    /// when the trace has no rows or no such column.
    func lastValue(_ column: TraceColumn) -> Value {
        last(column).map(Value.number) ?? .nil
    }
}
