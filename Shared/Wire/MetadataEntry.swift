import NIOCore

/// One metadata key/value pair as carried in HEADERS and STATUS payloads.
///
/// Keys are 1-255 bytes of `a-z 0-9 - _ .`; values are UTF-8, at most 65,535 bytes.
public struct MetadataEntry: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    /// True if `key` may appear on the wire.
    public static func isValidKey(_ key: some StringProtocol) -> Bool {
        let utf8 = key.utf8
        return (1...255).contains(utf8.count) && utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
    }
}

/// Reading and writing the length-prefixed fields every payload is built from.
extension ByteBuffer {
    /// Writes `count u16` then for each entry `key_len u8, key, value_len u16, value`.
    /// Entries with invalid keys or oversized values are the caller's bug; they are skipped.
    mutating func writeMetadata(_ entries: [MetadataEntry]) {
        let countIndex = writerIndex
        writeInteger(UInt16(0))
        var count: UInt16 = 0
        for entry in entries where MetadataEntry.isValidKey(entry.key) && entry.value.utf8.count <= Int(UInt16.max) && count < UInt16.max {
            writeInteger(UInt8(entry.key.utf8.count))
            writeString(entry.key)
            writeInteger(UInt16(entry.value.utf8.count))
            writeString(entry.value)
            count += 1
        }
        setInteger(count, at: countIndex)
    }

    /// Field names are autoclosures: they are only spelled out for an error, never per call.
    mutating func readMetadata(field: @autoclosure () -> String, error: ProtocolError.Code) throws -> [MetadataEntry] {
        let count = try readField(UInt16.self, "\(field()).count", error)
        var entries: [MetadataEntry] = []
        entries.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            let keyLength = try readField(UInt8.self, "\(field())[\(index)].key length", error)
            let key = try readUTF8(length: Int(keyLength), "\(field())[\(index)].key", error)
            guard MetadataEntry.isValidKey(key) else {
                throw ProtocolError(error, "\(field())[\(index)].key '\(key)' must be 1-255 characters of a-z 0-9 - _ .")
            }
            let valueLength = try readField(UInt16.self, "\(field())[\(index)].value length", error)
            let value = try readUTF8(length: Int(valueLength), "\(field())[\(index)].value", error)
            entries.append(MetadataEntry(key, value))
        }
        return entries
    }

    mutating func readField<T: FixedWidthInteger>(_: T.Type, _ field: @autoclosure () -> String, _ error: ProtocolError.Code) throws -> T {
        guard let value = readInteger(as: T.self) else {
            throw ProtocolError(error, "\(field()): needs \(MemoryLayout<T>.size) bytes, \(readableBytes) left in the payload")
        }
        return value
    }

    mutating func readUTF8(length: Int, _ field: @autoclosure () -> String, _ error: ProtocolError.Code) throws -> String {
        guard let bytes = readSlice(length: length) else {
            throw ProtocolError(error, "\(field()): declared \(length) bytes, \(readableBytes) left in the payload")
        }
        // One pass that validates as it copies; invalid input is refused, never repaired.
        guard let text = bytes.readableBytesView.withContiguousStorageIfAvailable({ String(validating: $0, as: UTF8.self) })
                ?? String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw ProtocolError(error, "\(field()): not valid UTF-8")
        }
        return text
    }

    func requireFullyRead(_ field: @autoclosure () -> String, _ error: ProtocolError.Code) throws {
        guard readableBytes == 0 else {
            throw ProtocolError(error, "\(field()): \(readableBytes) unexpected bytes after the last field")
        }
    }
}
