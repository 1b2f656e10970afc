import Foundation
import Testing

/// What a script prints reaches a file within about a second even when the process is then
/// killed (a SLURM job at its time limit), although standard output to a file is block-buffered.
@Suite("Printed output is flushed")
struct OutputFlushTests {
    @Test("a line printed before a long computation is in the file when the process is killed")
    func killedRunKeepsItsOutput() throws {
        let folder = try Harness.temporaryDirectory("flush")
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("busy.msense")
        try """
            print("started")
            let t0 = clock()
            while clock() - t0 < 60 { }
            """.write(to: script, atomically: true, encoding: .utf8)
        // Standard output goes to a file; the timeout kills the process group with SIGKILL,
        // which no buffer survives unless it was flushed.
        let outcome = try Harness.run(Harness.binary, [script.path], timeout: 3)
        #expect(outcome.status == 137, "the run was killed: \(outcome.stderr)")
        #expect(outcome.stdout == "started\n")
    }
}
