import GRDB
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC

/// The registry's RPC methods: each translates the request to the domain, applies the caller's
/// role and unit scope, calls the store, and translates the answer or the error back.
public struct RegistryService: RPCService {
    let store: RegistryStore
    let campaign: Campaign
    /// The most rows one batch may carry; reading stops there rather than buffering more.
    let maximumBatchRows: Int

    public init(store: RegistryStore, campaign: Campaign = .expo2010, maximumBatchRows: Int = 100_000) {
        self.store = store
        self.campaign = campaign
        self.maximumBatchRows = maximumBatchRows
    }

    var plan: RecruitmentPlan { campaign.plan }

    public func register(with router: inout Router) {
        router.register(RegistryMethods.saveUnits) { (request: Pingan_Registry_V1_SaveUnitsRequest, context) in
            try await saveUnits(request, context)
        }
        router.registerClientStreaming(RegistryMethods.registerBatch) { (requests: RequestStream<Pingan_Registry_V1_RegisterBatchRequest>, context) in
            try await registerBatch(requests, context)
        }
        router.register(RegistryMethods.getVolunteer) { (request: Pingan_Registry_V1_GetVolunteerRequest, context) in
            try await getVolunteer(request, context)
        }
        router.register(RegistryMethods.getProgress) { (request: Pingan_Registry_V1_GetProgressRequest, context) in
            try await getProgress(request, context)
        }
        router.register(RegistryMethods.submitApplication) { (request: Pingan_Registry_V1_SubmitApplicationRequest, context) in
            try await submitApplication(request, context)
        }
        router.register(RegistryMethods.decideApplication) { (request: Pingan_Registry_V1_DecideApplicationRequest, context) in
            try await decideApplication(request, context)
        }
        router.register(RegistryMethods.getCampaign) { (_: Pingan_Registry_V1_GetCampaignRequest, _) in
            getCampaign()
        }
        router.register(RegistryMethods.searchVolunteers) { (request: Pingan_Registry_V1_SearchVolunteersRequest, context) in
            try await searchVolunteers(request, context)
        }
        router.register(RegistryMethods.getVolunteerHistory) { (request: Pingan_Registry_V1_GetVolunteerHistoryRequest, context) in
            try await getVolunteerHistory(request, context)
        }
        router.register(RegistryMethods.saveTeam) { (request: Pingan_Registry_V1_SaveTeamRequest, context) in
            try await saveTeam(request, context)
        }
        router.register(RegistryMethods.listTeams) { (request: Pingan_Registry_V1_ListTeamsRequest, context) in
            try await listTeams(request, context)
        }
        router.register(RegistryMethods.transferVolunteer) { (request: Pingan_Registry_V1_TransferVolunteerRequest, context) in
            try await transferVolunteer(request, context)
        }
        router.register(RegistryMethods.assignStaffRole) { (request: Pingan_Registry_V1_AssignStaffRoleRequest, context) in
            try await assignStaffRole(request, context)
        }
        router.register(RegistryMethods.endStaffRole) { (request: Pingan_Registry_V1_EndStaffRoleRequest, context) in
            try await endStaffRole(request, context)
        }
        router.register(RegistryMethods.listStaff) { (request: Pingan_Registry_V1_ListStaffRequest, _) in
            try await listStaff(request)
        }
        router.registerServerStreaming(RegistryMethods.exportVolunteers) {
            (request: Pingan_Registry_V1_ExportVolunteersRequest, writer: ServerStreamWriter<Pingan_Registry_V1_Volunteer>, context) in
            try await exportVolunteers(request, writer, context)
        }
    }

    // MARK: Methods

    func saveUnits(_ request: Pingan_Registry_V1_SaveUnitsRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_SaveUnitsResponse {
        let units = try request.units.enumerated().map { index, unit -> OrgUnit in
            guard !unit.code.isEmpty, unit.code.count <= 32 else {
                throw RPCError(.invalidArgument, "units[\(index)].code: must be 1-32 characters")
            }
            guard !unit.name.isEmpty else { throw RPCError(.invalidArgument, "units[\(index)].name: must not be empty") }
            let kind = try RPCError.choice(unit.kind, field: "units[\(index)].kind", as: OrgUnit.Kind.self)
            return OrgUnit(code: unit.code, name: unit.name, kind: kind, parentCode: unit.parentCode.isEmpty ? nil : unit.parentCode,
                           responsible: unit.responsible.isEmpty ? nil : unit.responsible)
        }
        do {
            try await store.saveUnits(units, actor: context.actor, requestID: context.requestID)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            throw RPCError(.invalidArgument, "units: a parent_code names no unit (list parents before their children)", cause: error)
        }
        var response = Pingan_Registry_V1_SaveUnitsResponse()
        response.saved = Int32(units.count)
        return response
    }

    func registerBatch(
        _ requests: RequestStream<Pingan_Registry_V1_RegisterBatchRequest>, _ context: ServerContext
    ) async throws -> Pingan_Registry_V1_RegisterBatchResponse {
        var iterator = requests.makeAsyncIterator()
        guard case .header(let header)? = try await iterator.next()?.item else {
            throw RPCError(.invalidArgument, "header: the first message of a batch must be its header")
        }
        if let caller = context.caller, caller.role == .clerk, caller.unitScope != header.unitCode {
            throw RPCError(.permissionDenied, "a clerk of \(caller.unitScope ?? "no unit") may not register people for \(header.unitCode)")
        }
        var rows: [DirectedBatch.Row] = []
        while let message = try await iterator.next() {
            guard case .row(let row) = message.item else {
                throw RPCError(.invalidArgument, "rows[\(rows.count + 1)]: only the first message may be a header")
            }
            guard rows.count < maximumBatchRows else {
                throw RPCError(.resourceExhausted, "rows: a batch holds at most \(maximumBatchRows) rows; split it")
            }
            rows.append(DirectedBatch.Row(number: rows.count + 1, name: row.name, idNumber: row.idNumber,
                                          phone: row.phone.isEmpty ? nil : row.phone, subcategory: row.subcategory.isEmpty ? nil : row.subcategory))
        }
        let batch = DirectedBatch(batchID: header.batchID, unitCode: header.unitCode, category: Int(header.category), rows: rows)
        let result = try await store.registerBatch(batch, plan: plan, actor: context.actor, requestID: context.requestID)
        var response = Pingan_Registry_V1_RegisterBatchResponse()
        response.batchID = result.batchID
        response.accepted = Int32(result.accepted)
        response.firstVolunteerID = result.firstVolunteerID
        response.replayed = result.replayed
        return response
    }

    func getVolunteer(_ request: Pingan_Registry_V1_GetVolunteerRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_Volunteer {
        let role = context.caller?.role
        if request.unmasked, role != .admin {
            throw RPCError(.permissionDenied, "role \(role?.rawValue ?? "unknown") may not read unmasked ID and phone numbers (admin only)")
        }
        let notFound = RPCError(.notFound, "volunteer \(request.id) does not exist in your scope")
        guard let record = try await store.volunteer(id: request.id, unmasked: request.unmasked, actor: context.actor, requestID: context.requestID)
        else { throw notFound }
        // A clerk outside the unit learns nothing, not even that the volunteer exists; the
        // attempt is on record.
        if let scope = context.caller?.unitScope, scope != record.unitCode {
            await context.recordDenial("NOT_FOUND answered: volunteer \(request.id) is outside the caller's unit \(scope)")
            throw notFound
        }
        return Self.message(record)
    }

    /// Pages through the store so that memory stays at one page plus the stream's window,
    /// however large the registry.
    func exportVolunteers(
        _ request: Pingan_Registry_V1_ExportVolunteersRequest, _ writer: ServerStreamWriter<Pingan_Registry_V1_Volunteer>,
        _ context: ServerContext
    ) async throws {
        var search = VolunteerSearch(unitCode: try context.unitScope(asked: request.unitCode),
                                     category: request.category == 0 ? nil : Int(request.category), pageSize: 1000)
        while true {
            let page = try await store.searchVolunteers(search)
            for record in page.volunteers {
                try await writer.write(Self.message(record))
            }
            guard let last = page.volunteers.last, page.more else { return }
            search.after = last.id
        }
    }

    static func message(_ record: VolunteerRecord) -> Pingan_Registry_V1_Volunteer {
        var volunteer = Pingan_Registry_V1_Volunteer()
        volunteer.id = record.id
        volunteer.name = record.name
        volunteer.idNumber = record.idNumber
        volunteer.phone = record.phone ?? ""
        volunteer.birthDate = record.birthDate?.description ?? ""
        volunteer.birthYear = Int32(record.birthYear)
        volunteer.unitCode = record.unitCode
        volunteer.category = Int32(record.category)
        volunteer.subcategory = record.subcategory ?? ""
        volunteer.status = record.status
        volunteer.teamID = record.teamID ?? 0
        volunteer.teamName = record.teamName ?? ""
        return volunteer
    }

    func getProgress(_ request: Pingan_Registry_V1_GetProgressRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_Progress {
        let unit = try context.unitScope(asked: request.unitCode)
        var unitKind: OrgUnit.Kind?
        if let unit {
            guard let found = try await store.unit(code: unit) else { throw RPCError(.notFound, "unit_code: unit \(unit) does not exist") }
            unitKind = found.kind
        }
        let progress = RecruitmentProgress(plan: plan, counts: try await store.enrolmentCounts(unitCode: unit), unitKind: unitKind)
        var answer = Pingan_Registry_V1_Progress()
        if unit == nil {
            answer.units = UnitProgress.lines(plan: plan, units: try await store.units(), counts: try await store.enrolmentByUnit()).map { line in
                var message = Pingan_Registry_V1_UnitProgress()
                message.code = line.unit.code
                message.name = line.unit.name
                message.kind = line.unit.kind.rawValue
                message.enrolled = Int32(line.enrolled)
                message.quota = Int32(line.quota)
                message.quotaEnrolled = Int32(line.quotaEnrolled)
                return message
            }
        }
        answer.unitCode = unit ?? ""
        answer.totalQuota = Int32(progress.totalQuota)
        answer.totalEnrolled = Int32(progress.totalEnrolled)
        answer.categories = progress.lines.map { line in
            var category = Pingan_Registry_V1_CategoryProgress()
            category.number = Int32(line.number)
            category.name = line.name
            category.mode = line.mode.rawValue
            category.quota = Int32(line.quota)
            category.enrolled = Int32(line.enrolled)
            category.subcategories = line.subcategories.map { Self.subcategory(code: $0.code, name: $0.name, quota: $0.quota, enrolled: $0.enrolled) }
            return category
        }
        return answer
    }

    static func subcategory(code: String, name: String, quota: Int, enrolled: Int) -> Pingan_Registry_V1_SubcategoryProgress {
        var subcategory = Pingan_Registry_V1_SubcategoryProgress()
        subcategory.code = code
        subcategory.name = name
        subcategory.quota = Int32(quota)
        subcategory.enrolled = Int32(enrolled)
        return subcategory
    }
}
