import PinganRules

/// A checkpoint of a patrol route: where, and how many minutes into a round it is expected.
public struct Checkpoint: Sendable, Hashable {
    public var name: String
    public var minutesFromStart: Int

    public init(name: String, minutesFromStart: Int) {
        self.name = name
        self.minutesFromStart = minutesFromStart
    }
}

/// A post as asked for: "fixed route, fixed post, fixed duty" before a person is fixed to it.
public struct PostDraft: Sendable, Hashable {
    public var code: String
    public var project: String
    public var unitCode: String
    public var place: String
    public var duty: String
    public var route: [Checkpoint]

    public init(code: String, project: String, unitCode: String, place: String, duty: String, route: [Checkpoint] = []) {
        self.code = code
        self.project = project
        self.unitCode = unitCode
        self.place = place
        self.duty = duty
        self.route = route
    }

    /// The longest route a patrol may have, and the longest round.
    public static let maximumCheckpoints = 50
    public static let maximumRoundMinutes = 24 * 60

    /// The post's project, or every rule the draft breaks: a code of 1-32 characters, a known
    /// project, a unit, a place and a duty; a patrol has a route of 2-50 named checkpoints whose
    /// minutes start at 0 and increase; other projects have none.
    public func validated() -> Result<ServiceProject, Refusal> {
        var rules: [BrokenRule] = []
        if code.trimmed.isEmpty || code.count > 32 { rules.append(BrokenRule(field: "code", rule: "POST_CODE", message: "must be 1-32 characters")) }
        if unitCode.trimmed.isEmpty { rules.append(BrokenRule(field: "unitCode", rule: "UNIT_REQUIRED", message: "must not be empty")) }
        if place.trimmed.isEmpty || place.count > 200 { rules.append(BrokenRule(field: "place", rule: "PLACE", message: "must be 1-200 characters")) }
        if duty.trimmed.isEmpty || duty.count > 500 { rules.append(BrokenRule(field: "duty", rule: "DUTY", message: "must be 1-500 characters: what the person on the post does")) }
        let parsed: ServiceProject?
        switch ServiceProject.parse(project, field: "project") {
        case .success(let value): parsed = value
        case .failure(let rule):
            parsed = nil
            rules.append(rule)
        }
        if parsed == .patrol {
            rules += Self.routeRules(route)
        } else if parsed != nil, !route.isEmpty {
            rules.append(BrokenRule(field: "route", rule: "ROUTE_NOT_PATROL", message: "only patrol posts have a route"))
        }
        guard rules.isEmpty, let parsed else { return .failure(Refusal("post", rules)) }
        return .success(parsed)
    }

    static func routeRules(_ route: [Checkpoint]) -> [BrokenRule] {
        guard (2...maximumCheckpoints).contains(route.count) else {
            return [BrokenRule(field: "route", rule: "ROUTE_REQUIRED", message: "a patrol route has 2-\(maximumCheckpoints) checkpoints, got \(route.count)")]
        }
        var rules: [BrokenRule] = []
        for (index, checkpoint) in route.enumerated() {
            let field = "route[\(index + 1)]"
            if checkpoint.name.trimmed.isEmpty { rules.append(BrokenRule(field: "\(field).name", rule: "CHECKPOINT_NAME", message: "must not be empty")) }
            if index == 0, checkpoint.minutesFromStart != 0 {
                rules.append(BrokenRule(field: "\(field).minutesFromStart", rule: "ROUTE_START", message: "a round starts at its first checkpoint: 0"))
            }
            if index > 0, checkpoint.minutesFromStart <= route[index - 1].minutesFromStart {
                rules.append(BrokenRule(field: "\(field).minutesFromStart", rule: "ROUTE_ORDER",
                                        message: "\(checkpoint.minutesFromStart) is not after the previous checkpoint's \(route[index - 1].minutesFromStart)"))
            }
            if checkpoint.minutesFromStart > maximumRoundMinutes {
                rules.append(BrokenRule(field: "\(field).minutesFromStart", rule: "ROUND_TOO_LONG", message: "a round lasts at most 24 hours"))
            }
        }
        return rules
    }
}
