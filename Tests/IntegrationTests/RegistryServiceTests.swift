import Foundation
import Logging
import PinganPersonalData
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Registry
import Testing

/// The registry over the wire: the real executable, mutual TLS, every kind of call. The rules of
/// each method are tested in-process (RegistryTests/RegistryServiceTests).
@Suite("Registry over mutual TLS", .timeLimit(.minutes(2)))
struct RegistryServiceTests {
    typealias Request = Pingan_Registry_V1_RegisterBatchRequest


    @Test("the real pingan-registry registers a batch, answers masked and unmasked, and refuses bad rows with details")
    func endToEnd() async throws {
        let flags = ExecutableTests.tlsFlags + (try ExecutableTests.storageFlags())
        let service = try RunningProcess(try BuiltExecutables.path("pingan-registry"), ["--port", "0"] + flags)
        defer { service.kill() }
        let line = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: port, tls: TestCertificates.context(.client, identity: "client"))

        let saved: Pingan_Registry_V1_SaveUnitsResponse = try await connection.unary(RegistryMethods.saveUnits, RegistryFixtures.units())
        #expect(saved.saved == 3)

        let rows = (1...500).map { ("职工\($0)", RegistryFixtures.idNumber(sequence: $0)) }
        let result = try await RegistryFixtures.register(connection, batch: "zzb-1", unit: "DEPT-ZZB", category: 1, rows: rows)
        #expect(result.accepted == 500)
        #expect(!result.replayed)
        let again = try await RegistryFixtures.register(connection, batch: "zzb-1", unit: "DEPT-ZZB", category: 1, rows: rows)
        #expect(again.replayed && again.firstVolunteerID == result.firstVolunteerID)

        var get = Pingan_Registry_V1_GetVolunteerRequest()
        get.id = result.firstVolunteerID
        let masked: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.getVolunteer, get)
        #expect(masked.idNumber == "31**************" + RegistryFixtures.idNumber(sequence: 1).suffix(2))
        #expect(masked.birthDate.isEmpty && masked.birthYear == 1980)
        #expect(masked.name == "职工1")
        get.unmasked = true
        let full: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.getVolunteer, get)
        #expect(full.idNumber == RegistryFixtures.idNumber(sequence: 1))
        #expect(full.birthDate == "1980-01-01")

        var bad = (501...510).map { ("职工\($0)", RegistryFixtures.idNumber(sequence: $0)) }
        bad[3].1 = "110105194912310023"
        bad[6].1 = RegistryFixtures.idNumber(sequence: 7)  // registered in the first batch
        await #expect {
            _ = try await RegistryFixtures.register(connection, batch: "zzb-2", unit: "DEPT-ZZB", category: 1, rows: bad)
        } throws: { error in
            guard let error = error as? RPCError, error.code == .invalidArgument else { return false }
            let fields = error.details?.fieldViolations.map(\.field) ?? []
            return fields == ["rows[4].id_number", "rows[7].id_number"]
                && error.details?.fieldViolations.map(\.rule) == ["GB11643_CHECK_DIGIT", "ALREADY_REGISTERED"]
                && error.message.hasPrefix("batch refused: rows[4].id_number: check digit")
        }
        var export = Pingan_Registry_V1_ExportVolunteersRequest()
        let exported: ResponseStream<Pingan_Registry_V1_Volunteer> = try await connection.serverStreaming(RegistryMethods.exportVolunteers, export)
        var ids: [Int64] = []
        for try await volunteer in exported {
            #expect(volunteer.idNumber.contains("**********"))
            ids.append(volunteer.id)
        }
        #expect(ids == Array(result.firstVolunteerID..<(result.firstVolunteerID + 500)))
        export.category = 2
        let none: ResponseStream<Pingan_Registry_V1_Volunteer> = try await connection.serverStreaming(RegistryMethods.exportVolunteers, export)
        var count = 0
        for try await _ in none { count += 1 }
        #expect(count == 0)

        get.id = result.firstVolunteerID + 500
        await #expect {
            let _: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.getVolunteer, get)
        } throws: { ($0 as? RPCError)?.code == .notFound }
        // 600 bad rows: a refusal larger than the old 16 KiB STATUS cap, on the same connection.
        let many = (1...600).map { ("职工\($0)", RegistryFixtures.badIDNumber(sequence: $0)) }
        await #expect {
            _ = try await RegistryFixtures.register(connection, batch: "zzb-3", unit: "DEPT-ZZB", category: 1, rows: many)
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .invalidArgument && error.details?.fieldViolations.count == 600 && error.details?.omittedViolations == 0
        }
        #expect(connection.isUsable, "a large refusal does not cost the connection")
        get.id = result.firstVolunteerID
        let after: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.getVolunteer, get)
        #expect(after.id == result.firstVolunteerID)
        await connection.close()
    }
}
