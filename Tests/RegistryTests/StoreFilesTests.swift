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

    /// A bulk import into the registry wrote 4 GB for 100,000 volunteers: each insert firing a
    /// trigger kept its statement journal in a temporary file.
    @Test("statement journals stay in memory and the writer's cache holds a bulk transaction")
    func bulkWritesStayInMemory() async throws {
        let path = try Self.folder().appendingPathComponent("registry.sqlite").path
        let pool = try ServiceDatabase.open(path: path, durability: .processCrash)
        #expect(try await pool.write { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 2, "2 = MEMORY")
        #expect(try await pool.write { try Int.fetchOne($0, sql: "PRAGMA cache_size") } == -96 * 1024)
        #expect(try await pool.read { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 2)
        #expect(try await pool.read { try Int.fetchOne($0, sql: "PRAGMA cache_size") } == -16 * 1024)
    }
}
