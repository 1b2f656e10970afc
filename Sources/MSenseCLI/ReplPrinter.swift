import Foundation
import MSense
import Sensing
import Tensor

/// How the REPL shows a result: matrices aligned under a shape header and elided past a
/// screen, traces as a short table with a sparkline of the loss, runs as their summary line over
/// their trace's table, anything else as `print` would.
enum ReplPrinter {
    static let maxRows = 12
    static let maxColumns = 8

    static func render(_ value: Value) -> String {
        switch value {
        case .matrix(let m): return matrix(m)
        case .object where value.isTrace: return trace(value)
        case .object(let object) where recordedTrace(of: object) != nil:
            return object.describe() + "\n" + trace(recordedTrace(of: object) ?? .nil)
        default: return Interpreter.display(value)
        }
    }

    /// Indices to show out of `count`, with `nil` marking the elided middle.
    static func shown(_ count: Int, limit: Int) -> [Int?] {
        guard count > limit else { return Array(0..<count) }
        let head = limit / 2, tail = limit - head - 1
        return Array(0..<head) + [nil] + Array((count - tail)..<count)
    }

    /// A table or matrix cell: integers whole, others to 6 significant digits; NaN and the
    /// infinities as `print` shows them (`nan`, `inf`, `-inf`; printf would write `-nan` for
    /// a NaN with its sign bit set).
    static func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e9 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }

    static func matrix(_ m: Matrix) -> String {
        let rows = shown(m.rows, limit: maxRows), cols = shown(m.cols, limit: maxColumns)
        let cells: [[String]] = rows.map { i in
            cols.map { j in
                guard let i else { return "⋮" }
                guard let j else { return "…" }
                return number(m[i, j])
            }
        }
        let widths = cols.indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
        var out = "\(m.rows)×\(m.cols) matrix\n"
        for row in cells {
            out += "  " + row.enumerated().map { c, text in
                String(repeating: " ", count: widths[c] - text.count) + text
            }.joined(separator: "  ") + "\n"
        }
        return String(out.dropLast())
    }

    /// The trace a run records (its `trace` field), or nil for an object that is not a run.
    static func recordedTrace(of object: any ScriptObject) -> Value? {
        guard object.fieldNames.contains("trace"), let trace = try? object.field(named: "trace"), trace.isTrace else { return nil }
        return trace
    }

    static func trace(_ value: Value) -> String {
        guard let table = value.traceColumns else { return Interpreter.display(value) }
        let columns = table.map(\.name)
        let count = table.first?.values.count ?? 0
        let shownColumns = Array(columns.prefix(6))
        let data = table.prefix(6).map(\.values)
        let rows = shown(count, limit: 8)
        var cells: [[String]] = [shownColumns + (columns.count > 6 ? ["…"] : [])]
        for i in rows {
            guard let i else {
                cells.append(shownColumns.map { _ in "⋮" } + (columns.count > 6 ? [""] : []))
                continue
            }
            cells.append(data.map { number($0[i]) } + (columns.count > 6 ? ["…"] : []))
        }
        let widths = cells[0].indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
        var out = "trace: \(counted(Int(count), "row")) × \(counted(columns.count, "column"))\n"
        for row in cells {
            out += "  " + row.enumerated().map { c, text in
                String(repeating: " ", count: widths[c] - text.count) + text
            }.joined(separator: "  ") + "\n"
        }
        if let loss = value.traceColumn(.loss) {
            out += "  loss " + sparkline(loss) + "\n"
        }
        return String(out.dropLast())
    }

    /// A one-line sketch of `values` (log scale when all are positive), at most 48 characters.
    static func sparkline(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return "" }
        let logScale = finite.allSatisfy { $0 > 0 }
        let points = stride(from: 0, to: values.count, by: max(1, values.count / 48)).map { values[$0] }
        let mapped = points.map { v -> Double in v.isFinite ? (logScale ? log10(v) : v) : .nan }
        let lo = mapped.filter(\.isFinite).min() ?? 0, hi = mapped.filter(\.isFinite).max() ?? 1
        let bars = Array("▁▂▃▄▅▆▇█")
        // Halved before subtracting, so a range wider than the largest double (−1.7e308 to
        // 1.7e308) still gives a finite fraction.
        let span = hi / 2 - lo / 2
        let line = mapped.map { v -> Character in
            guard v.isFinite else { return " " }
            let fraction = span > 0 ? (v / 2 - lo / 2) / span : 3.0 / 7
            return bars[min(max(Int((fraction * 7).rounded()), 0), 7)]
        }
        return String(line) + (logScale ? "  (log scale)" : "")
    }
}
