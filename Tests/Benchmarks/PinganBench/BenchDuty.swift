import ArgumentParser
import PinganCampaign
import PinganDutyContracts
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS

/// Measures pingan-duty against running registry and training services (loaded by
/// `training-qualify --load-only`: the town's volunteers, every other one trained): rotas
/// assigning 10,000 shifts with the registry and training checks, check-ins per second, and the
/// coverage and compliance reports over the month (with an activity for each rota volunteer). Baselines from the same run and connection:
/// Health/Check (a call that does no work), single AssignShift calls for the per-shift cost,
/// and Health calls per second at the same concurrency as the check-ins. Prints one JSON line.
struct BenchDuty: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "duty", abstract: "Measure rotas, check-ins and reports in the duty service.")

    @Option var host = "127.0.0.1"
    @Option var dutyPort = 7403
    @Option var registryPort = 7401
    @Option(help: "The first volunteer id the loader registered.") var firstVolunteer: Int64
    @Option(help: "Volunteers registered; every other one from the first is qualified.") var volunteers = 6249
    @Option(help: "Posts, a rota each.") var posts = 54
    @Option(help: "Volunteers a day on each post's rota.") var perDay = 6
    @Option(help: "Check-ins measured.") var checkIns = 8000
    @Option(help: "Calls in flight for check-ins and their Health baseline.") var concurrency = 16
    @Option var rounds = 20
    @OptionGroup var tls: TLSFlags

    /// May 2010: the Expo's first full month.
    static let month = (from: "2010-05-01", to: "2010-05-31")

    func run() async throws {
        let context = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: tls.cert, privateKeyPath: tls.key, trustRootsPath: tls.ca))
        let connection = try await RPCConnection.connect(host: host, port: dutyPort, tls: context)
        let duty = DutyClient(connection)
        let qualified = stride(from: firstVolunteer, to: firstVolunteer + Int64(volunteers), by: 2).map { $0 }
        let slotsPerPost = perDay * 7
        guard qualified.count >= posts * slotsPerPost + 500 else {
            throw ValidationError("\(qualified.count) qualified volunteers; \(posts) posts of \(slotsPerPost) slots and 500 single shifts need more")
        }
        // The town's committees, one patrol post each, so that coverage has committees to judge.
        let registry = try await RPCConnection.connect(host: host, port: registryPort, tls: context)
        var units = Pingan_Registry_V1_SaveUnitsRequest()
        units.units = (0..<posts).map { index in
            var unit = Pingan_Registry_V1_OrgUnit()
            unit.code = Self.committee(index)
            unit.name = "第\(index + 1)居委会"
            unit.kind = "residential_committee"
            unit.parentCode = "TOWN"
            return unit
        }
        _ = try await RegistryClient(registry).saveUnits(units)
        await registry.close()
        for post in 0..<posts { _ = try await duty.savePost(Self.post(post)) }

        // Rotas: each post's own volunteers, one per weekday slot, two-hour shifts through the day.
        var shifts = 0
        let rotaStart = ContinuousClock.now
        for post in 0..<posts {
            var rota = Pingan_Duty_V1_AssignRotaRequest()
            rota.postCode = Self.code(post)
            rota.from = Self.month.from
            rota.to = Self.month.to
            rota.slots = (0..<slotsPerPost).map { index in
                var slot = Pingan_Duty_V1_RotaSlot()
                slot.volunteerID = qualified[post * slotsPerPost + index]
                slot.weekday = Int32(index % 7 + 1)
                let hour = 6 + (index / 7) * 2
                slot.starts = "\(zeroPadded(hour, 2)):00"
                slot.ends = "\(zeroPadded(hour + 2, 2)):00"
                return slot
            }
            shifts += Int(try await duty.assignRota(rota).assigned)
        }
        let rotaMicros = Self.micros(ContinuousClock.now - rotaStart)

        // The same checks one shift at a time, for 500 volunteers not on any rota.
        let singles = Array(qualified[(posts * slotsPerPost)...].prefix(500))
        let singleStart = ContinuousClock.now
        for (index, volunteer) in singles.enumerated() {
            var assign = Pingan_Duty_V1_AssignShiftRequest()
            assign.postCode = Self.code(index % posts)
            assign.volunteerID = volunteer
            assign.starts = "2010-05-\(zeroPadded(index % 28 + 1, 2)) 20:00"
            assign.ends = "2010-05-\(zeroPadded(index % 28 + 1, 2)) 22:00"
            _ = try await duty.assignShift(assign)
        }
        let singleMicros = Self.micros(ContinuousClock.now - singleStart)
        let health = try await BenchTraining.sample(rounds * 20) {
            let _: Pingan_Health_V1_HealthCheckResponse = try await connection.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
        }

        // Check-ins: both checkpoints of successive rota shifts, `concurrency` in flight.
        var starts: [(id: Int64, starts: LocalTime)] = []
        for post in 0..<posts where starts.count < checkIns / 2 {
            var list = Pingan_Duty_V1_ListShiftsRequest()
            list.postCode = Self.code(post)
            starts += try await duty.listShifts(list).shifts.compactMap { shift in LocalTime(shift.starts).map { (shift.id, $0) } }
        }
        let walked = Array(starts.prefix(checkIns / 2))
        guard walked.count * 2 == checkIns else { throw ValidationError("\(walked.count) shifts for \(checkIns) check-ins") }
        let checkInRate = try await Self.rate(checkIns, concurrency) { index in
            let shift = walked[index / 2]
            var request = Pingan_Duty_V1_CheckInRequest()
            request.shiftID = shift.id
            request.checkpoint = index % 2 == 0 ? "起点" : "终点"
            request.at = shift.starts.adding(minutes: index % 2 == 0 ? 3 : 62).description
            _ = try await duty.checkIn(request)
        }
        let healthRate = try await Self.rate(checkIns, concurrency) { _ in
            let _: Pingan_Health_V1_HealthCheckResponse = try await connection.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
        }

        // A month's activities for the compliance report: one each for the rota volunteers.
        let active = Array(qualified.prefix(posts * slotsPerPost))
        _ = try await Self.rate(active.count, concurrency) { index in
            var activity = Pingan_Duty_V1_RecordActivityRequest()
            activity.volunteerID = active[index]
            activity.project = "patrol"
            activity.day = "2010-05-\(zeroPadded(index % 28 + 1, 2))"
            activity.place = "辖区"
            activity.hours = 2
            _ = try await duty.recordActivity(activity)
        }

        var coverage = Pingan_Duty_V1_GetCoverageRequest()
        coverage.from = Self.month.from
        coverage.to = Self.month.to
        var covered = 0
        let coverageSamples = try await BenchTraining.sample(rounds) { covered = Int(try await duty.getCoverage(coverage).fullyCovered) }
        var compliance = Pingan_Duty_V1_GetComplianceRequest()
        compliance.month = "2010-05"
        var counted = 0
        let complianceSamples = try await BenchTraining.sample(rounds) { counted = Int(try await duty.getCompliance(compliance).volunteers) }
        await connection.close()

        let healthP50 = BenchTraining.percentile(health, 0.5)
        let coverageP50 = BenchTraining.percentile(coverageSamples, 0.5), complianceP50 = BenchTraining.percentile(complianceSamples, 0.5)
        let perRotaShift = rotaMicros / Double(shifts), perSingleShift = singleMicros / Double(singles.count)
        print(#"{"posts":\#(posts),"rota_shifts":\#(shifts),"rota_total_ms":\#(oneDecimal(rotaMicros / 1000)),"rota_us_per_shift":\#(oneDecimal(perRotaShift)),"single_assign_us_per_shift":\#(oneDecimal(perSingleShift)),"single_over_rota_per_shift":\#(twoDecimals(perSingleShift / perRotaShift)),"health_p50_us":\#(oneDecimal(healthP50)),"rota_per_shift_over_health_p50":\#(twoDecimals(perRotaShift / healthP50)),"check_ins":\#(checkIns),"concurrency":\#(concurrency),"check_ins_per_s":\#(Int(checkInRate)),"health_per_s":\#(Int(healthRate)),"check_in_rate_over_health_rate":\#(twoDecimals(checkInRate / healthRate)),"volunteers_in_compliance":\#(counted),"committees_fully_covered":\#(covered),"coverage_p50_ms":\#(oneDecimal(coverageP50 / 1000)),"compliance_p50_ms":\#(oneDecimal(complianceP50 / 1000)),"coverage_p50_over_health_p50":\#(twoDecimals(coverageP50 / healthP50)),"compliance_p50_over_health_p50":\#(twoDecimals(complianceP50 / healthP50))}"#)
    }

    static func code(_ post: Int) -> String { "BENCH-\(post)" }

    static func committee(_ index: Int) -> String { "JC-\(zeroPadded(index + 1, 3))" }

    /// A patrol post of committee `index` with a two-checkpoint route.
    static func post(_ index: Int) -> Pingan_Duty_V1_SavePostRequest {
        var request = Pingan_Duty_V1_SavePostRequest()
        request.code = code(index)
        request.project = "patrol"
        request.unitCode = committee(index)
        request.place = "辖区"
        request.duty = "巡逻"
        request.route = [("起点", 0), ("终点", 60)].map { name, minutes in
            var point = Pingan_Duty_V1_Checkpoint()
            point.name = name
            point.minutesFromStart = Int32(minutes)
            return point
        }
        return request
    }

    static func firstShiftID(_ duty: DutyClient, post: String) async throws -> Int64 {
        var request = Pingan_Duty_V1_ListShiftsRequest()
        request.postCode = post
        guard let first = try await duty.listShifts(request).shifts.map(\.id).min() else { throw ValidationError("no shifts on \(post)") }
        return first
    }

    static func rate(_ count: Int, _ concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for index in stride(from: worker, to: count, by: concurrency) { try await body(index) }
                }
            }
            try await group.waitForAll()
        }
        return Double(count) / (micros(ContinuousClock.now - started) / 1e6)
    }

    static func micros(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }
}
