import PinganCampaign

/// RFC 4180 CSV as spreadsheets write it: an optional UTF-8 byte-order mark, CRLF or LF line
/// ends, quoted fields that may hold commas, quotes ("") and line breaks.
enum CSVReader {
    struct Malformed: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Records with the line each starts on; blank lines are skipped.
    static func records(_ text: String) throws(Malformed) -> [(line: Int, fields: [String])] {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, recordLine = 1
        var quoted = false, wasQuoted = false
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        func endRecord() {
            fields.append(String(field))
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { records.append((recordLine, fields)) }
            fields = []
            field = String.UnicodeScalarView()
            wasQuoted = false
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty else { throw Malformed(line: line, message: "a quote inside an unquoted field") }
                quoted = true
                wasQuoted = true
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                wasQuoted = false
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                if wasQuoted { throw Malformed(line: line, message: "text after a closing quote") }
                field.append(scalar)
            }
        }
        if quoted { throw Malformed(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }

    /// Maps each wanted column (by any of its accepted header names, case-insensitive) to its
    /// index; names the missing ones.
    static func columns(_ header: [String], wanted: [(key: String, names: [String], required: Bool)]) throws(Malformed) -> [String: Int] {
        let normalized = header.map { $0.trimmed.lowercased() }
        var indexes: [String: Int] = [:]
        var missing: [String] = []
        for column in wanted {
            if let index = normalized.firstIndex(where: { column.names.contains($0) }) {
                indexes[column.key] = index
            } else if column.required {
                missing.append(column.names.joined(separator: " or "))
            }
        }
        guard missing.isEmpty else { throw Malformed(line: 1, message: "the header lacks \(missing.joined(separator: ", "))") }
        return indexes
    }
}

