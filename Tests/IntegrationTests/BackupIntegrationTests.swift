import Foundation
import PinganFinanceContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

/// Online backups taken from the real executables while they serve, and restores that refuse
/// what does not belong.
@Suite("Backup and restore", .timeLimit(.minutes(2)))
struct BackupIntegrationTests {
    static let tls = ["--cert", TestCertificates.path("server.pem"), "--key", TestCertificates.path("server.key"), "--ca", TestCertificates.path("ca.pem")]

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pingan-\(name)-\(UUID().uuidString.prefix(8))").path
    }

    /// `pingan-NAME` with the flags every run needs (its config, as a unit would give it), to completion.
    static func tool(_ name: String, _ arguments: [String]) async throws -> Subprocess.Result {
        let peers = ["pingan-finance": ["--peer", "duty=127.0.0.1:1"], "pingan-training": ["--peer", "registry=127.0.0.1:1"]][name] ?? []
        return try await Subprocess.run(try BuiltExecutables.path(name),
                                        arguments + tls + peers + ["--acl", ExecutableTests.aclFile(TrainingIntegrationTests.registryACL)], timeout: .seconds(60))
    }

    /// Finance with one funder; `grant(n)` moves 1 fen to its line under transfer id n.
    static func finance(_ database: String) async throws -> (RunningProcess, FinanceClient) {
        let (process, port) = try await TrainingIntegrationTests.start("pingan-finance", tls + [
            "--acl", ExecutableTests.aclFile(TrainingIntegrationTests.registryACL), "--database", database, "--peer", "duty=127.0.0.1:1",
        ])
        return (process, FinanceClient(RPCClient(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "client"))))
    }

    static func grant(_ id: Int64) -> Pingan_Finance_V1_GrantRequest {
        var grant = Pingan_Finance_V1_GrantRequest()
        grant.funder = "TOWN"
        grant.year = 2010
        grant.category = "office"
        grant.amountFen = 1
        grant.transferID = id
        return grant
    }

    static func line(_ finance: FinanceClient) async throws -> Int64 {
        var prefix = Pingan_Finance_V1_ListAccountsRequest()
        prefix.codePrefix = "LINE/TOWN/2010/office"
        return try await finance.listAccounts(prefix).accounts.first?.creditsPostedFen ?? 0
    }

    @Test("a backup taken while a client keeps writing holds every write acknowledged before it began; restored into a fresh store it serves them")
    func backupWhileWriting() async throws {
        let database = Self.temporary("finance") + ".sqlite"
        let (process, finance) = try await Self.finance(database)
        defer { process.kill() }
        try await FinanceIntegrationTests.openTown(finance)

        let acknowledged = Locked(0)
        let writer = Task {
            var id: Int64 = 1
            while !Task.isCancelled {
                guard (try? await finance.grant(Self.grant(id)))?.result == "created" else { break }
                acknowledged.value = Int(id)
                id += 1
            }
        }
        while acknowledged.value < 100 { try await Task.sleep(for: .milliseconds(10)) }
        let before = acknowledged.value
        let directory = Self.temporary("backups")
        let backup = try await Self.tool("pingan-finance", ["--database", database, "--backup", directory])
        let during = acknowledged.value
        writer.cancel()
        _ = await writer.result
        #expect(backup.status == 0, "\(backup.text) \(backup.standardError)")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".sqlite") })
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(file)")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let fresh = Self.temporary("restored") + ".sqlite"
        let restore = try await Self.tool("pingan-finance", ["--database", fresh, "--restore", "\(directory)/\(file)"])
        #expect(restore.status == 0, "\(restore.text) \(restore.standardError)")
        let (restored, client) = try await Self.finance(fresh)
        defer { restored.kill() }
        let held = try await Self.line(client)
        #expect(held >= Int64(before) && held <= Int64(during) + 1, "the backup holds \(held) grants; \(before) were acknowledged before it began")
        let trial = try await client.getTrialBalance(Pingan_Finance_V1_GetTrialBalanceRequest())
        #expect(trial.debitsFen == trial.creditsFen && trial.unexplainedAccounts.isEmpty)
    }

    @Test("restore refuses another service's backup, a changed file and one from a newer version, and leaves the database it would have replaced in place")
    func restoreRefusals() async throws {
        let database = Self.temporary("finance") + ".sqlite"
        do {
            let (process, finance) = try await Self.finance(database)
            defer { process.kill() }
            try await FinanceIntegrationTests.openTown(finance)
            _ = try await finance.grant(Self.grant(1))
        }
        let directory = Self.temporary("backups")
        #expect(try await Self.tool("pingan-finance", ["--database", database, "--backup", directory]).status == 0)
        let backup = "\(directory)/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".sqlite") }))

        let training = Self.temporary("training") + ".sqlite"
        let foreign = try await Self.tool("pingan-training", ["--database", training, "--restore", backup])
        #expect(foreign.status != 0 && foreign.standardError.contains("is a backup of the finance service, not of training"), "\(foreign.standardError)")
        #expect(!FileManager.default.fileExists(atPath: training))

        // A migration this binary does not know: the backup comes from a newer release.
        let newer = Self.temporary("newer") + ".sqlite"
        try FileManager.default.copyItem(atPath: backup, toPath: newer)
        let edit = try await Subprocess.run("/usr/bin/sqlite3", [newer, "INSERT INTO grdb_migrations VALUES ('v99: from a newer release')"], timeout: .seconds(10))
        #expect(edit.status == 0, "\(edit.standardError)")
        let changed = try await Self.tool("pingan-finance", ["--database", database, "--restore", newer])
        #expect(changed.status != 0 && changed.standardError.contains("manifest"), "no manifest of its own: \(changed.standardError)")
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: backup + ".json"))) as? [String: Any])
        manifest["bytes"] = (try FileManager.default.attributesOfItem(atPath: newer)[.size] as? Int) ?? 0
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: newer + ".json"))
        let future = try await Self.tool("pingan-finance", ["--database", database, "--restore", newer])
        #expect(future.status != 0 && future.standardError.contains("newer"), "\(future.standardError)")

        try Data("tampered".utf8).write(to: URL(fileURLWithPath: backup), options: .atomic)
        let tampered = try await Self.tool("pingan-finance", ["--database", database, "--restore", backup])
        #expect(tampered.status != 0 && tampered.standardError.contains("not the file that was backed up"), "\(tampered.standardError)")

        let (process, finance) = try await Self.finance(database)
        defer { process.kill() }
        #expect(try await Self.line(finance) == 1, "the database stayed as it was")
    }

    @Test("a registry backup holds the sealed numbers, never the personal-data key")
    func noKeyInBackup() async throws {
        let storage = try ExecutableTests.storageFlags()
        let (process, port) = try await TrainingIntegrationTests.start(
            "pingan-registry", Self.tls + ["--acl", ExecutableTests.aclFile(TrainingIntegrationTests.registryACL)] + storage)
        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "client"))
        let _: Pingan_Registry_V1_SaveUnitsResponse = try await connection.unary(RegistryMethods.saveUnits, RegistryFixtures.units())
        _ = try await RegistryFixtures.register(connection, batch: "b", unit: "DEPT-ZZB", category: 1, rows: [("队员1", RegistryFixtures.idNumber(sequence: 1))])
        await connection.close()
        let directory = Self.temporary("backups")
        let backup = try await Self.tool("pingan-registry", storage + ["--backup", directory])
        process.kill()
        #expect(backup.status == 0, "\(backup.standardError)")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".sqlite") })
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file)"))
        let keyText = try Data(contentsOf: URL(fileURLWithPath: storage[storage.firstIndex(of: "--data-key")! + 1]))
        #expect(bytes.range(of: keyText) == nil && bytes.range(of: Data(repeating: 0x5a, count: 32)) == nil, "the key, as text or as bytes")
        #expect(bytes.range(of: Data(RegistryFixtures.idNumber(sequence: 1).utf8)) == nil, "the ID number is sealed")
    }
}
