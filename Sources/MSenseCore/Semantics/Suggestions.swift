/// "Did you mean …?" hints from edit distance.
package enum Suggestions {
    /// A hint naming the candidate closest to `name`, when one is close enough to be a typo
    /// (edit distance at most 2, and less than the name's length; between one-character names,
    /// only a change of case). Among equally close
    /// candidates the alphabetically first wins, so the hint is the same on every run whatever
    /// order the candidates come in.
    package static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let d = distance(name, candidate)
            guard d <= 2, d < max(name.count, 2) else { continue }
            // Two one-character names are different names (y is not a typo of _ or x) unless
            // they differ only in case (x for X).
            if name.count == 1, candidate.count == 1, name.lowercased() != candidate.lowercased() { continue }
            if let current = best, (current.distance, current.name) <= (d, candidate) { continue }
            best = (candidate, d)
        }
        return best.map { "did you mean '\($0.name)'?" }
    }

    /// Edit distance between `a` and `b` counting insertions, deletions, substitutions and
    /// swaps of two adjacent characters as one edit each (optimal string alignment), so `lgo`
    /// is one edit from `log`.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var beforePrevious = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var row = previous
        for i in 1...x.count {
            row[0] = i
            for j in 1...y.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    row[j] = min(row[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, row) = (previous, row, beforePrevious)
        }
        return previous[y.count]
    }
}
