import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// The number texts scripts see: `print` and `str`, and `.json` files that read back exactly.
@Suite("Numbers as text in scripts")
struct NumberTextRoundTripTests {
    @Test func printShowsExactIntegersAndShortestFloats() {
        let (output, failure) = runScript("""
            print(3, -2.0, -0.0, 0.1, 1e-6, 2^53, 2^53 + 2, 1e16, 1e308 * 10, -1e308 * 10)
            print(str(123456789012345), [0.5, 4])
            """)
        #expect(failure == nil)
        #expect(output == "3 -2 0 0.1 1e-06 9007199254740992 9007199254740994 1e+16 inf -inf\n123456789012345 [0.5, 4]\n")
    }

    @Test func jsonFilesHoldExactNumbersAndReadBack() throws {
        let text = try withScratchFolder("numbertext") { folder in
            let path = folder.appendingPathComponent("v.json").path
            let (output, failure) = runScript("""
                let v = [5, -0.0, 0.1, 2^53 + 2, 1e16, 1e-300, 1.5e300]
                save(v, "\(path)")
                let back = load("\(path)")
                print(back == v)
                """)
            #expect(failure == nil)
            #expect(output == "true\n")
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        #expect(text.contains("[5, -0.0, 0.1, 9007199254740994, 1e+16, 1e-300, 1.5e+300]"))
    }
}
