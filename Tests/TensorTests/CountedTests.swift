import Testing
import Tensor

/// `counted` states a count with its noun, singular for exactly one.
@Suite("Counted nouns")
struct CountedTests {
    @Test func oneIsSingularEveryOtherCountPlural() {
        #expect(counted(1, "step") == "1 step")
        #expect(counted(0, "step") == "0 steps")
        #expect(counted(3, "step") == "3 steps")
        #expect(counted(-1, "row") == "-1 rows")
        #expect(counted(1, "entry", plural: "entries") == "1 entry")
        #expect(counted(2, "entry", plural: "entries") == "2 entries")
    }
}
