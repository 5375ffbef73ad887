extension String {
    /// Without leading and trailing white space (Unicode's, so full-width spaces too), as typed
    /// names and codes are compared and stored.
    public var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
