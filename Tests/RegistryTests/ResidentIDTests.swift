import PinganCampaign
import Registry
import Testing

@Suite("Resident ID numbers (GB 11643)")
struct ResidentIDTests {
    @Test("valid numbers are accepted and their birth date read", arguments: [
        ("11010519491231002X", "1949-12-31", false),
        ("11010519491231002x", "1949-12-31", false),
        ("440524188001010014", "1880-01-01", true),
        ("310101200001011213", "2000-01-01", true),
    ])
    func accepts(_ text: String, _ birth: String, _ male: Bool) throws {
        let id = try ResidentID(text)
        #expect(id.birthDate == CalendarDay(iso: birth))
        #expect(id.isMale == male)
        #expect(id.value == text.uppercased())
    }

    @Test("each malformed number names its problem", arguments: [
        ("11010519491231002", ResidentID.Problem.length(17)),
        ("1101051949123100211", .length(19)),
        ("11010519491231A02X", .notDigit(position: 15)),
        ("110105194912310023", .checkDigit(expected: "X", found: "3")),
        ("110105194902300025", .birthDate("19490230")),
        ("31010120000101121Y", .notDigit(position: 18)),
    ])
    func rejects(_ text: String, _ problem: ResidentID.Problem) {
        #expect(throws: problem) { try ResidentID(text) }
    }

    @Test func checkDigitMessageNamesTheRule() {
        #expect(ResidentID.Problem.checkDigit(expected: "X", found: "3").description == "check digit is 3 but GB 11643 requires X")
        #expect(ResidentID.Problem.checkDigit(expected: "X", found: "3").rule == "GB11643_CHECK_DIGIT")
    }

    @Test("answers show the number masked; its description never shows it whole")
    func masking() throws {
        let id = try ResidentID("11010519491231002X")
        #expect(id.masked == "11**************2X")
        #expect("\(id)" == "11**************2X")
        #expect(Masking.phoneNumber("13812345678") == "138****5678")
        #expect(Masking.identityNumber("E12") == "***")
    }
}

@Suite("Calendar days")
struct CalendarDayTests {
    @Test("age counts whole years; the birthday itself counts", arguments: [
        ("2000-03-01", "2018-02-28", 17),
        ("2000-03-01", "2018-03-01", 18),
        ("2000-02-29", "2018-02-28", 17),
        ("2000-02-29", "2018-03-01", 18),
        ("1944-05-01", "2010-04-30", 65),
        ("1944-05-01", "2010-05-01", 66),
    ])
    func age(_ birth: String, _ on: String, _ expected: Int) throws {
        let birthDay = try #require(CalendarDay(iso: birth))
        #expect(birthDay.age(on: try #require(CalendarDay(iso: on))) == expected)
    }

    @Test("months count once the day of the month is reached", arguments: [
        ("2009-04-15", "2009-10-14", 5),
        ("2009-04-15", "2009-10-15", 6),
        ("2009-01-31", "2009-02-28", 0),
        ("2009-01-31", "2009-03-01", 1),
    ])
    func months(_ from: String, _ to: String, _ expected: Int) throws {
        #expect(try #require(CalendarDay(iso: from)).months(until: try #require(CalendarDay(iso: to))) == expected)
    }

    @Test(arguments: ["2009-02-29", "2009-13-01", "2009-00-10", "2009-4-1", "abcd-ef-gh"])
    func rejectsInvalidDates(_ text: String) {
        #expect(CalendarDay(iso: text) == nil)
    }

    @Test func leapYears() {
        #expect(CalendarDay(iso: "2000-02-29") != nil)
        #expect(CalendarDay(iso: "1900-02-29") == nil)
        #expect(CalendarDay(iso: "2008-02-29")?.description == "2008-02-29")
    }
}
