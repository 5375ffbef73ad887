/// How personal data appears in answers to roles that may not see it in full.
public enum Masking {
    /// Keeps the first four and last four characters: `3101**********123X`, `E1****4567`.
    public static func identityNumber(_ value: String) -> String {
        keep(first: 4, last: 4, of: value)
    }

    /// Keeps the first three and last four digits: `138****5678`.
    public static func phoneNumber(_ value: String) -> String {
        keep(first: 3, last: 4, of: value)
    }

    private static func keep(first: Int, last: Int, of value: String) -> String {
        let characters = Array(value)
        guard characters.count > first + last else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(first)) + String(repeating: "*", count: characters.count - first - last) + String(characters.suffix(last))
    }
}
