import Foundation
import Testing
@testable import MSense

/// Allocations under 4 MiB count against the memory limit as they add up (docs/embedding.md
/// § Memory).
@Suite("Limits: linear work and small allocations")
struct LinearWorkLimitTests {
    /// Matrices of 3.9 MB each, under the 4 MiB a single allocation is checked from: kept one
    /// after another under a 100 MB limit, they are refused once their sum reaches the limit,
    /// give or take the 6.25 MB (limit / 16) counted between checks, not after the loop's 150
    /// (590 MB). The limit is on the process's growth, which tests running alongside add to or
    /// take from, so the bound checked is twice the limit.
    @Test func smallAllocationsAreCheckedAsTheyAddUp() throws {
        let limit = 100_000_000
        let host = HostileHost(limits: Limits(memoryBytes: limit))
        let source = "let keep = []\nfor i in 0..150 {\n    push(keep, zeros(700, 700))\n    print(i)\n}\n"
        let diagnostic = try #require(host.failure(source))
        #expect(diagnostic.message.contains("memory limit exceeded"), "\(diagnostic.message)")
        #expect(diagnostic.line == 3, "\(diagnostic.line): \(diagnostic.message)")
        let kept = host.output.text.split(separator: "\n").count
        #expect(kept * 700 * 700 * 8 <= 2 * limit, "kept \(kept) matrices")
        #expect(host.isUsable)
    }
}
