extension RPCError {
    /// The case of `T` that `text` names, or INVALID_ARGUMENT naming the field and every
    /// choice. The caller's text is echoed at most 32 characters long: a peer cannot make the
    /// answer (or a log of it) as large as its request.
    public static func choice<T: CaseIterable & RawRepresentable>(_ text: String, field: String, as _: T.Type = T.self) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            throw RPCError(.invalidArgument, "\(field): '\(text.prefix(32))' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
