import ArgumentParser
import PinganCampaign
import PinganCatalog
import PinganDutyContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS
import PinganTrainingContracts

/// `pingan-duty-demo`: the quick start's duty scenario, through the APIs. A patrol post with its
/// route for every residential and village committee; an evening shift on each day of April
/// 2010 for the volunteers training calls qualified (a few committees leave days uncovered), each
/// walked with check-ins at the route's checkpoints (some late, some missed); an activity for
/// every shift and a publicity day per unit; hazards, disputes at every stage; key persons with their assistance. Every call
/// carries an idempotency key, and cases only move forward, so a second run changes nothing.
@main
struct DutyDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-duty-demo", abstract: "Load the quick start's posts, shifts, activities and hazards into pingan-duty.")

    @Option var registry = "127.0.0.1:7401"
    @Option var training = "127.0.0.1:7402"
    @Option var duty = "127.0.0.1:7403"
    @Option(help: "Client certificate (an admin in the three services' ACL).") var cert: String
    @Option var key: String
    @Option var ca: String

    /// The month the scenario covers, the last before the Expo (one activity a month).
    static let days = Array(sequence(first: CalendarDay(iso: "2010-04-01")!) { $0.next }.prefix(30))

    func run() async throws {
        let tls = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: cert, privateKeyPath: key, trustRootsPath: ca))
        let registry = RegistryClient(try await Self.connect(self.registry, tls))
        let training = TrainingClient(try await Self.connect(self.training, tls))
        let duty = DutyClient(try await Self.connect(self.duty, tls))

        let committees = try await registry.getProgress(Pingan_Registry_V1_GetProgressRequest()).units
            .filter { $0.kind == "residential_committee" || $0.kind == "village_committee" }
        let active = try await Self.activeUnits(registry: registry)
        let qualified = try await Self.qualifiedByUnit(active, training: training, on: Self.days[0])
        var shifts = 0, activities = 0, checkIns = 0, missed = 0
        for (index, committee) in committees.enumerated() {
            let post = try await duty.savePost(Self.post(for: committee), options: Self.key("post-\(committee.code)"))
            let people = qualified[committee.code] ?? []
            guard !people.isEmpty else { continue }
            // One committee in seven leaves its last four days uncovered: the coverage report shows it.
            let days = index % 7 == 3 ? Array(Self.days.dropLast(4)) : Self.days
            for (offset, day) in days.enumerated() {
                var request = Pingan_Duty_V1_AssignShiftRequest()
                request.postCode = post.code
                request.volunteerID = people[offset % people.count]
                request.starts = "\(day) 19:00"
                request.ends = "\(day) 22:00"
                let shift = try await duty.assignShift(request, options: Self.key("shift-\(post.code)-\(day)"))
                shifts += 1
                let round = try await Self.walk(duty, shift: shift, route: post.route)
                checkIns += round.checkIns
                missed += round.missed
                var activity = Pingan_Duty_V1_RecordActivityRequest()
                activity.volunteerID = shift.volunteerID
                activity.project = "patrol"
                activity.day = day.description
                activity.place = post.place
                activity.hours = 3
                activity.note = "巡逻 \(post.code)"
                _ = try await duty.recordActivity(activity, options: Self.key("activity-\(shift.id)"))
                activities += 1
            }
        }
        let publicity = try await loadPublicity(duty, active: active)
        let hazards = try await loadHazards(duty, committees: committees.map(\.code))
        let keyPersons = try await loadKeyPersons(duty, qualified: qualified, committees: committees.map(\.code))
        let disputes = try await loadDisputes(duty, committees: committees.map(\.code))
        print("duty: \(committees.count) patrol posts with routes; \(shifts) shifts and \(activities) activities from \(Self.days[0]) to "
              + "\(Self.days.last!); \(publicity) publicity activities from unit sheets; \(checkIns) check-ins newly recorded, \(missed) checkpoints missed; \(hazards) hazards at every stage; \(keyPersons) key persons with their assistance; \(disputes) dispute cases")
    }

    /// Each unit's sheet of its publicity day (18 April): three in five of its active volunteers
    /// took part, so the month's compliance has something to show. One sheet per unit, each with
    /// its idempotency key.
    func loadPublicity(_ duty: DutyClient, active: [Int64: String]) async throws -> Int {
        var recorded = 0
        for (unit, ids) in Dictionary(grouping: active.keys.sorted(), by: { active[$0]! }).sorted(by: { $0.key < $1.key }) {
            var sheet = Pingan_Duty_V1_RecordActivitiesRequest()
            sheet.rows = ids.filter { $0 % 5 < 3 }.map { id in
                var row = Pingan_Duty_V1_RecordActivityRequest()
                row.volunteerID = id
                row.project = "publicity"
                row.day = "2010-04-18"
                row.place = "\(unit) 宣传点"
                row.hours = 2
                row.note = "世博平安宣传日"
                return row
            }
            guard !sheet.rows.isEmpty else { continue }
            recorded += Int(try await duty.recordActivities(sheet, options: Self.key("publicity-\(unit)")).recorded)
        }
        return recorded
    }

    /// Check-ins newly recorded and checkpoints left missed. The volunteer walks the route: most checkpoints a few minutes after expected, one round in
    /// five late at the second, one in nine never reaching the last. Check-ins are recorded once,
    /// so a second run changes nothing.
    static func walk(_ duty: DutyClient, shift: Pingan_Duty_V1_Shift, route: [Pingan_Duty_V1_Checkpoint]) async throws -> (checkIns: Int, missed: Int) {
        guard let starts = LocalTime(shift.starts) else { return (0, 0) }
        var checkIns = 0
        for (position, checkpoint) in route.enumerated() {
            if shift.id % 9 == 0 && position == route.count - 1 { return (checkIns, 1) }
            let delay = shift.id % 5 == 0 && position == 1 ? 14 : Int(shift.id % 6)
            var request = Pingan_Duty_V1_CheckInRequest()
            request.shiftID = shift.id
            request.checkpoint = checkpoint.name
            request.at = starts.adding(minutes: Int(checkpoint.minutesFromStart) + delay).description
            if try await !duty.checkIn(request).alreadyRecorded { checkIns += 1 }
        }
        return (checkIns, 0)
    }

    static func post(for committee: Pingan_Registry_V1_UnitProgress) -> Pingan_Duty_V1_SavePostRequest {
        var request = Pingan_Duty_V1_SavePostRequest()
        request.code = "\(committee.code)-XL"
        request.project = "patrol"
        request.unitCode = committee.code
        request.place = "\(committee.name)辖区"
        request.duty = "晚间巡逻：查看楼道、车棚和出入口，发现可疑人员、物品及治安消防隐患立即报告"
        request.route = [("\(committee.name)门口", 0), ("车棚", 15), ("楼道", 35), ("小区出入口", 55)].map { name, minutes in
            var point = Pingan_Duty_V1_Checkpoint()
            point.name = name
            point.minutesFromStart = Int32(minutes)
            return point
        }
        return request
    }

    /// Active volunteers, by id to their unit.
    static func activeUnits(registry: RegistryClient) async throws -> [Int64: String] {
        var units: [Int64: String] = [:]
        for try await volunteer in try await registry.exportVolunteers(Pingan_Registry_V1_ExportVolunteersRequest()) where volunteer.status == "active" {
            units[volunteer.id] = volunteer.unitCode
        }
        return units
    }

    /// Of `units`' volunteers, those training calls qualified for patrol on `day`, by unit.
    static func qualifiedByUnit(_ units: [Int64: String], training: TrainingClient, on day: CalendarDay) async throws -> [String: [Int64]] {
        var check = Pingan_Training_V1_CheckQualificationsRequest()
        check.volunteerIds = units.keys.sorted()
        check.project = "patrol"
        check.on = day.description
        var qualified: [String: [Int64]] = [:]
        for answer in try await training.checkQualifications(check).qualifications where answer.qualified {
            if let unit = units[answer.volunteerID] { qualified[unit, default: []].append(answer.volunteerID) }
        }
        return qualified
    }

    /// Eight hazards: reported, referred and overdue, referred, rectifying, rectified, verified.
    func loadHazards(_ duty: DutyClient, committees: [String]) async throws -> Int {
        let plan: [(kind: String, place: String, text: String, reached: String, due: String)] = [
            ("fire", "三号楼楼道", "楼道堆放纸箱杂物，堵塞消防通道", "reported", ""),
            ("fire", "菜场南侧", "电动自行车在楼道内充电", "referred", "2010-04-25"),
            ("public_order", "公交站台", "夜间有人兜售假发票", "referred", "2010-05-10"),
            ("public_order", "网吧门口", "未成年人深夜聚集", "rectifying", "2010-04-28"),
            ("fire", "五号楼地下车库", "消防栓被遮挡", "rectified", "2010-04-26"),
            ("fire", "加油站东侧", "违规存放桶装汽油", "verified", "2010-04-28"),
            ("public_order", "工地围墙", "围墙破损，夜间无人看护", "rectifying", "2010-05-05"),
            ("fire", "老年活动室", "电线老化裸露", "reported", ""),
        ]
        let order = ["reported", "referred", "rectifying", "rectified", "verified"]
        for (index, hazard) in plan.enumerated() {
            var report = Pingan_Duty_V1_ReportHazardRequest()
            report.kind = hazard.kind
            report.unitCode = committees[(index * 7) % committees.count]
            report.place = hazard.place
            report.description_p = hazard.text
            report.reportedOn = "2010-04-\(18 + index)"
            var current = try await duty.reportHazard(report, options: Self.key("hazard-\(index)"))
            // Hazards only move forward: a second run finds them where the first left them.
            while let position = order.firstIndex(of: current.status), position < order.firstIndex(of: hazard.reached)! {
                var step = Pingan_Duty_V1_AdvanceHazardRequest()
                step.id = current.id
                step.to = order[position + 1]
                step.on = "2010-04-\(19 + index + position)"
                if step.to == "referred" {
                    step.department = hazard.kind == "fire" ? "镇消防科" : "镇派出所"
                    step.dueOn = hazard.due
                }
                current = try await duty.advanceHazard(step)
            }
        }
        return plan.count
    }

    /// A key person in each of six committees, helped by one of its volunteers, visited twice.
    func loadKeyPersons(_ duty: DutyClient, qualified: [String: [Int64]], committees: [String]) async throws -> Int {
        let people: [(category: String, name: String, situation: String)] = [
            ("community_correction", "赵某", "社区矫正，每周报到一次"), ("post_release", "钱某", "刑满释放，帮助联系就业"),
            ("drug_rehabilitation", "孙某", "社区戒毒，配合尿检"), ("mental_health", "李某", "病情稳定，家属监护"),
            ("post_release", "周某", "刑满释放，独居老人"), ("other", "吴某", "多次上访，耐心疏导"),
        ]
        var added = 0
        for (index, person) in people.enumerated() {
            let unit = committees[(index * 9) % committees.count]
            guard let helper = qualified[unit]?.first else { continue }
            var request = Pingan_Duty_V1_AddKeyPersonRequest()
            request.unitCode = unit
            request.category = person.category
            request.name = person.name
            request.situation = person.situation
            request.helperVolunteerID = helper
            let added_ = try await duty.addKeyPerson(request, options: Self.key("key-person-\(index)"))
            for (visit, day) in ["2010-04-20", "2010-04-27"].enumerated() {
                var assistance = Pingan_Duty_V1_RecordAssistanceRequest()
                assistance.keyPersonID = added_.id
                assistance.volunteerID = helper
                assistance.day = day
                assistance.kind = visit == 0 ? "visit" : "talk"
                assistance.note = visit == 0 ? "上门走访，了解近况" : "谈心，情绪稳定"
                _ = try await duty.recordAssistance(assistance, options: Self.key("assistance-\(index)-\(visit)"))
            }
            added += 1
        }
        return added
    }

    /// Four dispute cases: one just opened, one in mediation, one settled, one referred to the
    /// town's legal service. Steps are only taken from where a case stands, so a second run
    /// changes nothing.
    func loadDisputes(_ duty: DutyClient, committees: [String]) async throws -> Int {
        let cases: [(kind: String, parties: [String], summary: String, steps: [(String, String, String)])] = [
            ("neighbour", ["张某", "李某"], "楼上装修噪音扰民", []),
            ("neighbour", ["王某", "赵某"], "楼道堆物占用公共通道", [("mediate", "2010-04-21", "双方同意一周内清理")]),
            ("family", ["陈某", "陈某某"], "赡养老人费用分担", [("mediate", "2010-04-19", "召集兄弟二人协商"), ("settle", "2010-04-26", "按月各付一半")]),
            ("property", ["刘某", "某物业公司"], "停车位收费争议", [("mediate", "2010-04-20", "物业未到场"), ("refer", "2010-04-28", "调解不成")]),
        ]
        for (index, item) in cases.enumerated() {
            var opening = Pingan_Duty_V1_OpenDisputeRequest()
            opening.unitCode = committees[(index * 11 + 2) % committees.count]
            opening.kind = item.kind
            opening.parties = item.parties
            opening.summary = item.summary
            opening.openedOn = "2010-04-18"
            var dispute = try await duty.openDispute(opening, options: Self.key("dispute-\(index)"))
            for (action, day, note) in item.steps.dropFirst(dispute.steps.count) {
                var step = Pingan_Duty_V1_AdvanceDisputeRequest()
                step.id = dispute.id
                step.action = action
                step.on = day
                step.note = note
                if action == "refer" { step.referredTo = "镇法律服务所" }
                dispute = try await duty.advanceDispute(step)
            }
        }
        return cases.count
    }

    static func connect(_ text: String, _ tls: TLSContext) async throws -> RPCConnection {
        guard let address = ServiceAddress(text) else { throw ValidationError("'\(text)' is not host:port") }
        return try await RPCConnection.connect(host: address.host, port: address.port, tls: tls)
    }

    static func key(_ name: String) -> CallOptions {
        var metadata = Metadata()
        metadata.idempotencyKey = "demo-duty-\(name)"
        return CallOptions(metadata: metadata)
    }
}
