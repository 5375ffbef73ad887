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

    @Test func percentages() {
        #expect(RegistryProgressCommand.percent(3690, of: 6249) == "59%")
        #expect(RegistryProgressCommand.percent(0, of: 0) == "-")
    }
}
