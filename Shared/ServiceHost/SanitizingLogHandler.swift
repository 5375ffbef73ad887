import Logging

/// Wraps the stdout handler so that nothing a peer sent can forge a log line or fill the journal:
/// control characters (newlines, NUL, escape sequences, Unicode line separators and bidi
/// overrides) in the message and every metadata value are written as `\u{..}`, and each is cut
/// to a bounded length. Applied to everything logged, so no call site has to remember it.
struct SanitizingLogHandler: LogHandler {
    var wrapped: any LogHandler

    /// The most characters of a metadata value that are written.
    static let maximumValueLength = 256
    /// The most characters of a message that are written.
    static let maximumMessageLength = 1024

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    /// Metadata set on a logger (a connection's peer, a call's request id) is cleaned as it is set.
    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue.mapValues(Self.clean) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue.map(Self.clean) }
    }

    func log(event: LogEvent) {
        var clean = event
        clean.message = "\(Self.clean(event.message.description, limit: Self.maximumMessageLength))"
        var metadata = event.metadata?.mapValues(Self.clean)
        if let error = event.error {
            // An error's description may carry what a peer sent: written cleaned, as metadata.
            metadata = (metadata ?? [:]).merging(["error": .string(Self.clean("\(error)", limit: Self.maximumValueLength))]) { $1 }
            clean.error = nil
        }
        clean.metadata = metadata
        wrapped.log(event: clean)
    }

    static func clean(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(clean(text, limit: maximumValueLength))
        case .stringConvertible(let convertible): .string(clean(convertible.description, limit: maximumValueLength))
        case .array(let values): .array(values.prefix(32).map(clean))
        case .dictionary(let values): .dictionary(values.mapValues(clean))
        }
    }

    /// `text` with every control or invisible-formatting character escaped, cut at `limit`
    /// characters with the number left out.
    static func clean(_ text: String, limit: Int) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < limit else {
                result += "…(+\(text.unicodeScalars.count - count))"
                break
            }
            if needsEscape(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // C0 and C1 controls, DEL: newlines, NUL, ESC
        case 0x2028, 0x2029: true  // line and paragraph separators
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // bidi marks and overrides
        default: false
        }
    }
}
