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

    /// Validates `text`, throwing the first problem found. Works on the UTF-8 bytes: a valid
    /// number is 18 ASCII bytes, and this runs once per row of every import.
    public init(_ text: String) throws(Problem) {
        var bytes = Array(text.utf8)
        guard bytes.count == 18 else {
            // Not 18 bytes: either not 18 characters, or some are not ASCII.
            let characters = Array(text)
            guard characters.count == 18 else { throw .length(characters.count) }
            let digit = { (character: Character) in character.isASCII && character.isNumber }
            let position = characters.indices.first { $0 < 17 ? !digit(characters[$0]) : !(digit(characters[$0]) || "xX".contains(characters[$0])) }
            throw .notDigit(position: (position ?? 17) + 1)
        }
        var sum = 0
        for index in 0..<17 {
            let digit = Int(bytes[index]) - 48
            guard (0...9).contains(digit) else { throw .notDigit(position: index + 1) }
            sum += digit * Self.weights[index]
        }
        if bytes[17] == UInt8(ascii: "x") { bytes[17] = UInt8(ascii: "X") }
        let last = bytes[17]
        guard last == UInt8(ascii: "X") || (48...57).contains(last) else { throw .notDigit(position: 18) }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1) - 48 } }
        guard let date = CalendarDay(year: number(6..<10), month: number(10..<12), day: number(12..<14)) else {
            throw .birthDate(String(decoding: bytes[6..<14], as: UTF8.self))
        }
        let expected = Self.checkCharacters[sum % 11]
        let found = Character(Unicode.Scalar(last))
        guard expected == found else { throw .checkDigit(expected: expected, found: found) }
        self.value = String(decoding: bytes, as: UTF8.self)
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
