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

    @Test func aMissingProgramOrFolderIsAnError() {
        #expect(throws: Subprocess.Failure.self) { try Subprocess.run("/no/such/program", []) }
        #expect(throws: Subprocess.Failure.self) { try Subprocess.run("/bin/true", [], directory: "/no/such/folder") }
    }

    /// A child that outlives the deadline is killed with its whole process group.
    @Test func theTimeoutKillsTheChildAndItsGroup() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        let run = try Subprocess.run("/bin/sh", ["-c", "(sleep 2; touch '\(marker.path)') & sleep 60"], timeout: 0.3)
        #expect(run.timedOut && run.status == 128 + SIGKILL)
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
