import Testing
@testable import MSense
@testable import MSenseCore

/// Which stray characters the lexer calls invisible: format (Cf), control (Cc) and separators
/// (Zs other than the ASCII space, Zl, Zp). Marks, private-use and unassigned code points show
/// (or may show) something, so they are reported by code point without that word.
@Suite("Invisible characters")
struct InvisibleCharacterTests {
    @Test(arguments: [0x200B, 0xFEFF, 0x00AD, 0x0007, 0x007F, 0x00A0, 0x3000, 0x2028, 0x2029] as [UInt32])
    func invisible(_ value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        #expect(Lexer.isInvisible(scalar))
    }

    @Test(arguments: [0x0301, 0x20DD, 0x0903, 0xE000, 0x0378, 0x0020, 0x00E9] as [UInt32])
    func notInvisible(_ value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        #expect(!Lexer.isInvisible(scalar))
    }

    @Test func codePointsAreNamedWhenUnicodeNamesThem() throws {
        #expect(Lexer.codePoint(try #require(Unicode.Scalar(0x0301))) == "U+0301 (COMBINING ACUTE ACCENT)")
        #expect(Lexer.codePoint(try #require(Unicode.Scalar(0xE000))) == "U+E000")
        #expect(Lexer.codePoint(try #require(Unicode.Scalar(0x1F600))) == "U+1F600 (GRINNING FACE)")
    }
}
