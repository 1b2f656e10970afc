import Foundation

extension SweepTable {
    /// The table grouped by the columns `by`, with the mean, spread and count of each column in
    /// `of` per group: what an error-bar plot across seeds needs.
    ///
    /// Groups appear in the order their first row appears. Columns: the `by` columns, then for
    /// each `c` in `of`: `c_mean`, `c_std`, `c_n`. Over the numbers x₁…xₙ of column `c` in a group
    /// (empty and text cells are skipped, so a rank never learned does not count; NaN counts and
    /// makes the mean NaN):
    ///
    ///     c_mean = (1/n) Σ xᵢ
    ///     c_std  = √( Σ (xᵢ − c_mean)² / (n − 1) )   (the sample standard deviation; 0 when n = 1)
    ///     c_n    = n
    ///
    /// With n = 0 the mean and spread are empty cells.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` for a column name the table lacks, or an
    ///   empty `of`.
    public func summarized(by groupColumns: [String], of valueColumns: [String]) throws(SweepError) -> SweepTable {
        guard !valueColumns.isEmpty else {
            throw .invalidArgument("name at least one column to summarise (of: [\"phase1\", …])")
        }
        let groupIndices = try groupColumns.map { name throws(SweepError) in try index(of: name) }
        let valueIndices = try valueColumns.map { name throws(SweepError) in try index(of: name) }

        var keys: [[TableCell]] = []
        var members: [[TableCell]: [Int]] = [:]
        for (r, row) in rows.enumerated() {
            let key = groupIndices.map { row[$0] }
            if members[key] == nil { keys.append(key) }
            members[key, default: []].append(r)
        }
        var header = groupColumns
        for name in valueColumns { header += [name + "_mean", name + "_std", name + "_n"] }
        let summaryRows = keys.map { key -> [TableCell] in
            var out = key
            for j in valueIndices {
                let xs = members[key, default: []].compactMap { r -> Double? in
                    if case let .number(x) = rows[r][j] { return x }
                    return nil
                }
                guard !xs.isEmpty else {
                    out += [.empty, .empty, .number(0)]
                    continue
                }
                let mean = xs.reduce(0, +) / Double(xs.count)
                let spread = xs.count < 2 ? 0
                    : (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)).squareRoot()
                out += [.number(mean), .number(spread), .number(Double(xs.count))]
            }
            return out
        }
        return try SweepTable(columns: header, rows: summaryRows)
    }

    private func index(of name: String) throws(SweepError) -> Int {
        guard let k = columns.firstIndex(of: name) else {
            throw .invalidArgument("the table has no column '\(name)'; its columns are \(columns.joined(separator: ", "))")
        }
        return k
    }
}
