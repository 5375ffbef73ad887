import PinganCampaign

/// A mainland resident identity number (GB 11643-1999): 6-digit region, 8-digit birth date,
/// 3-digit sequence (odd for men), and a check digit (0-9 or X) over the first 17.
public struct ResidentID: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, with a lower-case x normalised to X.
    public let value: String
    public let birthDate: CalendarDay

    /// Why a string is not a valid resident ID number.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case length(Int)
        case notDigit(position: Int)
        case birthDate(String)
        case checkDigit(expected: Character, found: Character)

        public var description: String {
            switch self {
            case .length(let count): "must be 18 characters, got \(count)"
            case .notDigit(let position): "character \(position) must be a digit"
            case .birthDate(let digits): "characters 7-14 (\(digits)) are not a valid birth date"
            case .checkDigit(let expected, let found): "check digit is \(found) but GB 11643 requires \(expected)"
            }
        }

        /// The rule's stable name, for `StatusDetails.field_violations`.
        public var rule: String {
            switch self {
            case .length: "ID_LENGTH"
            case .notDigit: "ID_DIGITS"
            case .birthDate: "ID_BIRTH_DATE"
            case .checkDigit: "GB11643_CHECK_DIGIT"
            }
        }
    }

    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Validates `text`, throwing the first problem found.
    public init(_ text: String) throws(Problem) {
        let characters = Array(text.uppercased())
        guard characters.count == 18 else { throw .length(characters.count) }
        var digits: [Int] = []
        for (index, character) in characters.prefix(17).enumerated() {
            guard let digit = character.wholeNumberValue, character.isASCII else { throw .notDigit(position: index + 1) }
            digits.append(digit)
        }
        let last = characters[17]
        guard last == "X" || (last.isASCII && last.isNumber) else { throw .notDigit(position: 18) }
        let birth = String(characters[6..<14])
        guard let year = Int(birth.prefix(4)), let month = Int(birth.dropFirst(4).prefix(2)), let day = Int(birth.suffix(2)),
              let date = CalendarDay(year: year, month: month, day: day) else { throw .birthDate(birth) }
        let expected = Self.checkCharacter(for: digits)
        guard expected == last else { throw .checkDigit(expected: expected, found: last) }
        self.value = String(characters)
        self.birthDate = date
    }

    /// The check character for the first 17 digits.
    public static func checkCharacter(for digits: [Int]) -> Character {
        checkCharacters[zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11]
    }

    /// The birth date encoded in a number this module generated (and so knows to be valid).
    static func birthDate(of text: String) -> CalendarDay {
        (try? ResidentID(text))!.birthDate
    }

    /// True for men (odd sequence digit), as the number encodes it.
    public var isMale: Bool {
        (Array(value)[16].wholeNumberValue ?? 0) % 2 == 1
    }

    /// `3101**********123X`: the region's first four and the last four, as answers show it to
    /// roles that may not see the full number.
    public var masked: String { Masking.identityNumber(value) }

    public var description: String { masked }  // never print the full number by accident
}
