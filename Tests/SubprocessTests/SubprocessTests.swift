import Foundation
import Subprocess
import Testing

/// The child-process runner: output, status, input, environment, folder, timeouts, daemons.
@Suite("Subprocess")
struct SubprocessTests {
    @Test func standardInputComesBackOnStandardOutput() throws {
        let run = try Subprocess.run("/bin/cat", [], input: "one\ntwo ü\n")
        #expect(run.status == 0 && run.standardOutput == "one\ntwo ü\n" && !run.timedOut)
    }

    @Test func exitStatusAndStandardErrorAreKept() throws {
        let run = try Subprocess.run("/bin/sh", ["-c", "echo oops >&2; exit 3"])
        #expect(run.status == 3)
        #expect(run.standardError == "oops\n" && run.standardOutput.isEmpty)
    }

    @Test func aSignalIsReportedAs128PlusItsNumber() throws {
        let run = try Subprocess.run("/bin/sh", ["-c", "kill -TERM $$"])
        #expect(run.status == 128 + SIGTERM)
    }

    @Test func environmentAndFolderReachTheChild() throws {
        let run = try Subprocess.run("/bin/sh", ["-c", "echo \"$MSENSE_PROBE\"; pwd"],
                                     environment: ["MSENSE_PROBE": "a b"], directory: "/")
        #expect(run.standardOutput == "a b\n/\n")
    }

    @Test func aMissingProgramOrFolderIsAnErrorThatSaysWhich() {
        #expect { try Subprocess.run("/no/such/program", []) } throws: {
            "\($0)" == "/no/such/program is not an executable file"
        }
        #expect { try Subprocess.run("/bin/true", [], directory: "/no/such/folder") } throws: {
            "\($0)" == "cannot start /bin/true in /no/such/folder: no such folder"
        }
    }

    /// Descriptors above 2 are not inherited: a daemon started by the child cannot hold a pipe
    /// of ours open (its reader would wait for the daemon).
    @Test func onlyStandardDescriptorsReachTheChild() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let high: Int32 = 321  // far above anything ls opens itself
        try #require(dup2(ends[1], high) == high)
        defer { close(ends[0]); close(ends[1]); close(high) }
        let run = try Subprocess.run("/bin/ls", ["/proc/self/fd"])
        let open = run.standardOutput.split(separator: "\n").compactMap { Int32($0) }
        #expect(open.contains(2) && !open.contains(high), "open in the child: \(open)")
    }

    /// A child that outlives the deadline is killed with its whole process group.
    @Test func theTimeoutKillsTheChildAndItsGroup() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        let run = try Subprocess.run("/bin/sh", ["-c", "(sleep 2; touch '\(marker.path)') & sleep 60"], timeout: 0.3)
        #expect(run.timedOut && run.status == 128 + SIGKILL)
        #expect(run.standardError.hasSuffix("[killed after 0.3 s: /bin/sh -c (sleep 2; touch '\(marker.path)') & sleep 60]\n"))
        Thread.sleep(forTimeInterval: 2.5)
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the grandchild was killed too")
    }

    /// A daemon that inherits standard output does not keep the caller waiting (as a pipe would).
    @Test func aDaemonLeftBehindDoesNotHoldTheCaller() throws {
        let started = Date()
        let run = try Subprocess.run("/bin/sh", ["-c", "sleep 60 & echo started"])
        #expect(run.status == 0 && run.standardOutput == "started\n")
        #expect(Date().timeIntervalSince(started) < 30, "returned when the shell exited, not the daemon")
    }
}
