import Foundation
import Testing
@testable import MSense

/// Work proportional to a value's size (`==`, text, JSON, strings) counts against the step
/// limit, and allocations under 4 MiB against the memory limit as they add up
/// (docs/embedding.md § Steps and § Memory).
@Suite("Limits: linear work and small allocations")
struct LinearWorkLimitTests {
    /// Two lists of a million numbers: each is 10⁶ operations (about one step) to compare, and
    /// about 8·10⁶ (the items and the text's bytes) to write as text or JSON.
    static let lists = "let a = list(range(1000000))\nlet b = list(range(1000000))\n"

    /// Runs `source` with `limits`; expects a step-limit error on `line`.
    func expectStepLimit(_ source: String, _ limits: Limits, line: Int, host: HostileHost? = nil,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let host = host ?? HostileHost(limits: limits)
        guard let diagnostic = host.failure(source) else {
            Issue.record("the script ran to its end", sourceLocation: sourceLocation)
            return
        }
        #expect(diagnostic.message.contains("step limit exceeded"), "\(diagnostic.message)", sourceLocation: sourceLocation)
        #expect(diagnostic.line == line, "\(diagnostic.line): \(diagnostic.message)", sourceLocation: sourceLocation)
        #expect(host.isUsable, sourceLocation: sourceLocation)
    }

    /// 400 comparisons take about 410 steps of iterations and calls, and 400 more of comparing.
    @Test func wholeValueEqualityCountsItsItems() {
        let loop = "let n = 0\nfor i in 0..400 { if a == b { n += 1 } }\n"
        expectStepLimit(Self.lists + loop, Limits(steps: 600), line: 4)
        #expect(HostileHost(limits: Limits(steps: 1000)).failure(Self.lists + loop) == nil)
        let matrices = "let A = zeros(1000, 1000)\nlet B = zeros(1000, 1000)\nlet n = 0\nfor i in 0..400 { if A == B { n += 1 } }\n"
        expectStepLimit(matrices, Limits(steps: 600), line: 4)
    }

    /// Thirty texts take at most 68 steps of iterations and calls, and about 250 more of writing.
    @Test(arguments: [
        "for i in 0..30 { let s = str(a) }",
        "for i in 0..30 { let s = \"a is \\(a)\" }",
        "for i in 0..30 { print(a) }",
        "for i in 0..30 { let s = join([a], \"\") }",
    ])
    func textCountsItsItemsAndBytes(_ loop: String) {
        expectStepLimit(Self.lists + loop, Limits(steps: 100), line: 3)
    }

    /// Saving and loading a list of half a million numbers as JSON: about 4·10⁶ operations
    /// each (its items and bytes, its bytes read), thirty times.
    @Test func jsonSaveAndLoadCountTheirWork() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let access = FileAccess(canRead: true, canWrite: true, root: scratch.url)
        let save = "let a = list(range(500000))\nfor i in 0..30 { save(a, \"a.json\") }\n"
        expectStepLimit(save, Limits(steps: 100), line: 2, host: HostileHost(access: access, limits: Limits(steps: 100)))
        #expect(HostileHost(access: access).failure("save(list(range(500000)), \"a.json\")") == nil)
        let load = "for i in 0..30 { let a = load(\"a.json\") }\n"
        expectStepLimit(load, Limits(steps: 100), line: 1, host: HostileHost(access: access, limits: Limits(steps: 100)))
    }

    /// Copying, comparing and counting the characters of a string of 7.9 MB, thirty times: at
    /// most 72 steps of iterations, calls and building it, and about 225 more of reading it.
    @Test(arguments: [
        "for i in 0..30 { let t = s + \"!\" }",
        "for i in 0..30 { let t = s < s }",
        "for i in 0..30 { let t = len(s) }",
    ])
    func stringWorkCountsItsBytes(_ loop: String) {
        let string = "let s = join(list(range(1000000)), \"x\")\n"
        expectStepLimit(string + loop, Limits(steps: 150), line: 2)
    }

    /// `sum` and `max` go through a list's items: forty rounds are 168 steps of iterations and
    /// calls, and about 115 more of reading.
    @Test func builtinsReadingAListCountItsItems() {
        expectStepLimit(Self.lists + "for i in 0..40 { let t = sum(a) + sum(b) + max(a) }", Limits(steps: 220), line: 3)
    }

    /// The statistics read every number of their argument: forty rounds of three reductions over
    /// a million numbers are 160 steps of iterations and calls and about 115 of reading, for a
    /// list, a matrix, and a matrix along an axis.
    @Test func statisticsCountTheNumbersTheyRead() {
        expectStepLimit(Self.lists + "for i in 0..40 { let t = mean(a) + var(b) + std(a) }", Limits(steps: 220), line: 3)
        expectStepLimit("let M = zeros(1000, 1000)\nfor i in 0..40 { let t = mean(M) + std(M) + argmax(M) }",
                        Limits(steps: 220), line: 2)
        expectStepLimit("let M = zeros(1000, 1000)\nfor i in 0..40 { let t = mean(M, axis: 0) @ mean(M, axis: 1) + std(M, axis: 0) @ ones(1000, 1) }",
                        Limits(steps: 220), line: 2)
    }

    /// Matrices of 3.9 MB each, under the 4 MiB a single allocation is checked from: kept one
    /// after another under a 100 MB limit, they are refused once their sum reaches the limit,
    /// give or take the 6.25 MB (limit / 16) counted between checks, not after the loop's 150
    /// (590 MB). The limit is on the process's growth, which tests running alongside add to or
    /// take from (memory they free while this runs is room for this run), so the bound checked is
    /// four times the limit, still well below the whole loop's 5.9.
    @Test func smallAllocationsAreCheckedAsTheyAddUp() throws {
        let limit = 100_000_000
        let host = HostileHost(limits: Limits(memoryBytes: limit))
        let source = "let keep = []\nfor i in 0..150 {\n    push(keep, zeros(700, 700))\n    print(i)\n}\n"
        let diagnostic = try #require(host.failure(source))
        #expect(diagnostic.message.contains("memory limit exceeded"), "\(diagnostic.message)")
        #expect(diagnostic.line == 3, "\(diagnostic.line): \(diagnostic.message)")
        let kept = host.output.text.split(separator: "\n").count
        #expect(kept * 700 * 700 * 8 <= 4 * limit, "kept \(kept) matrices")
        #expect(host.isUsable)
    }
}
