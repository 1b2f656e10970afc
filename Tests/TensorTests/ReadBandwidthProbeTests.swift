import Testing
import Tensor

/// The bandwidth probe's read loops read every element once, whatever the buffer's length: a
/// loop that skipped or repeated part of the buffer would time the wrong number of bytes.
@Suite("Read bandwidth probe")
struct ReadBandwidthProbeTests {
    @Test("each pattern sums a buffer of ones to its length", arguments: [1, 3, 15, 16, 33, 127, 1000, 4099])
    func readsEveryElementOnce(count: Int) {
        let probe = ReadBandwidthProbe(count: count)
        defer { probe.deallocate() }
        #expect(probe.bytes == count * 8)
        for pattern in ReadBandwidthProbe.patterns {
            #expect(probe.read(pattern) == Double(count), "\(pattern.name)")
        }
    }

    @Test("the two-touch read counts every element of every row twice, at every level",
          arguments: [(1, 1), (3, 7), (4, 16), (5, 17), (8, 33), (13, 300), (16, 1025), (40, 100), (200, 1025), (64, 40)])
    func readsEveryRowTwice(_ size: (Int, Int)) {
        let (m, p) = size
        let rows = [Double](repeating: 1, count: m * p)
        RowKernelTests.atEveryLevel { level in
            let sum = rows.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { ReadBandwidthProbe.readRowsTwice($0, m: m, p: p) } ?? .nan
            }
            #expect(sum == Double(2 * m * p), "\(level), m = \(m), p = \(p)")
        }
    }
}
