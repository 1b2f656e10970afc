/// "Did you mean …?" hints from edit distance.
enum Suggestions {
    /// A hint naming the candidate closest to `name`, when one is close enough to be a typo
    /// (Levenshtein distance at most 2, and less than the name's length).
    static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        for candidate in candidates where candidate != name {
            let d = distance(name, candidate)
            if d <= 2, d < max(name.count, 2), d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best.map { "did you mean '\($0.0)'?" }
    }

    /// Levenshtein distance between `a` and `b` (insertions, deletions, substitutions).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var row = previous
        for i in 1...x.count {
            row[0] = i
            for j in 1...y.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&row, &previous)
        }
        return previous[y.count]
    }
}
