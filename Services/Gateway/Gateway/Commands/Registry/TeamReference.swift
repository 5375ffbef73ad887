import PinganRegistryContracts

/// A team as people name it: `UNIT/name` (`JC-017/巡逻一队`), its name when only one team has
/// it, or its id.
enum TeamReference {
    static func id(_ text: String, option: String = "--team", _ session: GatewaySession) async throws -> Int64 {
        if let id = Int64(text), id > 0 { return id }
        let teams = try await session.registry().listTeams(Pingan_Registry_V1_ListTeamsRequest(), options: session.options).teams
        let matches = teams.filter { "\($0.unitCode)/\($0.name)" == text || $0.name == text }
        guard matches.count == 1, let team = matches.first else {
            let named = matches.map { "\($0.unitCode)/\($0.name)" }.joined(separator: ", ")
            throw GatewayExit.usage(matches.isEmpty
                ? "\(option) '\(text.prefix(64))' is no team's UNIT/name, name or id"
                : "\(option) '\(text.prefix(64))' names \(matches.count) teams (\(named)): give UNIT/name or the id")
        }
        return team.id
    }
}
