import Testing
@testable import Tensor

/// The texts every printed value, CSV/JSON file, trace and sweep table is made of.
@Suite("Number text")
struct NumberTextTests {
    @Test func compactWritesExactIntegersWithoutAFraction() {
        #expect(NumberText.compact(5) == "5" && NumberText.compact(-3) == "-3")
        #expect(NumberText.compact(0) == "0" && NumberText.compact(-0.0) == "-0.0")
        #expect(NumberText.compact(0x1p53) == "9007199254740992")
        #expect(NumberText.compact(-0x1p53) == "-9007199254740992")
        #expect(NumberText.compact(0x1p53 + 2) == "9007199254740994")
        #expect(NumberText.compact(9_999_999_999_999_998) == "9999999999999998")
        #expect(NumberText.compact(1e16) == "1e+16" && NumberText.compact(-1e16) == "-1e+16")
        #expect(NumberText.compact(0.1) == "0.1" && NumberText.compact(1e-6) == "1e-06")
        #expect(NumberText.compact(2.5) == "2.5" && NumberText.compact(1e300) == "1e+300")
    }

    @Test func displayShowsNegativeZeroAsZero() {
        #expect(NumberText.display(-0.0) == "0")
        #expect(NumberText.display(123_456_789_012_345) == "123456789012345")
        #expect(NumberText.display(1e16) == "1e+16" && NumberText.display(-2) == "-2")
    }

    @Test func roundTripKeepsFloatsLookingLikeFloats() {
        #expect(NumberText.roundTrip(2) == "2.0" && NumberText.roundTrip(0.1) == "0.1")
        #expect(NumberText.roundTrip(1e-6) == "1e-06" && NumberText.roundTrip(-0.0) == "-0.0")
    }

    @Test func significantWritesDigitsAsPercentG() {
        #expect(NumberText.significant(2.1234e17, digits: 3) == "2.12e+17")
        #expect(NumberText.significant(0.58712, digits: 3) == "0.587" && NumberText.significant(46.63, digits: 3) == "46.6")
        #expect(NumberText.significant(47_045_881, digits: 3) == "4.7e+07" && NumberText.significant(1e6, digits: 3) == "1e+06")
        #expect(NumberText.significant(0.0004996, digits: 3) == "0.0005" && NumberText.significant(9.996, digits: 3) == "10")
        #expect(NumberText.significant(1e-7, digits: 1) == "1e-07" && NumberText.significant(-0.0, digits: 3) == "0")
        #expect(NumberText.significant(.infinity, digits: 3) == "inf" && NumberText.significant(-.infinity, digits: 3) == "-inf")
        #expect(Double(NumberText.significant(1.0 / 3, digits: 40)) == 1.0 / 3, "at most 17 digits: exact")
    }

    @Test func nonFiniteValuesHaveOneSpelling() {
        for write in [NumberText.compact, NumberText.display, NumberText.roundTrip] {
            #expect(write(.nan) == "nan" && write(-.nan) == "nan")
            #expect(write(.infinity) == "inf" && write(-.infinity) == "-inf")
        }
    }

    @Test func everyFormReadsBackExactly() {
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e-300, 5e-324, .greatestFiniteMagnitude, 0x1p53, 0x1p53 + 2, 1e16]
        for _ in 0..<2000 {
            let x = Double(bitPattern: rng.next())
            if x.isFinite { values.append(x) }
        }
        for x in values {
            for text in [NumberText.compact(x), NumberText.roundTrip(x)] {
                #expect(Double(text)?.bitPattern == x.bitPattern, "\(x) written as \(text)")
            }
            #expect(Double(NumberText.display(x)) == x)
        }
    }

    @Test func csvCellsReadBackToTheSameNumbers() throws {
        let rows: [[Double]] = [[0, 0.1, -0.0], [1, 2, 1e-300], [2, 1e16, .infinity]]
        let table = try CSVTable(header: ["step", "a", "b"], rows: rows)
        let text = try CSV.encode(table, integralColumns: ["step"])
        #expect(text == "step,a,b\n0,0.1,-0.0\n1,2.0,1e-300\n2,1e+16,inf\n")
        let back = try CSV.decode(text, path: "t.csv")
        #expect(back.rows.flatMap { $0 }.map(\.bitPattern) == rows.flatMap { $0 }.map(\.bitPattern))
    }
}
