import Foundation
import Testing
@testable import MSense
@testable import MSenseCore

/// `load` of a .json file gives back what `save` wrote: records keep their fields' order, text
/// its escapes, and integers a number cannot hold exactly (a sweep table's 64-bit seeds) stay
/// exact as decimal text, which `seed` takes back to rerun a point alone.
@Suite("Reading JSON")
struct JSONReadingTests {
    private static func value(_ text: String) throws -> Value {
        try JSONReader.read(Array(text.utf8)).get()
    }

    @Test func recordsKeepTheOrderOfTheText() throws {
        let record = try #require(try Self.value(#"{"z": 1, "a": {"y": 2, "b": 3}, "m": [1, {"q": 0, "c": 1}]}"#).recordValue)
        #expect(record.names == ["z", "a", "m"])
        #expect(Formatting.repr(.record(record)) == "{z: 1, a: {y: 2, b: 3}, m: [1, {q: 0, c: 1}]}")
        // A repeated key keeps its first place and its last value, as Python's json does.
        let repeated = try #require(try Self.value(#"{"a": 1, "b": 2, "a": 3}"#).recordValue)
        #expect(Formatting.repr(.record(repeated)) == "{a: 3, b: 2}")
    }

    /// What `save` writes, `load` gives back: field order, and every number to the last bit
    /// (17 significant digits read as the double nearest the text).
    @Test func aSavedRecordReadsBackAsItWas() throws {
        try withScratchFolder("jsonorder") { folder in
            let path = folder.appendingPathComponent("r.json").path
            let (output, failure) = runScript("""
                let r = {step: 3, rel_err: 0.0033421738569397366, alpha: 1e-3, loss: 2.2250738585072014e-308,
                         nested: [{z: 1, a: 2}], text: "é\\u{1F600}\\n"}
                save(r, "\(path)")
                let back = load("\(path)")
                print(keys(back), keys(back.nested[0]))
                print(back == r, back.rel_err == 0.0033421738569397366)
                """)
            #expect(failure == nil, "\(failure?.description ?? "")")
            #expect(output == "[\"step\", \"rel_err\", \"alpha\", \"loss\", \"nested\", \"text\"] [\"z\", \"a\"]\ntrue true\n")
        }
    }

    @Test func stringsAreDecoded() throws {
        let text = try Self.value(#"["x\u00e9\ud83d\ude00\n\t\"q\"\\\/\b\f\r", "ü∑"]"#)
        #expect(text == .list(ScriptList([.string("xé😀\n\t\"q\"\\/\u{8}\u{C}\r"), .string("ü∑")])))
        guard case .failure(let problem) = JSONReader.read([0x22, 0xFF, 0x22]) else {
            Issue.record("a string of invalid UTF-8 was read")
            return
        }
        #expect(problem.message == "the string is not UTF-8 text")
    }

    @Test func integersANumberCannotHoldStayExactAsText() throws {
        let cases: [(String, Value)] = [
            ("9007199254740992", .number(0x1p53)),
            ("9007199254740993", .string("9007199254740993")),
            ("-9007199254740993", .string("-9007199254740993")),
            ("1346066267577507604", .string("1346066267577507604")),
            ("18446744073709551615", .string("18446744073709551615")),
            ("-9223372036854775808", .number(-0x1p63)),
            ("100000000000000000000", .number(1e20)),
            ("100000000000000000001", .string("100000000000000000001")),
            // int(1e300) in Python's digits is exactly a double; 10³⁰⁰ is not, nor is a whole
            // number beyond a double's range.
            ("1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160", .number(1e300)),
            ("1" + String(repeating: "0", count: 300), .string("1" + String(repeating: "0", count: 300))),
            (String(repeating: "1", count: 400), .string(String(repeating: "1", count: 400))),
            // Written with a fraction or an exponent, a number is meant as a double.
            ("9007199254740993.0", .number(0x1p53)),
            ("1.346066267577507604e18", .number(1.346066267577507604e18)),
            ("-0.5", .number(-0.5)),
        ]
        for (text, expected) in cases {
            #expect(try Self.value(text) == expected, "\(text)")
        }
    }

    /// A sweep point's 64-bit seed survives a table saved as JSON and loaded again, and
    /// `seed(text)` restarts the stream the point ran with, so the point reruns alone.
    @Test func aSweepPointRerunsFromItsSavedSeed() throws {
        try withScratchFolder("jsonseed") { folder in
            let script = """
                seed(7)
                fn point(p) => {y: rand() + p.x, s: seed()}
                let t = sweep({x: [1, 2, 3]}, point, jobs: 1)
                save(t, "DIR/t.json")
                let back = load("DIR/t.json")
                print(type(back[2].seed), back[2].seed == t.seed[2], t.s[2] == t.seed[2])
                seed(back[2].seed)
                print(point({x: 3}).y == t.y[2], seed() == t.seed[2])
                print(seed(2 ^ 53), seed("18446744073709551615"))
                """
            let (output, failure) = runScript(script.replacingOccurrences(of: "DIR", with: folder.path))
            #expect(failure == nil, "\(String(describing: failure))")
            #expect(output == "string true true\ntrue true\n9007199254740992 18446744073709551615\n")
        }
        for text in ["12x", "+5", "007", "18446744073709551616"] {
            let bad = runScript("seed(\"\(text)\")").failure.map { String(describing: $0) } ?? ""
            #expect(bad.contains("a 64-bit integer as decimal text (0 to 2⁶⁴ − 1), got \"\(text)\""), "\(bad)")
        }
    }
}

extension JSONReadingTests {
    /// A sweep's table saved as .json reads back with `table(load(…))` as the same table: its
    /// columns, exact seeds, failed points and summaries, and it saves to the same bytes.
    @Test func aSavedSweepTableReadsBackAsATable() throws {
        try withScratchFolder("jsontable") { folder in
            let script = """
                seed(3)
                fn point(p) {
                    if p.alpha == 0.3 and p.seed_index == 1 { error("boom") }
                    return {loss: rand() * p.alpha, stop: "budget"}
                }
                let t = sweep({alpha: [0.1, 0.3]}, point, seeds: 2, jobs: 1)
                save(t, "DIR/t.json")
                let back = table(load("DIR/t.json"))
                print(type(back), back.columns == t.columns, back.seed == t.seed, back.failed, back.error[3])
                print(back.summarize("alpha", "loss").loss_mean == t.summarize("alpha", "loss").loss_mean)
                save(back, "DIR/again.json")
                print(table(t.rows).rows == t.rows)
                """
            let (output, failure) = runScript(script.replacingOccurrences(of: "DIR", with: folder.path))
            #expect(failure == nil, "\(String(describing: failure))")
            #expect(output.hasSuffix("table true true [3] boom (<test>:3:47)\ntrue\ntrue\n"), "\(output)")
            let saved = try Data(contentsOf: folder.appendingPathComponent("t.json"))
            #expect(try Data(contentsOf: folder.appendingPathComponent("again.json")) == saved)
        }
        let notRecords = runScript("table([{a: 1}, 2])").failure.map { String(describing: $0) } ?? ""
        #expect(notRecords.contains("item 1 of the list is a number; table(records) takes a list of records"), "\(notRecords)")
        let nested = runScript("table([{a: [1]}])").failure.map { String(describing: $0) } ?? ""
        #expect(nested.contains("row 0's field 'a' is a list; a table cell holds a number, text or nil"), "\(nested)")
    }
}

extension JSONReadingTests {
    /// A seed that a number holds exactly (its low bits zero, about one point in 370) comes back
    /// from JSON as a number, and is still a seed in the table's `seed` column; the texts of
    /// non-finite numbers are numbers only in a column of numbers.
    @Test func everySeedReadsBackAndNonFiniteTextsOnlyInNumberColumns() throws {
        try withScratchFolder("jsonexactseed") { folder in
            let path = folder.appendingPathComponent("t.json")
            try Data("""
                [
                  {"x": "inf", "seed": 30524853211584496, "loss": "nan"},
                  {"x": "a", "seed": 1346066267577507604, "loss": 0.5}
                ]

                """.utf8).write(to: path)
            let script = """
                let t = table(load("\(path.path)"))
                print(t.seed, t.x, t.loss)
                seed(t.seed[0])
                let a = rand()
                seed("30524853211584496")
                print(a == rand())
                save(t, "\(folder.path)/again.json")
                """
            let (output, failure) = runScript(script)
            #expect(failure == nil, "\(String(describing: failure))")
            #expect(output == "[\"30524853211584496\", \"1346066267577507604\"] [\"inf\", \"a\"] [nan, 0.5]\ntrue\n", "\(output)")
            let again = try String(contentsOf: folder.appendingPathComponent("again.json"), encoding: .utf8)
            #expect(again.contains("\"seed\": 30524853211584496"), "\(again)")
        }
    }
}

private extension Value {
    var recordValue: ScriptRecord? {
        if case .record(let record) = self { return record }
        return nil
    }
}
