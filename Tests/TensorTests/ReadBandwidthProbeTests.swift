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
}
