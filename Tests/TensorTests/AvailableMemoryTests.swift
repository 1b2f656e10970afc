import Testing
import Tensor

/// Large allocations are checked against the memory the process can get (``AvailableMemory``)
/// and refused with the bytes needed, instead of aborting in the allocator.
@Suite("Available memory")
struct AvailableMemoryTests {
    @Test func aMatrixThatDoesNotFitIsRefusedWithTheBytesNeeded() {
        #expect(throws: TensorError.insufficientMemory(
            "a 46000×46000 matrix needs 16.9 GB, but only 1.0 GB of memory is available")) {
            try Matrix.checkAllocation(46000, 46000, available: 1_000_000_000)
        }
        #expect(throws: TensorError.insufficientMemory(
            "a 2147483647×1 matrix needs 17.2 GB, but only 8.0 GB of memory is available")) {
            try Matrix.checkAllocation(2_147_483_647, 1, available: 8_000_000_000)
        }
    }

    @Test func aMatrixThatFitsIsAccepted() throws {
        try Matrix.checkAllocation(1000, 1000, available: 8_000_000)
        // Up to 4 MiB nothing is checked, however little is available.
        try Matrix.checkAllocation(512, 1024, available: 0)
        #expect(throws: TensorError.self) { try Matrix.checkAllocation(1024, 1024, available: 8_000_000) }
    }

    @Test func refusalStatesBothSizes() {
        #expect(AvailableMemory.refusal(bytes: 100, for: "x", available: 0) == nil)
        #expect(AvailableMemory.refusal(bytes: 5_000_000, for: "x", available: 5_000_000) == nil)
        #expect(AvailableMemory.refusal(bytes: 5_000_001, for: "the buffer", available: 5_000_000)
            == "the buffer needs 5.0 MB, but only 5.0 MB of memory is available")
        #expect(AvailableMemory.refusal(bytes: nil, for: "x", available: 1)
            == "x needs more than \(Int.max) bytes, but only 1 bytes of memory is available")
    }

    @Test func theProcessReportsSomeAvailableMemory() {
        #expect(AvailableMemory.bytes > 0)
        #expect(AvailableMemory.bytes <= AvailableMemory.systemBytes)
    }
}
