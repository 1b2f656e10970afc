import Foundation
import Subprocess
import Tensor
import Testing
@testable import MSense
@testable import MSenseCore

/// Requests too large for the representation or the memory end in a clear error, never a trap
/// or an allocator abort.
@Suite("Resource limits")
struct ResourceLimitTests {
    /// An .npy of shape (0, 2⁶³ − 1, 2⁶³ − 1) holds no data, but its matrices' size overflows:
    /// load refuses it. An empty stack of 3×3 matrices loads, and explicit refuses it.
    @Test func explicitRefusesAnEmptyStackWithHugeMatrices() throws {
        try withScratchFolder("res") { dir in
            func explicitOfEmpty(_ shape: String) throws -> String {
                let header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }"
                var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
                bytes += [UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)] + Array(header.utf8)
                let path = dir.appendingPathComponent("empty.npy").path
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let (_, failure) = runScript("explicit(load(\"\(path)\"))")
                return try #require(failure).description
            }
            let huge = try explicitOfEmpty("(0, 9223372036854775807, 9223372036854775807)")
            #expect(huge.contains("load: ") && huge.contains("holds more than the 2147483647 elements an array may have"), "\(huge)")
            let empty = try explicitOfEmpty("(0, 3, 3)")
            #expect(empty.contains("explicit needs at least one measurement matrix of size at least 1×1, not shape (0, 3, 3)"), "\(empty)")
        }
    }

    @Test func lengthLimitsAreStated() {
        #expect(LengthLimits.stringProblem(100_000_000) == nil)
        #expect(LengthLimits.stringProblem(100_000_001) == "the string would be 100000001 bytes long, more than the 100000000 a string may hold")
        #expect(LengthLimits.listProblem(100_000_000) == nil)
        #expect(LengthLimits.listProblem(100_000_001) == "the list would have 100000001 items, more than the 100000000 a list may hold")
    }

    /// The text of a value is built against a byte limit and refused once it passes it, so
    /// `str`, interpolation and `join` of a large matrix stop at 10⁸ bytes instead of first
    /// building the whole text.
    @Test func textIsBuiltAgainstALimit() throws {
        let m = Value.matrix(try Matrix(rows: 2, cols: 3, repeating: 0.5))
        let text = "[0.5, 0.5, 0.5; 0.5, 0.5, 0.5]"
        #expect(Formatting.display(m) == text)
        #expect(Formatting.display(m, limit: text.utf8.count) == text)
        #expect(Formatting.display(m, limit: text.utf8.count - 1) == nil)
        #expect(Formatting.display(m, limit: 4) == nil)
        let nested = Value.list(ScriptList([.string("a"), .record(ScriptRecord(names: ["m"], values: [m]))]))
        let nestedText = "[\"a\", {m: \(text)}]"
        #expect(Formatting.display(nested) == nestedText)
        #expect(Formatting.display(nested, limit: nestedText.utf8.count) == nestedText)
        #expect(Formatting.display(nested, limit: nestedText.utf8.count - 1) == nil)
        #expect(Formatting.display(.string("abc"), limit: 2) == nil)
        #expect(LengthLimits.textProblem(of: "matrix") == "the text of this matrix would be more than the 100000000 bytes a string may hold")
    }

    /// Under `ulimit -v` (RLIMIT_AS), allocations beyond what is left are refused with the bytes
    /// needed; before the check the allocator aborted the process.
    @Test(arguments: [
        ("zeros(30000, 30000)", "a 30000×30000 matrix needs 7.2 GB, but only"),
        ("eye(30000)", "a 30000×30000 matrix needs 7.2 GB, but only"),
        ("ones(1e9)", "a 1000000000×1 matrix needs 8.0 GB, but only"),
        ("small(1e9, 2)", "a 1000000000×2 initialisation needs 16.0 GB, but only"),
        ("orthogonal(1e9, 2)", "a 1000000000×2 initialisation needs 16.0 GB, but only"),
        ("rank_one(m: 1, d: 1e9)", "rank_one(m: 1, d: 1000000000) needs 8.0 GB, but only"),
        ("completion(m: 1e9, d: 2)", "completion(m: 1000000000, d: 2) needs 16.0 GB, but only"),
        ("gaussian(m: 1e9, d: 2)", "gaussian(m: 1000000000, d: 2) needs 24.0 GB"),
        // LAPACK's working memory (copies, results, LAPACKE's column-major copies) for a matrix
        // that itself fits: 648 MB each.
        ("svd(eye(9000))", "svd of a 9000×9000 matrix needs 8.4 GB, but only"),
        ("eigh(eye(9000))", "eigendecomposition of a 9000×9000 matrix needs 3.2 GB, but only"),
        ("inv(eye(9000))", "solving a 9000×9000 system with 9000 right-hand sides needs 2.6 GB, but only"),
        ("spectral_norm(eye(12000))", "computing the singular values of a 12000×12000 matrix needs 2.3 GB, but only"),
    ])
    func allocationsBeyondTheAddressSpaceLimitAreRefused(_ code: String, _ expected: String) throws {
        let binary = try #require(PackagePaths.binary, "run swift build -c release first")
        // 3 GB of address space: enough to start, far from any of these requests.
        let run = try Subprocess.run("/bin/sh", ["-c", "ulimit -v 3000000 && exec \"$0\" -e \"$1\"", binary.path, code],
                                     directory: PackagePaths.root.path, timeout: 120)
        #expect(run.status == 1, "\(code): status \(run.status), stderr \(run.standardError)")
        #expect(run.standardError.contains("error: "), "\(code): \(run.standardError)")
        #expect(run.standardError.contains(expected), "\(code): \(run.standardError)")
        #expect(run.standardError.contains("of memory is available"), "\(code): \(run.standardError)")
    }

    /// Data files are read whole: a 1 TB (sparse) file is refused with the reason, never an
    /// allocator abort; an endless device is not a regular file, so scripts cannot read it.
    @Test func filesBeyondMemoryOrTheSourceLimitAreRefused() throws {
        let binary = try #require(PackagePaths.binary, "run swift build -c release first")
        try withScratchFolder("read") { dir in
            let big = dir.appendingPathComponent("big.npy")
            FileManager.default.createFile(atPath: big.path, contents: nil)
            let handle = try FileHandle(forWritingTo: big)
            try handle.truncate(atOffset: 1 << 40)  // sparse: takes no disk space
            try handle.close()
            let zeros = dir.appendingPathComponent("zeros.csv")
            try FileManager.default.createSymbolicLink(atPath: zeros.path, withDestinationPath: "/dev/zero")
            for (code, expected) in [
                ("load(\"\(big.path)\")", "reading it needs 1.1 TB, but only"),
                ("load(\"\(zeros.path)\")", "is not a regular file"),
                ("import \"/dev/zero\"", "only msense source files (.msense) can be imported"),
            ] {
                let run = try Subprocess.run("/bin/sh", ["-c", "ulimit -v 3000000 && exec \"$0\" -e \"$1\"", binary.path, code],
                                             directory: PackagePaths.root.path, timeout: 120)
                #expect(run.status == 1, "\(code): status \(run.status), stderr \(run.standardError)")
                #expect(run.standardError.contains(expected), "\(code): \(run.standardError)")
            }
        }
    }
}
