import Testing

/// The options that print and exit take nothing after them: an extra word is a usage error
/// (exit 2), never silently ignored.
@Suite("Command-line usage")
struct CommandLineUsageTests {
    @Test("--help, --reference and --version refuse anything after them", arguments: ["--help", "-h", "--reference", "--version"])
    func printingOptionsTakeNoArguments(_ option: String) throws {
        let extra = try Harness.msense([option, "extra"])
        #expect(extra.status == 2)
        #expect(extra.stderr.contains("\(option) takes no arguments (got 'extra')"))
        let alone = try Harness.msense([option])
        #expect(alone.status == 0 && !alone.stdout.isEmpty)
    }
}
