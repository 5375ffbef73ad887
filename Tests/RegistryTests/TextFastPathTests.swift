@testable import Registry
import PinganCampaign
import Testing

/// The byte-level fast paths of import validation answer exactly as the Character-level rules.
@Suite("Text fast paths")
struct TextFastPathTests {
    static func reference(_ text: String) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    @Test("trimmed equals the Character-level trim, with ASCII, CJK, full-width and no-break spaces, tabs and combining marks at either end",
          arguments: ["李明", " 李明", "李明\u{3000}", "\u{3000}李明", "\t王芳\n", "Zhang Wei", " Zhang Wei ", "a\u{00A0}", "\u{00A0}a", "\u{2003}x",
                      "x\u{2009}", "e\u{301}", " e\u{301} ", "", " ", "\u{3000}", "李\u{0085}", "123", "1 2 3 "])
    func trimmed(text: String) {
        #expect(text.trimmed == Self.reference(text), "\(Array(text.unicodeScalars))")
    }

    @Test("resident IDs: the byte parser accepts and refuses as the rules say, naming the same problem")
    func residentIDs() throws {
        let valid = "11010519491231002X"
        #expect(try ResidentID(valid).value == valid)
        #expect(try ResidentID("11010519491231002x").value == valid, "a lower-case x is normalised")
        #expect(try ResidentID(valid).birthDate == CalendarDay(year: 1949, month: 12, day: 31))
        let problems: [(String, ResidentID.Problem)] = [
            ("1101051949123100", .length(16)),
            ("11010519491231002X1", .length(19)),
            ("1101051949123100李X", .notDigit(position: 17)),
            ("1A010519491231002李", .notDigit(position: 2)),
            ("11010519491231002Y", .notDigit(position: 18)),
            ("110105194913310021", .birthDate("19491331")),
            ("110105194912310021", .checkDigit(expected: "X", found: "1")),
        ]
        for (text, problem) in problems {
            #expect(throws: problem, "\(text)") { try ResidentID(text) }
        }
    }

    @Test("masks keep the ends of ASCII numbers and of other text alike")
    func masks() {
        #expect(Masking.identityNumber("11010519491231002X") == "11**************2X")
        #expect(Masking.phoneNumber("13812345678") == "138****5678")
        #expect(Masking.identityNumber("李明") == "**")
        #expect(Masking.identityNumber("E1李67ab") == "E1***ab")
        #expect(DirectedBatch.isMobileNumber("13812345678") && !DirectedBatch.isMobileNumber("2381234567") && !DirectedBatch.isMobileNumber("1381234567８"))
    }
}
