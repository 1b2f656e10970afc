import Testing
@testable import MSense
@testable import MSenseCore

/// "Did you mean …?" hints: the edit distance, the cut-off, and a winner that does not depend
/// on the order of the candidates.
@Suite("Suggestions")
struct SuggestionTests {
    @Test func distanceCountsSwapsOfNeighboursAsOneEdit() {
        #expect(Suggestions.distance("lgo", "log") == 1)
        #expect(Suggestions.distance("log", "log") == 0)
        #expect(Suggestions.distance("", "abc") == 3)
        #expect(Suggestions.distance("kitten", "sitting") == 3)
        #expect(Suggestions.distance("ca", "abc") == 3, "optimal string alignment: no edit of a swapped pair")
        #expect(Suggestions.distance("lerning", "learning") == 1)
    }

    @Test func theClosestCandidateWinsAndTiesGoAlphabetically() {
        let names = ["len", "log", "gd", "lr"]
        #expect(Suggestions.didYouMean("lgo", among: names) == "did you mean 'log'?")
        #expect(Suggestions.didYouMean("lq", among: names) == "did you mean 'lr'?")
        for order in [names, names.reversed(), ["gd", "lr", "log", "len"]] {
            // "lg" is one edit from both "log" and "lr".
            #expect(Suggestions.didYouMean("lg", among: order) == "did you mean 'log'?", "\(order)")
        }
        #expect(Suggestions.didYouMean("zzzz", among: names) == nil, "too far from everything")
        #expect(Suggestions.didYouMean("ab", among: ["xy"]) == nil, "replacing every letter is not a typo")
        #expect(Suggestions.didYouMean("y", among: ["_", "x"]) == nil, "another one-character name is not a typo")
        #expect(Suggestions.didYouMean("x", among: ["_", "X"]) == "did you mean 'X'?", "a change of case is")
        #expect(Suggestions.didYouMean("x", among: ["x1"]) == "did you mean 'x1'?")
    }
}
