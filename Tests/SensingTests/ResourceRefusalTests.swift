import Testing
@testable import Sensing
import Tensor

/// Requests whose sizes the representation or the memory cannot hold are refused with a clear
/// message before anything is allocated (no trap, no allocator abort).
@Suite("Resource refusals")
struct ResourceRefusalTests {
    @Test func completionRefusesDimensionsBeyond32BitIndices() {
        var rng = Xoshiro256(seed: 1)
        for d in [1 << 31, 1 << 32, 1_000_000_000_000_000] {
            #expect { try CompletionOperator(m: 1, d: d, rng: &rng) } throws: {
                "\($0)" == "the completion ensemble: the dimension d must be at most 2147483647 (indices are 32-bit), not \(d)"
            }
        }
        #expect(throws: SensingError.self) { try CompletionOperator(d: 1 << 32, entries: [(0, 0)]) }
    }

    @Test func completionStoresItsPairsCompactly() throws {
        var rng = Xoshiro256(seed: 3)
        let op = try CompletionOperator(m: 50, d: 7, rng: &rng)
        #expect(op.m == 50)
        #expect(op.entries.allSatisfy { (0..<7).contains($0.row) && (0..<7).contains($0.col) })
        let a = try op.measurementMatrix(4)
        let e = op.entries[4]
        #expect(a[e.row, e.col] + a[e.col, e.row] == (e.row == e.col ? 14 : 7))
    }

    @Test func nonSymmetricGaussianValidatesBeforeAllocating() {
        var rng = Xoshiro256(seed: 1)
        #expect { try PackedSymmetricOperator.nonSymmetricGaussian(m: 0, d: 1_000_000_000, rng: &rng) } throws: {
            "\($0)" == "the non-symmetric Gaussian ensemble: the number of measurements m must be at least 1, not 0"
        }
        #expect { try PackedSymmetricOperator.nonSymmetricGaussian(m: 1, d: 65_536, rng: &rng) } throws: {
            "\($0)" == "the non-symmetric Gaussian ensemble: the dimension d must be at most 65535, not 65536"
        }
        // m·d(d+1)/2 + d² doubles: more than any machine has.
        #expect { try PackedSymmetricOperator.nonSymmetricGaussian(m: 2_000_000_000, d: 65_535, rng: &rng) } throws: {
            guard case SensingError.insufficientMemory(let message) = $0 else { return false }
            return message.contains("+ 4294836225 work float64 values")
        }
    }

    @Test func explicitRefusesAnEmptyStack() {
        #expect(throws: SensingError.self) { try PackedSymmetricOperator.explicit(stack: [], m: 0, d: Int.max) }
    }

    @Test func spectralAndGLRLRefuseRanksAboveD() throws {
        let p = try OptimizerTests.problem()
        var rng = Xoshiro256(seed: 1)
        #expect { try Initialization.spectral.make(for: p, rank: p.d + 1, rng: &rng) } throws: {
            "\($0)" == "a spectral initialisation needs r ≤ d, but r = \(p.d + 1) and d = \(p.d)"
        }
        #expect { try p.runGLRL(options: GLRLOptions(lr: .constant(0.1), maxRank: 1_000_000_000)) } throws: {
            "\($0)" == "GLRL needs a maximum rank ≤ d, but rank = 1000000000 and d = \(p.d)"
        }
        // Over-parameterised small initialisations (r > d) stay legal.
        let u = try Initialization.smallRandom(alpha: 1e-3).make(d: 2, rank: 5, rng: &rng)
        #expect(u.shape == [2, 5])
    }

    @Test func traceRowsAreBoundedBeforeARunStarts() throws {
        #expect(TraceBudget.maxRows(steps: 300_000_000, every: 1) == 300_000_002)
        #expect(TraceBudget.maxRows(steps: 10, every: 3) == 5)
        #expect(TraceBudget.maxRows(steps: Int.max, every: 1) == nil)
        #expect { try TraceBudget.require(rows: 300_000_002, columns: 8, available: 7_000_000_000) } throws: {
            "\($0)" == "recording the trace (up to 300000002 rows of 8 columns) needs 33.6 GB, but only 7.0 GB of memory is available; record fewer rows with a larger every, or take fewer steps"
        }
        try TraceBudget.require(rows: 1000, columns: 8, available: 0)  // small traces are not checked
        let p = try OptimizerTests.problem()
        var rng = Xoshiro256(seed: 1)
        let u0 = try Initialization.smallRandom(alpha: 1e-3).make(for: p, rank: 2, rng: &rng)
        // 2⁶⁰ rows: refused by arithmetic, whatever the machine.
        #expect { try p.run(from: u0, options: RunOptions(lr: .constant(1e-12), steps: 1 << 60, every: 1)) } throws: {
            guard case SensingError.insufficientMemory(let message) = $0 else { return false }
            return message.contains("larger every")
        }
        // With a tolerance the same budget means "until converged": not refused up front.
        let converged = try p.run(from: u0, options: RunOptions(lr: .constant(0.1), steps: 1 << 60, every: 1, tolerance: 1e-6))
        #expect(converged.stopReason == .tolerance)
        #expect(converged.trace.count == converged.lastStep + 1)
    }

    @Test func aGrowingTraceChecksRoomForAsManyRowsAgain() throws {
        try TraceBudget.requireGrowth(rows: 1000, columns: 8, available: 0)  // below 4 MiB: free
        #expect { try TraceBudget.requireGrowth(rows: 100_000_000, columns: 8, available: 7_000_000_000) } throws: {
            "\($0)" == "recording more of the trace (100000000 rows of 8 columns so far, as many again) needs 11.2 GB, but only 7.0 GB of memory is available; record fewer rows with a larger every, or stop earlier"
        }
    }

    @Test func memoryBudgetTakesBytesAndAdvice() {
        #expect { try MemoryBudget.require(bytes: 8_000_000_000, for: "the pairs", available: 1_000_000_000, advice: "use a smaller m") } throws: {
            "\($0)" == "the pairs needs 8.0 GB, but only 1.0 GB of memory is available; use a smaller m"
        }
    }
}
