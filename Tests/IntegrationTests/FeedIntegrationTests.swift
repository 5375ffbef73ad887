import Foundation
import PinganDutyContracts
import PinganFinanceContracts
import PinganProtocolContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

/// Every service's change feed over the real executables: what `pingan watch` prints, and what
/// a SIGKILL cannot take away.
@Suite("Change feeds of the real services", .timeLimit(.minutes(2)))
struct FeedIntegrationTests {
    static func watch(_ service: String, after: Int64 = 0, config: String) async throws -> [[String: Any]] {
        let result = try await GatewayIntegrationTests.pingan(["watch", "--service", service, "--after", String(after), "--until-caught-up", "--json",
                                                               "--config", config, "--timeout", "30"])
        #expect(result.status == 0, "\(result.standardError)")
        return try result.text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("registrations, enrollment and completion, a shift and a hazard, a grant: each service's feed in order, states decoded and masked")
    func everyService() async throws {
        let stack = try await GatewayIntegrationTests.stack(volunteers: 2, trained: 1)
        defer { stack.kill() }
        let config = try GatewayIntegrationTests.config([("a", stack.services)])
        let office = try TestCertificates.context(.client, identity: "client")
        let duty = DutyClient(RPCClient(host: "127.0.0.1", port: stack.dutyPort, tls: office))
        var post = Pingan_Duty_V1_SavePostRequest()
        post.code = "JC-017-G1"
        post.project = "station_guarding"
        post.unitCode = "JC-017"
        post.place = "门岗"
        post.duty = "值守"
        _ = try await duty.savePost(post)
        var assign = Pingan_Duty_V1_AssignShiftRequest()
        assign.postCode = "JC-017-G1"
        assign.volunteerID = stack.first
        assign.starts = "2009-12-01 19:00"
        assign.ends = "2009-12-01 23:00"
        _ = try await duty.assignShift(assign)
        var hazard = Pingan_Duty_V1_ReportHazardRequest()
        hazard.kind = "fire"
        hazard.unitCode = "JC-017"
        hazard.place = "楼道"
        hazard.description_p = "电动车充电"
        hazard.reportedOn = "2009-12-02"
        _ = try await duty.reportHazard(hazard)
        try await FinanceIntegrationTests.budget(FinanceClient(RPCClient(host: "127.0.0.1", port: stack.financePort, tls: office)), fen: 100)

        let registry = try await Self.watch("registry", config: config)
        #expect(registry.map { $0["action"] as? String } == ["registered", "registered"])
        let volunteer = try #require(registry.first?["state"] as? [String: Any])
        #expect((volunteer["idNumber"] as? String)?.contains("*") == true && volunteer["name"] as? String == "队员1", "\(volunteer)")
        #expect(try await Self.watch("registry", after: registry[0]["sequence"] as? Int64 ?? 0, config: config).count == 1, "resumes after")
        #expect(try await Self.watch("training", config: config).map { $0["action"] as? String } == ["enrolled", "completed"])
        let dutyEvents = try await Self.watch("duty", config: config)
        #expect(dutyEvents.map { "\($0["kind"] ?? "") \($0["action"] ?? "")" } == ["shift assigned", "hazard reported"])
        #expect(try await Self.watch("finance", config: config).map { $0["action"] as? String } == ["posted"], "the grant")

        let text = try await GatewayIntegrationTests.pingan(["watch", "--service", "duty", "--until-caught-up", "--config", config])
        #expect(text.text.contains("duty #") && text.text.contains("shift") && text.text.contains("(JC-017)"), "\(text.text)")
        let bad = try await GatewayIntegrationTests.pingan(["watch", "--service", "payroll", "--config", config])
        #expect(bad.status == 64 && bad.standardError.contains("not one of registry, training, duty, finance"))
    }

    @Test("after SIGKILL every acknowledged change has its event, and numbering goes on from where it was")
    func survivesKill() async throws {
        let database = BackupIntegrationTests.temporary("finance") + ".sqlite"
        let start = { try await FinanceIntegrationTests.startFinance(database: database, dutyPort: 1) }
        var (process, port) = try await start()
        var finance = try FinanceIntegrationTests.client(port, identity: "client")
        try await FinanceIntegrationTests.openTown(finance)
        for id in Int64(1)...20 { _ = try await finance.grant(BackupIntegrationTests.grant(id)) }
        process.signal(SIGKILL)
        _ = try await process.waitForExit(within: .seconds(10))
        (process, port) = try await start()
        defer { process.kill() }
        finance = try FinanceIntegrationTests.client(port, identity: "client")
        _ = try await finance.grant(BackupIntegrationTests.grant(21))

        var request = Pingan_Feed_V1_WatchRequest()
        request.stopWhenCaughtUp = true
        var events: [Pingan_Feed_V1_ChangeEvent] = []
        let client = RPCClient(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "client"))
        for try await event in try await client.serverStreaming(FeedMethods.watch, request) as ResponseStream<Pingan_Feed_V1_ChangeEvent> {
            events.append(event)
        }
        #expect(events.map(\.entityID) == (1...21).map(String.init), "every grant acknowledged before the kill, and the one after")
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
    }

    @Test("a follower sees every committed change exactly once and in order while another client writes and the service is killed mid-way")
    func followerAcrossKill() async throws {
        let database = BackupIntegrationTests.temporary("finance") + ".sqlite"
        let (first, port) = try await FinanceIntegrationTests.startFinance(database: database, dutyPort: 1)
        let running = Locked(first)
        defer { running.value.kill() }
        let tls = try TestCertificates.context(.client, identity: "client")
        try await FinanceIntegrationTests.openTown(FinanceClient(RPCClient(host: "127.0.0.1", port: port, tls: tls)))

        let total: Int64 = 60
        let acknowledged = Locked<Int64>(0)
        let writer = Task {
            let finance = FinanceClient(RPCClient(host: "127.0.0.1", port: port, tls: tls))
            for id in 1...total {
                // A grant lost with the connection is sent again: its transfer id applies it once.
                while (try? await finance.grant(BackupIntegrationTests.grant(id)))?.result.isEmpty != false {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                acknowledged.value = id
            }
        }
        let seen = Locked<[Pingan_Feed_V1_ChangeEvent]>([])
        let follower = Task {
            while seen.value.count < Int(total), !Task.isCancelled {
                let client = RPCClient(host: "127.0.0.1", port: port, tls: tls)
                var request = Pingan_Feed_V1_WatchRequest()
                request.after = seen.value.last?.sequence ?? 0
                do {
                    for try await event in try await client.serverStreaming(FeedMethods.watch, request) as ResponseStream<Pingan_Feed_V1_ChangeEvent> {
                        seen.value.append(event)
                        if seen.value.count == Int(total) { break }
                    }
                } catch {
                    try? await Task.sleep(for: .milliseconds(50))  // the service is restarting: resume after the last event seen
                }
                await client.close()
            }
        }
        while acknowledged.value < total / 2 { try await Task.sleep(for: .milliseconds(5)) }
        running.value.signal(SIGKILL)
        _ = try await running.value.waitForExit(within: .seconds(10))
        running.value = try await TrainingIntegrationTests.start("pingan-finance", [
            "--cert", TestCertificates.path("server.pem"), "--key", TestCertificates.path("server.key"), "--ca", TestCertificates.path("ca.pem"),
            "--acl", ExecutableTests.aclFile(FinanceIntegrationTests.acl), "--database", database, "--peer", "duty=127.0.0.1:1",
        ], port: port).0
        _ = await writer.result
        for _ in 0..<400 where seen.value.count < Int(total) { try await Task.sleep(for: .milliseconds(25)) }
        follower.cancel()
        let events = seen.value
        #expect(events.map(\.entityID) == (1...total).map(String.init), "every committed grant once, in order: \(events.map(\.entityID))")
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
    }
}
