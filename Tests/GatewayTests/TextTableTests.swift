@testable import Gateway
import Testing

@Suite("Gateway tables")
struct TextTableTests {
    @Test("Chinese characters count two columns, so mixed columns line up")
    func wideCharacters() {
        #expect(TextTable.displayWidth("环卫工人") == 8)
        #expect(TextTable.displayWidth("JC-017 第十七居委会") == 7 + 12)
        let table = TextTable.render(header: ["NAME", "N"], rows: [["环卫工人", "1"], ["guards", "2"]])
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines == ["NAME      N", "环卫工人  1", "guards    2"])
    }

    @Test("values: percentages round, a zero whole shows as a dash, decimals keep one place")
    func values() {
        #expect(Value.percent(part: 3690, whole: 6249).display(.en) == "59%")
        #expect(Value.percent(part: 0, whole: 0).display(.en) == "-")
        #expect(Value.fraction(part: 4139, whole: 6249).display(.en) == "4139/6249 66%")
        #expect(Value.decimal(4).display(.en) == "4" && Value.decimal(2.25).display(.en) == "2.3")
        #expect(Value.bool(true).display(.zh) == "是")
    }
}
