import PinganRPC
import PinganRegistryContracts
import PinganRules

extension RegistryService {
    func searchVolunteers(_ request: Pingan_Registry_V1_SearchVolunteersRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_VolunteerPage {
        var status: VolunteerStatus?
        if !request.status.isEmpty {
            status = try RPCError.choice(request.status, field: "status", as: VolunteerStatus.self)
        }
        let pageSize = request.pageSize == 0 ? VolunteerSearch.defaultPageSize : Int(request.pageSize)
        var search = VolunteerSearch(
            namePrefix: request.namePrefix.isEmpty ? nil : request.namePrefix, unitCode: try context.unitScope(asked: request.unitCode),
            category: request.category == 0 ? nil : Int(request.category), status: status,
            teamID: request.teamID == 0 ? nil : request.teamID, pageSize: pageSize)
        if let problem = VolunteerSearch.checkPageSize(pageSize) { throw Refusal("search", problem) }
        if !request.pageToken.isEmpty {
            do { try search.resume(from: request.pageToken) } catch { throw Refusal("search", error) }
        }
        let page = try await store.searchVolunteers(search)
        var answer = Pingan_Registry_V1_VolunteerPage()
        answer.volunteers = page.volunteers.map(Self.message)
        if page.more, let last = page.volunteers.last { answer.nextPageToken = search.pageToken(after: last.id, name: last.name) }
        return answer
    }

    func getVolunteerHistory(_ request: Pingan_Registry_V1_GetVolunteerHistoryRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_VolunteerHistory {
        let notFound = RPCError(.notFound, "volunteer_id: volunteer \(request.volunteerID) does not exist in your scope")
        guard let record = try await store.volunteer(id: request.volunteerID, unmasked: false, actor: context.actor, requestID: context.requestID)
        else { throw notFound }
        if let scope = context.caller?.unitScope, scope != record.unitCode {
            await context.recordDenial("NOT_FOUND answered: volunteer \(request.volunteerID) is outside the caller's unit \(scope)")
            throw notFound
        }
        var history = Pingan_Registry_V1_VolunteerHistory()
        history.volunteerID = request.volunteerID
        let statuses = try await store.statusHistory(volunteerID: request.volunteerID).map { change in
            var entry = Self.entry(at: change.at, kind: "status", from: change.from?.rawValue, to: change.to.rawValue, actor: change.actor, reason: change.reason)
            entry.on = change.on?.description ?? ""
            return entry
        }
        let moves = try await store.teamHistory(volunteerID: request.volunteerID).map { move in
            Self.entry(at: move.at, kind: "team", from: move.from.map(String.init), to: String(move.to), actor: move.actor, reason: move.reason)
        }
        // In the order things took effect: a change's day when it has one (a decision recorded
        // later), else its RFC 3339 time, whose text order is time order; stable for ties.
        let effective = { (entry: Pingan_Registry_V1_HistoryEntry) in entry.on.isEmpty ? entry.at : entry.on }
        history.entries = (statuses + moves).enumerated()
            .sorted { (effective($0.element), $0.offset) < (effective($1.element), $1.offset) }.map(\.element)
        return history
    }

    func getCampaign() -> Pingan_Registry_V1_CampaignInfo {
        var info = Pingan_Registry_V1_CampaignInfo()
        info.name = campaign.calendar.name
        info.phases = campaign.calendar.phases.map { phase in
            var message = Pingan_Registry_V1_CampaignPhase()
            message.key = phase.key
            message.name = phase.name
            message.starts = phase.starts.description
            message.ends = phase.ends.description
            message.minimumMonthlyActivities = Int32(phase.minimumMonthlyActivities ?? 0)
            return message
        }
        info.categories = plan.categories.map { category in
            var message = Pingan_Registry_V1_CategoryQuota()
            message.number = Int32(category.number)
            message.name = category.name
            message.mode = category.mode.rawValue
            message.quota = Int32(category.quota)
            message.quotaPerResidentialCommittee = Int32(category.quotaPerResidentialCommittee ?? 0)
            message.subcategories = category.subcategories.map { Self.subcategory(code: $0.code, name: $0.name, quota: $0.quota, enrolled: 0) }
            return message
        }
        info.minimumAge = Int32(campaign.eligibility.minimumAge)
        info.maximumAge = Int32(campaign.eligibility.maximumAge)
        info.minimumResidenceMonths = Int32(campaign.eligibility.minimumResidenceMonths)
        info.totalQuota = Int32(plan.totalQuota)
        return info
    }

    private static func entry(at: String, kind: String, from: String?, to: String, actor: String, reason: String?) -> Pingan_Registry_V1_HistoryEntry {
        var entry = Pingan_Registry_V1_HistoryEntry()
        entry.at = at
        entry.kind = kind
        entry.from = from ?? ""
        entry.to = to
        entry.actor = actor
        entry.reason = reason ?? ""
        return entry
    }
}
