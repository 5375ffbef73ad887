import Foundation
import GRDB
import PinganPersonalData
import PinganStore
@testable import Registry
import Testing

@Suite("Database files: private, and as durable as what they hold")
struct StoreFilesTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-files-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func mode(_ path: String) throws -> UInt16 {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.uint16Value ?? 0
    }

    @Test("a new registry database and its WAL are 0600, and commits wait for the disk (synchronous = FULL)")
    func registryFiles() async throws {
        let path = try Self.folder().appendingPathComponent("registry.sqlite").path
        let store = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: .random()))
        try await store.saveUnits([OrgUnit(code: "TOWN", name: "某镇", kind: .town, parentCode: nil)], actor: "t", requestID: "r")
        #expect(try Self.mode(path) == 0o600)
        #expect(try Self.mode(path + "-wal") == 0o600)
        #expect(try await store.writer.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
    }

    @Test("an existing database readable by others loses those bits; a group the operator gave stays")
    func existingFileTightened() throws {
        let path = try Self.folder().appendingPathComponent("registry.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
        _ = try ServiceDatabase.open(path: path, durability: .processCrash)
        #expect(try Self.mode(path) == 0o640)
    }
}
