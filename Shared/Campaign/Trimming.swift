extension String {
    /// Without leading and trailing white space (Unicode's, so full-width spaces too), as typed
    /// names and codes are compared and stored.
    public var trimmed: String {
        // Most text arrives trimmed: its ends settle it without walking Characters.
        if let first = utf8.first, let last = unicodeScalars.last, Self.startsPlainly(first), Self.endsPlainly(last) { return self }
        return String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// A first byte that cannot begin white space: printable ASCII, or the lead byte of a
    /// scalar outside the blocks that hold Unicode's spaces (U+0085/U+00A0: C2; U+1680: E1;
    /// U+2000-U+205F: E2; U+3000: E3).
    private static func startsPlainly(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (byte >= 0xC3 && byte != 0xE1 && byte != 0xE2 && byte != 0xE3)
    }

    /// A last scalar that ends a Character which is not white space: printable ASCII or a CJK
    /// ideograph (neither combines with what comes before).
    private static func endsPlainly(_ scalar: Unicode.Scalar) -> Bool {
        (0x21...0x7E).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value) || (0x4E00...0x9FFF).contains(scalar.value)
    }
}
