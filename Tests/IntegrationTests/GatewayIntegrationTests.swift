import Foundation
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import PinganTrainingContracts
import Testing

/// The real `pingan` against real registry, training and duty executables on loopback.
@Suite("Gateway CLI end to end")
struct GatewayIntegrationTests {
    /// One town: a registry, a training, a duty and a finance service, with `volunteers` registered in
    /// DEPT-ZZB (ids from `first`), a pre-job course, and `trained` of them through it on
    /// 2009-11-20.
    struct Stack {
        var registry: RunningProcess
        var training: RunningProcess
        var duty: RunningProcess
        var finance: RunningProcess
        var registryPort: Int
        var trainingPort: Int
        var dutyPort: Int
        var financePort: Int
        var first: Int64

        /// Service name to port, for a gateway config.
        var services: [String: Int] { ["registry": registryPort, "training": trainingPort, "duty": dutyPort, "finance": financePort] }

        func kill() {
            registry.kill()
            training.kill()
            duty.kill()
            finance.kill()
        }
    }

    static func stack(volunteers: Int, trained: Int) async throws -> Stack {
        let tls = ["--cert", TestCertificates.path("server.pem"), "--key", TestCertificates.path("server.key"), "--ca", TestCertificates.path("ca.pem")]
        let (registry, registryPort) = try await TrainingIntegrationTests.start(
            "pingan-registry", tls + ["--acl", ExecutableTests.aclFile(TrainingIntegrationTests.registryACL)] + ExecutableTests.storageFlags())
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-training-\(UUID()).sqlite").path
        // Training, like the registry, takes the services' certificate as a service (duty calls it).
        let (training, trainingPort) = try await TrainingIntegrationTests.start("pingan-training", tls + [
            "--acl", ExecutableTests.aclFile(TrainingIntegrationTests.registryACL),
            "--database", database, "--peer", "registry=127.0.0.1:\(registryPort)",
        ])
        let office = try TestCertificates.context(.client, identity: "client")
        let registryConnection = try await RPCConnection.connect(host: "127.0.0.1", port: registryPort, tls: office)
        let _: Pingan_Registry_V1_SaveUnitsResponse = try await registryConnection.unary(RegistryMethods.saveUnits, RegistryFixtures.units())
        let rows = (1...volunteers).map { ("队员\($0)", RegistryFixtures.idNumber(sequence: $0)) }
        let batch = try await RegistryFixtures.register(registryConnection, batch: "b", unit: "DEPT-ZZB", category: 1, rows: rows)
        await registryConnection.close()

        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: trainingPort, tls: office)
        let (_, session) = try await TrainingIntegrationTests.preJobSession(connection, hours: 2, capacity: 500)
        var sheet = Pingan_Training_V1_RecordAttendanceRequest()
        sheet.sessionID = session.id
        for offset in 0..<Int64(trained) {
            var enroll = Pingan_Training_V1_EnrollRequest()
            enroll.sessionID = session.id
            enroll.volunteerID = batch.firstVolunteerID + offset
            let _: Pingan_Training_V1_Enrollment = try await connection.unary(TrainingMethods.enroll, enroll)
            var row = Pingan_Training_V1_AttendanceRow()
            row.volunteerID = enroll.volunteerID
            row.present = true
            sheet.rows.append(row)
        }
        if trained > 0 { let _: Pingan_Training_V1_AttendanceResult = try await connection.unary(TrainingMethods.recordAttendance, sheet) }
        await connection.close()
        let dutyDatabase = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-duty-\(UUID()).sqlite").path
        let (duty, dutyPort) = try await TrainingIntegrationTests.start("pingan-duty", tls + [
            "--acl", ExecutableTests.aclFile(TrainingIntegrationTests.registryACL), "--database", dutyDatabase,
            "--peer", "registry=127.0.0.1:\(registryPort)", "--peer", "training=127.0.0.1:\(trainingPort)",
        ])
        let financeDatabase = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-finance-\(UUID()).sqlite").path
        let (finance, financePort) = try await FinanceIntegrationTests.startFinance(database: financeDatabase, dutyPort: dutyPort)
        return Stack(registry: registry, training: training, duty: duty, finance: finance, registryPort: registryPort, trainingPort: trainingPort,
                     dutyPort: dutyPort, financePort: financePort, first: batch.firstVolunteerID)
    }

    /// A gateway config file for these towns (code to its services), presenting `identity`'s certificate.
    static func config(_ towns: [(code: String, services: [String: Int])], identity: String = "client") throws -> String {
        let townsJSON = towns.map { town -> String in
            let services = town.services.map { "\"\($0.key)\": \"127.0.0.1:\($0.value)\"" as String }.joined(separator: ", ")
            return #"{"code": "\#(town.code)", "name": "\#(town.code)镇", "services": {\#(services)}}"#
        }.joined(separator: ", ")
        let json = #"{"client": {"cert": "\#(TestCertificates.path("\(identity).pem"))", "key": "\#(TestCertificates.path("\(identity).key"))", "ca": "\#(TestCertificates.path("ca.pem"))"}, "towns": [\#(townsJSON)]}"#
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-gateway-\(UUID()).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func pingan(_ arguments: [String], timeout: Duration = .seconds(30)) async throws -> Subprocess.Result {
        try await Subprocess.run(try BuiltExecutables.path("pingan"), arguments + ["--lang", "en"], timeout: timeout)
    }

    static func json(_ result: Subprocess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any], "\(result.text) \(result.standardError)")
    }

    static func statuses(_ json: [String: Any]) -> [String: String] {
        let sections = json["sections"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: sections.map { ($0["id"] as? String ?? "", $0["status"] as? String ?? "") })
    }

    /// A port nothing listens on.
    static func deadPort() throws -> Int {
        let socket = try Socket.reserve()
        return socket
    }

    @Test("volunteer show merges registry, training, duty and finance; with each service missing in turn the others still print and the exit says partial")
    func mergeWithEachServiceMissing() async throws {
        let stack = try await Self.stack(volunteers: 5, trained: 3)
        defer { stack.kill() }
        let id = String(stack.first)

        let all = try await Self.pingan(["volunteer", "show", id, "--json", "--config", try Self.config([("a", stack.services)])])
        #expect(all.status == 0, "\(all.standardError)")
        let merged = try Self.json(all)
        #expect(merged["partial"] as? Bool == false)
        #expect(Self.statuses(merged) == ["registry.volunteer": "ok", "registry.history": "ok", "training.courses": "ok", "training.sessions": "ok",
                                          "duty.posts": "ok", "duty.shifts": "ok", "duty.activities": "ok", "duty.standing": "ok",
                                          "finance.kit": "ok", "finance.allowances": "ok"])
        let registrySection = (merged["sections"] as? [[String: Any]])?.first
        #expect((registrySection?["fields"] as? [String: Any])?["name"] as? String == "队员1")

        let dead = try Self.deadPort()
        for missing in ["registry", "training", "duty", "finance"] {
            var services = stack.services
            services[missing] = dead
            let result = try await Self.pingan(["volunteer", "show", id, "--json", "--config", try Self.config([("a", services)])])
            #expect(result.status == 2, "missing \(missing): \(result.standardError)")
            let view = try Self.json(result)
            #expect(view["partial"] as? Bool == true)
            for (section, status) in Self.statuses(view) {
                #expect(status == (section.hasPrefix(missing) ? "unavailable" : "ok"), "\(section) with \(missing) missing")
            }
            let reasons = (view["sections"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
            #expect(reasons.allSatisfy { $0.contains("\(missing) at 127.0.0.1:\(dead) is unreachable") }, "\(reasons)")
        }

        let table = try await Self.pingan(["volunteer", "show", id, "--config", try Self.config([("a", ["registry": stack.registryPort])])])
        #expect(table.status == 2)
        #expect(table.text.contains("== Training ==\nunavailable: no training service configured for this town"))

        let unknown = try await Self.pingan(["volunteer", "show", "999999", "--config", try Self.config([("a", stack.services)])])
        #expect(unknown.status == 3 && unknown.standardError.contains("no volunteer 999999"))
    }

    @Test("a hanging service is reported within the deadline; the command does not hang")
    func hangingService() async throws {
        let stack = try await Self.stack(volunteers: 2, trained: 0)
        defer { stack.kill() }
        let silent = try await SilentServer.start()
        let started = ContinuousClock.now
        let result = try await Self.pingan(["volunteer", "show", String(stack.first), "--timeout", "1",
                                            "--config", try Self.config([("a", ["registry": stack.registryPort, "training": silent.port])])])
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 2)
        #expect(elapsed < .seconds(8), "bounded by --timeout 1 plus process start-up, took \(elapsed)")
        #expect(result.text.contains("training at 127.0.0.1:\(silent.port) did not answer in time"), "\(result.text)")
        #expect(result.text.contains("队员1"), "the registry's part still prints")
        try await silent.channel.close()
    }

    @Test("pingan finds the per-user config make run writes: health with no flags and no environment; completion scripts for bash, zsh and fish")
    func perUserConfig() async throws {
        let stack = try await Self.stack(volunteers: 1, trained: 0)
        defer { stack.kill() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-xdg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: "\(home)/pingan", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Self.config([("local", stack.services)]), toPath: "\(home)/pingan/gateway.json")
        let health = try await Subprocess.run(try BuiltExecutables.path("pingan"), ["health"], environment: ["XDG_CONFIG_HOME": home], timeout: .seconds(30))
        #expect(health.status == 0 && health.text.contains("SERVING"), "\(health.text) \(health.standardError)")
        let none = try await Subprocess.run(try BuiltExecutables.path("pingan"), ["health"], timeout: .seconds(30))
        #expect(none.status == 64 && none.standardError.contains("client.cert is not set"), "without it, the one setting missing is named")
        for shell in ["bash", "zsh", "fish"] {
            let script = try await Subprocess.run(try BuiltExecutables.path("pingan"), ["--generate-completion-script", shell], timeout: .seconds(30))
            #expect(script.status == 0 && script.text.contains("finance") && script.text.contains("watch"), "\(shell)")
        }
    }

    @Test("options that name a course or a team take what people see (PJ-01, JC-017/巡逻一队), or the id; an unknown one is named")
    func courseCodes() async throws {
        let stack = try await Self.stack(volunteers: 2, trained: 1)
        defer { stack.kill() }
        let config = try Self.config([("a", stack.services)])
        let byCode = try await Self.pingan(["training", "overdue", "--course", "PJ-01", "--on", "2010-03-01", "--json", "--config", config])
        #expect(byCode.status == 0, "\(byCode.standardError)")
        let byID = try await Self.pingan(["training", "overdue", "--course", "1", "--on", "2010-03-01", "--json", "--config", config])
        #expect(byID.text == byCode.text)
        #expect(try await Self.pingan(["training", "sessions", "--course", "pj-01", "--config", config]).status == 0, "codes in any case")
        let unknown = try await Self.pingan(["training", "overdue", "--course", "PJ-99", "--on", "2010-03-01", "--config", config])
        #expect(unknown.status == 64 && unknown.standardError.contains("--course 'PJ-99' is not a course code or id (courses: PJ-01)"), "\(unknown.standardError)")

        // Teams by UNIT/name or by a name only one team has.
        let registry = RegistryClient(RPCClient(host: "127.0.0.1", port: stack.registryPort, tls: try TestCertificates.context(.client, identity: "client")))
        var team = Pingan_Registry_V1_SaveTeamRequest()
        team.unitCode = "DEPT-ZZB"
        team.name = "巡逻一队"
        _ = try await registry.saveTeam(team)
        for (offset, reference) in ["DEPT-ZZB/巡逻一队", "巡逻一队"].enumerated() {
            let moved = try await Self.pingan(["registry", "transfer", String(stack.first + Int64(offset)), "--team", reference, "--reason", "编队",
                                               "--config", config])
            #expect(moved.status == 0 && moved.text.contains("巡逻一队"), "\(reference): \(moved.standardError)")
        }
        let searched = try await Self.pingan(["registry", "search", "--team", "DEPT-ZZB/巡逻一队", "--json", "--config", config])
        #expect(searched.status == 0 && searched.text.contains("队员1"), "\(searched.standardError)")
        let noTeam = try await Self.pingan(["registry", "transfer", String(stack.first), "--team", "二队", "--reason", "r", "--config", config])
        #expect(noTeam.status == 64 && noTeam.standardError.contains("--team '二队' is no team's UNIT/name, name or id"), "\(noTeam.standardError)")
    }

    @Test("dashboard over two towns: a row per town and district totals that add up")
    func districtTotals() async throws {
        let first = try await Self.stack(volunteers: 6, trained: 4)
        defer { first.kill() }
        let second = try await Self.stack(volunteers: 3, trained: 1)
        defer { second.kill() }
        let config = try Self.config([("east", first.services), ("west", second.services)])
        let result = try await Self.pingan(["dashboard", "--all-towns", "--json", "--config", config])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = try #require(((try Self.json(result))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        #expect(rows.map { $0["town"] as? String } == ["east", "west", "*"])
        func figure(_ row: [String: Any], _ key: String) -> [Int] {
            let value = row[key] as? [String: Any]
            return [value?["part"] as? Int ?? -1, value?["whole"] as? Int ?? -1]
        }
        #expect(rows.map { figure($0, "recruitment") } == [[6, 6249], [3, 6249], [9, 12498]])
        #expect(rows.map { figure($0, "pre_job_training") } == [[4, 6], [1, 3], [5, 9]])

        let table = try await Self.pingan(["dashboard", "--all-towns", "--config", config])
        #expect(table.text.contains("9/12498 0%"))

        second.kill()
        _ = try await second.training.waitForExit(within: .seconds(10))
        let partial = try await Self.pingan(["dashboard", "--all-towns", "--json", "--config", config])
        #expect(partial.status == 2)
        let partialRows = try #require(((try Self.json(partial))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        #expect(partialRows.last.map { figure($0, "recruitment") } == [6, 6249], "a town that did not answer is left out of the totals")
    }

    @Test("pingan duty: a post with its route, a shift for the trained volunteer and a refusal for the untrained, a check-in and a missed checkpoint, a rota file, an activity sheet and an activity, a hazard moved on; the dashboard counts them on the day asked")
    func dutyCommands() async throws {
        let stack = try await Self.stack(volunteers: 3, trained: 1)
        defer { stack.kill() }
        let config = try Self.config([("a", stack.services)])
        func run(_ arguments: [String]) async throws -> Subprocess.Result {
            // A generous deadline: the whole suite shares two cores with this test's three services.
            try await Self.pingan(["duty"] + arguments + ["--config", config, "--timeout", "30"])
        }
        let post = try await run(["save-post", "JC-017-P1", "--project", "patrol", "--unit", "JC-017", "--place", "十七居委会辖区",
                                  "--duty", "夜间巡逻", "--checkpoint", "居委会@0", "--checkpoint", "菜场@20"])
        #expect(post.status == 0, "\(post.standardError)")
        #expect(post.text.contains("居委会@0 > 菜场@20"), "\(post.text)")
        let badRoute = try await run(["save-post", "JC-017-P2", "--project", "patrol", "--unit", "JC-017", "--place", "p", "--duty", "d",
                                      "--checkpoint", "菜场"])
        #expect(badRoute.status == 64 && badRoute.standardError.contains("--checkpoint '菜场' is not NAME@MINUTES"))

        let first = String(stack.first)
        let window = ["--starts", "2009-12-01 19:00", "--ends", "2009-12-01 23:00"]
        let assigned = try await run(["assign", "JC-017-P1", first] + window + ["--json"])
        #expect(assigned.status == 0, "\(assigned.standardError)")
        let untrained = try await run(["assign", "JC-017-P1", String(stack.first + 1)] + window)
        #expect(untrained.status == 3 && untrained.standardError.contains("lacks PJ-01"), "\(untrained.standardError)")
        let twice = try await run(["assign", "JC-017-P1", first, "--starts", "2009-12-01 22:00", "--ends", "2009-12-02 01:00"])
        #expect(twice.status == 3, "an overlapping shift is refused: \(twice.standardError)")

        let shiftID = try #require((((try Self.json(assigned))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])?.first?["shift"] as? Int)
        let checkIn = try await run(["check-in", String(shiftID), "居委会", "--at", "2009-12-01 19:05"])
        #expect(checkIn.status == 0 && checkIn.text.contains("on_time"), "\(checkIn.text) \(checkIn.standardError)")
        let rounds = try await run(["rounds", "--post", "JC-017-P1", "--from", "2009-12-01", "--to", "2009-12-01", "--as-of", "2009-12-01 23:00", "--json"])
        let round = (((try Self.json(rounds))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])?.first
        #expect(round?["missed"] as? Int == 1 && round?["complete"] as? Bool == false, "菜场 was never reached: \(rounds.text)")

        let rotaFile = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-rota-\(UUID()).csv")
        try Data("编号,星期,开始,结束\n\(first),周二,19:00,22:00\n\(stack.first + 1),3,19:00,22:00\n".utf8).write(to: rotaFile)
        let rota = ["rota", rotaFile.path, "--post", "JC-017-P1", "--from", "2009-12-08", "--to", "2009-12-14", "--json", "--config", config, "--timeout", "30"]
        let refusedRota = try await Self.pingan(["import"] + rota)
        #expect(refusedRota.status == 3, "\(refusedRota.standardError)")
        let rotaErrors = ((try Self.json(refusedRota))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]] ?? []
        #expect(rotaErrors.map { $0["line"] as? Int } == [3] && rotaErrors.first?["rule"] as? String == "NOT_QUALIFIED", "\(rotaErrors)")
        try Data("编号,星期,开始,结束\n\(first),周二,19:00,22:00\n".utf8).write(to: rotaFile)
        for _ in 0..<2 {
            let assignedRota = try await Self.pingan(["import"] + rota)
            #expect(assignedRota.status == 0, "\(assignedRota.standardError)")
            let fields = ((try Self.json(assignedRota))["sections"] as? [[String: Any]])?.first?["fields"] as? [String: Any]
            #expect(fields?["assigned"] as? Int == 1, "sent twice, assigned once")
        }

        let sheet = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-activities-\(UUID()).csv")
        try Data("编号,项目,日期,地点,小时\n\(first),publicity,2009-12-02,十七居委会,2\n999999,patrol,2009-12-31,菜场,25\n".utf8).write(to: sheet)
        let activities = ["activities", sheet.path, "--json", "--config", config, "--timeout", "30"]
        let refusedSheet = try await Self.pingan(["import"] + activities)
        #expect(refusedSheet.status == 3, "\(refusedSheet.standardError)")
        let sheetErrors = ((try Self.json(refusedSheet))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]] ?? []
        #expect(sheetErrors.map { $0["line"] as? Int } == [3, 3] && Set(sheetErrors.compactMap { $0["rule"] as? String }) == ["HOURS", "UNKNOWN_VOLUNTEER"],
                "\(sheetErrors)")
        try Data("编号,项目,日期,地点,小时\n\(first),publicity,2009-12-02,十七居委会,2\n".utf8).write(to: sheet)
        for _ in 0..<2 {
            let recorded = try await Self.pingan(["import"] + activities)
            let fields = ((try Self.json(recorded))["sections"] as? [[String: Any]])?.first?["fields"] as? [String: Any]
            #expect(recorded.status == 0 && fields?["recorded"] as? Int == 1, "\(recorded.standardError)")
        }

        let activity = try await run(["activity", first, "--project", "patrol", "--day", "2009-12-01", "--hours", "4", "--place", "十七居委会", "--json"])
        #expect(activity.status == 0, "\(activity.standardError)")
        let hazard = try await run(["report-hazard", "--kind", "fire", "--unit", "JC-017", "--place", "三号楼", "--description", "楼道堆物",
                                    "--on", "2009-12-01", "--json"])
        #expect(hazard.status == 0, "\(hazard.standardError)")
        let hazardID = try #require((((try Self.json(hazard))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])?.first?["hazard"] as? Int)
        let skipped = try await run(["advance-hazard", String(hazardID), "--to", "verified", "--on", "2009-12-02"])
        #expect(skipped.status == 3 && skipped.standardError.contains("can move to referred, not verified"), "\(skipped.standardError)")
        let referred = try await run(["advance-hazard", String(hazardID), "--to", "referred", "--on", "2009-12-02",
                                      "--department", "镇消防科", "--due", "2009-12-05"])
        #expect(referred.status == 0, "\(referred.standardError)")

        let shown = try await Self.pingan(["volunteer", "show", first, "--on", "2009-12-07", "--json", "--config", config])
        let shifts = (try Self.json(shown))["sections"] as? [[String: Any]] ?? []
        let shiftRows = shifts.first { $0["id"] as? String == "duty.shifts" }?["rows"] as? [[String: Any]]
        #expect(shiftRows?.map { $0["post"] as? String } == ["JC-017-P1", "JC-017-P1"], "the evening shift and the rota's Tuesday")
        let posts = shifts.first { $0["id"] as? String == "duty.posts" }?["rows"] as? [[String: Any]]
        #expect(posts?.map { $0["route"] as? String } == ["居委会@0 > 菜场@20"])
        let standing = shifts.first { $0["id"] as? String == "duty.standing" }?["fields"] as? [String: Any]
        #expect(standing?["activities"] as? String == "2 / 0", "the sheet's and the single activity of December 2009: \(String(describing: standing))")

        let dashboard = try await Self.pingan(["dashboard", "--on", "2009-12-07", "--json", "--config", config])
        #expect(dashboard.status == 0, "\(dashboard.standardError)")
        let sections = (try Self.json(dashboard))["sections"] as? [[String: Any]] ?? []
        func rows(_ id: String) -> [[String: Any]] { sections.first { $0["id"] as? String == id }?["rows"] as? [[String: Any]] ?? [] }
        let committee = rows("duty.coverage").first { $0["unit"] as? String == "JC-017" }
        #expect((committee?["days_covered"] as? [String: Any])?["part"] as? Int == 1, "one evening of seven: \(String(describing: committee))")
        #expect(rows("duty.hazards_overdue").map { $0["hazard"] as? Int } == [hazardID], "due 2009-12-05, still referred on 2009-12-07")
        let district = try await Self.pingan(["dashboard", "--all-towns", "--on", "2009-12-03", "--json", "--config", config])
        let town = try #require(((try Self.json(district))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        #expect((town.first?["hazards_overdue"] as? [String: Any]).map { [$0["part"] as? Int, $0["whole"] as? Int] } == [0, 1],
                "open but not yet due on 2009-12-03")
        #expect((town.first?["activity_compliance"] as? [String: Any])?["whole"] as? Int == 3)

        let badDay = try await Self.pingan(["dashboard", "--on", "2009-02-30", "--config", config])
        #expect(badDay.status == 64)
    }

    @Test("imports: bad rows come back with their file lines and nothing is imported; good rows register once")
    func importBatch() async throws {
        let stack = try await Self.stack(volunteers: 1, trained: 0)
        defer { stack.kill() }
        let config = try Self.config([("a", stack.services)])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-import-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bad = folder.appendingPathComponent("bad.csv")
        try Data("\u{FEFF}姓名,身份证号,手机\r\n张伟,\(RegistryFixtures.idNumber(sequence: 50)),13812345678\r\n\"李,娜\",110105194912310023,\r\n王芳,\(RegistryFixtures.idNumber(sequence: 51)),123\r\n".utf8).write(to: bad)
        let refused = try await Self.pingan(["import", "batch", bad.path, "--unit", "DEPT-ZZB", "--category", "1", "--json", "--config", config])
        #expect(refused.status == 3)
        let errors = try #require(((try Self.json(refused))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        #expect(errors.map { $0["line"] as? Int } == [3, 4])
        #expect(errors.map { $0["field"] as? String } == ["id_number", "phone"])

        let sheet = folder.appendingPathComponent("sheet.csv")
        try Data("volunteer_id,present,hours\n\(stack.first),是,\n\(stack.first),maybe,2\n".utf8).write(to: sheet)
        let badSheet = try await Self.pingan(["import", "attendance", sheet.path, "--session", "1", "--json", "--config", config])
        #expect(badSheet.status == 3)
        let sheetErrors = try #require(((try Self.json(badSheet))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        #expect(sheetErrors.map { $0["line"] as? Int } == [3] && sheetErrors.first?["field"] as? String == "present")
        try Data("volunteer_id,present\n\(stack.first),1\n".utf8).write(to: sheet)
        let notEnrolled = try await Self.pingan(["import", "attendance", sheet.path, "--session", "1", "--json", "--config", config])
        #expect(notEnrolled.status == 3, "the service refuses a volunteer not enrolled in the session")
        let refusedRows = try #require(((try Self.json(notEnrolled))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        #expect(refusedRows.map { $0["line"] as? Int } == [2] && refusedRows.first?["rule"] as? String == "NOT_ENROLLED")

        let good = folder.appendingPathComponent("good.csv")
        try Data("name,id_number\n张伟,\(RegistryFixtures.idNumber(sequence: 50))\n王芳,\(RegistryFixtures.idNumber(sequence: 51))\n".utf8).write(to: good)
        for replayed in [false, true] {
            let imported = try await Self.pingan(["import", "batch", good.path, "--unit", "DEPT-ZZB", "--category", "1", "--json", "--config", config])
            #expect(imported.status == 0, "\(imported.standardError)")
            let fields = try #require(((try Self.json(imported))["sections"] as? [[String: Any]])?.first?["fields"] as? [String: Any])
            #expect(fields["accepted"] as? Int == 2 && fields["replayed"] as? Bool == replayed)
        }
        // The same file name with other people is a new batch, not a reused id.
        try Data("name,id_number\n李明,\(RegistryFixtures.idNumber(sequence: 52))\n".utf8).write(to: good)
        let changed = try await Self.pingan(["import", "batch", good.path, "--unit", "DEPT-ZZB", "--category", "1", "--json", "--config", config])
        #expect(changed.status == 0, "\(changed.standardError)")
        let changedFields = try #require(((try Self.json(changed))["sections"] as? [[String: Any]])?.first?["fields"] as? [String: Any])
        #expect(changedFields["accepted"] as? Int == 1 && changedFields["replayed"] as? Bool == false)
        #expect((changedFields["batch_id"] as? String)?.hasPrefix("csv-") == true)
    }

    @Test("a spreadsheet of 10,000 bad rows: every bad row comes back with its line, nothing is imported")
    func tenThousandBadRows() async throws {
        let stack = try await Self.stack(volunteers: 1, trained: 0)
        defer { stack.kill() }
        let config = try Self.config([("a", ["registry": stack.registryPort])])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-bad-\(UUID()).csv")
        // Every row has a wrong check digit and a phone number that is not one: 20,000 violations.
        let rows = (1...10_000).map { "职工\($0),\(RegistryFixtures.badIDNumber(sequence: $0)),123" }
        try Data(("name,id_number,phone\n" + rows.joined(separator: "\n") + "\n").utf8).write(to: file)
        // A generous deadline: the whole suite shares two cores with this test's services.
        let refused = try await Self.pingan(["import", "batch", file.path, "--unit", "DEPT-ZZB", "--category", "1", "--json", "--config", config,
                                             "--timeout", "50"], timeout: .seconds(60))
        #expect(refused.status == 3, "\(refused.standardError)")
        #expect(!refused.standardError.contains("connection lost"))
        let errorLine = refused.standardError.split(separator: "\n").first { $0.hasPrefix("pingan:") } ?? ""
        #expect(errorLine.hasPrefix("pingan: nothing registered: ") && errorLine.components(separatedBy: "refused").count == 2,
                "one line that says it once: \(errorLine)")
        let errors = try #require(((try Self.json(refused))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        let phoneLines = errors.filter { $0["field"] as? String == "phone" }.compactMap { $0["line"] as? Int }
        #expect(phoneLines == Array(2...10_001), "every row's phone violation, with its file line")
        #expect(errors.filter { $0["rule"] as? String == "GB11643_CHECK_DIGIT" }.count == 10_000)
        let progress = try await Self.pingan(["registry", "progress", "--json", "--config", config])
        #expect(progress.status == 0)
        let categories = try #require(((try Self.json(progress))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        #expect(categories.first?["enrolled"] as? Int == 1, "nothing of the refused file was registered")
    }

    @Test("exit codes: 64 for a wrong config naming the key, 4 when the service is unreachable; CSV opens in spreadsheets (BOM, CRLF)")
    func configAndFormats() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-gateway-bad-\(UUID()).json").path
        try Data(#"{"towns": [{"code": "a", "services": {"registry": "nowhere"}}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        let bad = try await Self.pingan(["dashboard", "--config", path])
        #expect(bad.status == 64)
        #expect(bad.standardError.contains("config \(path): towns[0].services.registry: 'nowhere' is not host:port"), "\(bad.standardError)")

        let stack = try await Self.stack(volunteers: 2, trained: 1)
        defer { stack.kill() }
        let config = try Self.config([("a", stack.services)])
        let csv = try await Self.pingan(["dashboard", "--csv", "--config", config])
        #expect(csv.status == 0)
        #expect(csv.standardOutput.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        #expect(csv.text.contains("registry.categories,9,护楼志愿者,public,1000,0,0.0\r\n"), "\(csv.text)")
        let both = try await Self.pingan(["dashboard", "--csv", "--json", "--config", config])
        #expect(both.status == 64)
        let unreachable = try await Self.pingan(["registry", "progress", "--timeout", "2", "--config", try Self.config([("a", ["registry": try Self.deadPort()])])])
        #expect(unreachable.status == 4, "\(unreachable.standardError)")
        let version = try await Subprocess.run(try BuiltExecutables.path("pingan"), ["--version"], timeout: .seconds(30))
        #expect(version.status == 0 && version.text.hasPrefix("0."))
    }
}

/// Ports for tests that need one to stay dead, or to stay theirs after a process dies there.
enum Socket {
    /// A free port below the ephemeral range (20000-29999): servers started on port 0 and
    /// outgoing connections never get one of these, so once a test's server on it dies,
    /// nothing else comes to listen there while the test runs.
    static func quietPort() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20_000...29_999)
            if canBind(port) { return port }
        }
        throw RPCError(.internal, "no free port in 20000-29999")
    }

    /// A quiet port with nothing listening on it.
    static func reserve() throws -> Int {
        try quietPort()
    }

    private static func canBind(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
