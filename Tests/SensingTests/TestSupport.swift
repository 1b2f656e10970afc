import Foundation
import Subprocess
import Testing
@testable import Sensing
import Tensor

/// Helpers shared by the Sensing tests: the NumPy oracle runner and tolerant comparisons.
enum Support {
    /// `Tests/Oracle/<name>` next to this file's folder.
    static func oraclePath(_ name: String, file: String = #filePath) -> String {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Oracle").appendingPathComponent(name).path
    }

    /// Runs `python3 script args…` with `input` on stdin; returns stdout, or nil when python3 or
    /// NumPy is unavailable (the test then records an issue).
    static func python(_ script: String, _ args: [String] = [], input: String) throws -> String {
        let run = try Subprocess.run("/usr/bin/env", ["python3", script] + args, input: input, timeout: 600)
        guard run.status == 0, !run.timedOut else {
            throw OracleFailure(message: run.standardError)
        }
        return run.standardOutput
    }

    struct OracleFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { "oracle failed: \(message)" }
    }

    /// Parses CSV text with a header into (columns, rows).
    static func parseCSV(_ text: String) -> (columns: [String], rows: [[Double]]) {
        var lines = text.split(separator: "\n").map(String.init)
        guard !lines.isEmpty else { return ([], []) }
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let rows = lines.map { $0.split(separator: ",").map { Double(String($0)) ?? .nan } }
        return (header, rows)
    }

    /// JSON array text of doubles (shortest round-trip, so the values are exact).
    static func json(_ v: [Double]) -> String { "[" + v.map(\.description).joined(separator: ",") + "]" }

    /// JSON nested array of a matrix.
    static func json(_ m: Matrix) -> String {
        "[" + (0..<m.rows).map { i in json((0..<m.cols).map { m[i, $0] }) }.joined(separator: ",") + "]"
    }

    /// Dense `(m, d, d)` stack of the operator's symmetric parts, flattened in C order.
    static func denseStack(_ op: any SensingOperator) throws -> [Double] {
        var out: [Double] = []
        for i in 0..<op.m { out += try op.measurementMatrix(i).elements }
        return out
    }

    /// Compares two traces column by column: `|a − b| ≤ rel·max(|b|, floor_c)` where `floor_c`
    /// is `1e-5 ×` the largest magnitude in column c of `expected`, and for the `eig` columns the
    /// largest magnitude over all of them. Eigenvalues (and losses) are computed to absolute,
    /// not relative, accuracy ~ε·‖UUᵀ‖ by both sides, so a tiny `eig4` of an over-parameterised
    /// run can only agree to that absolute level (1e-10 × 1e-5 = 1e-15 relative to the scale).
    static func expectClose(
        _ actual: (columns: [String], rows: [[Double]]), _ expected: (columns: [String], rows: [[Double]]),
        rel: Double = 1e-10, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.columns == expected.columns, sourceLocation: sourceLocation)
        #expect(actual.rows.count == expected.rows.count, sourceLocation: sourceLocation)
        guard actual.columns == expected.columns, actual.rows.count == expected.rows.count else { return }
        var worst = (0.0, "", 0)
        let eigColumns = expected.columns.indices.filter { expected.columns[$0].hasPrefix("eig") }
        let eigScale = expected.rows.flatMap { row in eigColumns.map { abs(row[$0]) } }.max() ?? 0
        for c in 0..<expected.columns.count {
            let own = expected.rows.map { abs($0[c]) }.max() ?? 0
            let scale = eigColumns.contains(c) ? eigScale : own
            for (i, (a, b)) in zip(actual.rows, expected.rows).enumerated() {
                let tol = rel * max(abs(b[c]), 1e-5 * scale)
                let excess = abs(a[c] - b[c]) / max(tol, .leastNormalMagnitude)
                if excess > worst.0 { worst = (excess, "\(expected.columns[c]) (\(a[c]) vs \(b[c]))", i) }
            }
        }
        #expect(worst.0 <= 1, "worst mismatch: column \(worst.1), row \(worst.2), \(worst.0)× the tolerance",
                sourceLocation: sourceLocation)
    }

    /// A well-conditioned truth with the given eigenvalues.
    static func truth(d: Int, eigenvalues: [Double], seed: UInt64 = 1) throws -> GroundTruth {
        var rng = Xoshiro256(seed: seed)
        return try GroundTruth(eigenvalues: eigenvalues, d: d, rng: &rng)
    }
}
