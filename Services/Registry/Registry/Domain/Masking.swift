/// How personal data appears in answers to roles that may not see it in full.
///
/// A masked answer must not give the number away as a whole: a resident ID's characters 7-14
/// are the birth date, and 1-6 the district, which a town's people mostly share. So a masked
/// answer carries the birth year only (the date travels with unmasked, audited reads), and the
/// mask keeps two characters at each end: with the district and the year known, some 3,300 IDs
/// still fit each answer.
public enum Masking {
    /// Keeps the first two and last two characters: `31**************3X`, `E1******67`.
    public static func identityNumber(_ value: String) -> String {
        keep(first: 2, last: 2, of: value)
    }

    /// Keeps the first three and last four digits: `138****5678`.
    public static func phoneNumber(_ value: String) -> String {
        keep(first: 3, last: 4, of: value)
    }

    private static func keep(first: Int, last: Int, of value: String) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII, as ID and phone numbers are: bytes are characters.
            let bytes = Array(value.utf8)
            guard bytes.count > first + last else { return String(repeating: "*", count: bytes.count) }
            return String(decoding: bytes[..<first] + Array(repeating: UInt8(ascii: "*"), count: bytes.count - first - last) + bytes[(bytes.count - last)...],
                          as: UTF8.self)
        }
        let characters = Array(value)
        guard characters.count > first + last else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(first)) + String(repeating: "*", count: characters.count - first - last) + String(characters.suffix(last))
    }
}
