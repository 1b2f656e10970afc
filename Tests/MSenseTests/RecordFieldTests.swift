import Testing
@testable import MSenseCore

/// Records keep their fields in order of creation; past ``ScriptRecord/indexedFieldCount``
/// fields they also index the names, so that a record built one field per loop iteration finds
/// and adds fields in O(1) amortised (docs/language.md, the record row of the value table).
@Suite("Records: fields")
struct RecordFieldTests {
    @Test func smallRecordsScanAndLargeOnesIndexTheirNames() throws {
        let record = ScriptRecord(names: [], values: [])
        for k in 0..<ScriptRecord.indexedFieldCount { record.set("f\(k)", .number(Double(k))) }
        #expect(record.positions == nil)
        record.set("f\(ScriptRecord.indexedFieldCount)", .number(-1))
        let positions = try #require(record.positions)
        #expect(positions.count == record.names.count)
        for (k, name) in record.names.enumerated() { #expect(positions[name] == k) }
        record.set("f3", .string("again"))
        #expect(record.names.count == ScriptRecord.indexedFieldCount + 1 && record["f3"] == .string("again"))
        record.set("later", .bool(true))
        #expect(record.positions?["later"] == record.names.count - 1 && record["later"] == .bool(true))
        #expect(record["missing"] == nil)
    }

    /// Duplicate names keep the first value, in small and indexed records alike.
    @Test func duplicateNamesKeepTheFirst() {
        for count in [3, 40] {
            let names = (0..<count).map { "n\($0 % (count - 1))" }
            let record = ScriptRecord(names: names, values: (0..<count).map { .number(Double($0)) })
            #expect(record.names == Array(names.prefix(count - 1)))
            #expect(record["n0"] == .number(0))
            #expect((record.positions != nil) == (count - 1 > ScriptRecord.indexedFieldCount))
        }
    }

    /// Order, lookup, overwriting and equality are those of a small record.
    @Test func aRecordBuiltFieldByFieldKeepsItsOrder() throws {
        let output = OutputBuffer()
        let interpreter = Interpreter(output: { output.append($0) })
        _ = try interpreter.run(source: """
            let r = {}
            for i in 0..40000 { r["k\\(i)"] = i }
            r["k5"] = -5
            let keys = keys(r)
            print(len(r), keys[0], keys[39999], r.k39999, r["k5"], r.k7 + 1)
            let s = {}
            for k in keys { s[k] = r[k] }
            print(s == r, {a: 1, b: 2} == {b: 2, a: 1})
            """)
        #expect(output.text == "40000 k0 k39999 39999 -5 8\ntrue false\n")
    }
}
