import PinganCampaign
import PinganRules

/// The limits of public recruitment, from the campaign (data, not constants: later campaigns
/// may set others).
public struct EligibilityRules: Sendable, Hashable, Codable {
    public var minimumAge: Int
    public var maximumAge: Int
    /// Months a person from another province or abroad must have lived in Shanghai.
    public var minimumResidenceMonths: Int

    public init(minimumAge: Int = 18, maximumAge: Int = 65, minimumResidenceMonths: Int = 6) {
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
        self.minimumResidenceMonths = minimumResidenceMonths
    }

    /// The World Expo 2010 town plan: aged 18 to 65, more than half a year in Shanghai.
    public static let townPlan2010 = EligibilityRules()
}

/// Whether an applicant may become a public-recruitment volunteer. Checked by the registry from
/// the applicant's data, never taken from the caller.
public enum Eligibility {
    /// Every rule the applicant fails on the application date; empty means eligible.
    public static func evaluate(_ applicant: Applicant, on date: CalendarDay, rules: EligibilityRules) -> [BrokenRule] {
        identityViolations(applicant) + ageViolations(applicant, on: date, rules: rules)
            + residencyViolations(applicant, on: date, rules: rules) + declarationViolations(applicant)
    }

    private static func identityViolations(_ applicant: Applicant) -> [BrokenRule] {
        switch (applicant.identity, applicant.residency) {
        case (.residentID(let text), _):
            do {
                let id = try ResidentID(text)
                guard id.birthDate == applicant.birthDate else {
                    return [BrokenRule(field: "applicant.idNumber", rule: "ID_BIRTH_DATE_MISMATCH",
                                      message: "the ID number's birth date \(id.birthDate) differs from the declared \(applicant.birthDate)")]
                }
                return []
            } catch {
                return [BrokenRule(field: "applicant.idNumber", rule: error.rule, message: error.description)]
            }
        case (.passport, .shanghaiHousehold), (.passport, .otherProvince):
            return [BrokenRule(field: "applicant.idNumber", rule: "RESIDENT_ID_REQUIRED",
                              message: "mainland residents register with their resident ID number")]
        case (.passport(let number, let country), .foreign):
            var violations: [BrokenRule] = []
            if number.isBlank {
                violations.append(BrokenRule(field: "applicant.passportNumber", rule: "DOCUMENT_NUMBER_REQUIRED", message: "is empty"))
            }
            if country.isBlank {
                violations.append(BrokenRule(field: "applicant.passportCountry", rule: "DOCUMENT_COUNTRY_REQUIRED", message: "is empty"))
            }
            return violations
        }
    }

    private static func ageViolations(_ applicant: Applicant, on date: CalendarDay, rules: EligibilityRules) -> [BrokenRule] {
        let age = applicant.birthDate.age(on: date)
        guard age < rules.minimumAge || age > rules.maximumAge else { return [] }
        if let waiver = applicant.ageWaiver {
            return waiver.reason.isBlank
                ? [BrokenRule(field: "applicant.ageWaiver.reason", rule: "WAIVER_REASON_REQUIRED", message: "an age waiver must give its reason")]
                : []
        }
        return age < rules.minimumAge
            ? [BrokenRule(field: "applicant.birthDate", rule: "AGE_BELOW_MINIMUM",
                         message: "age \(age) is below \(rules.minimumAge) and no waiver was given")]
            : [BrokenRule(field: "applicant.birthDate", rule: "AGE_ABOVE_MAXIMUM",
                         message: "age \(age) is above \(rules.maximumAge) and no waiver was given")]
    }

    private static func residencyViolations(_ applicant: Applicant, on date: CalendarDay, rules: EligibilityRules) -> [BrokenRule] {
        let since: CalendarDay
        switch applicant.residency {
        case .shanghaiHousehold: return []
        case .otherProvince(let day), .foreign(let day): since = day
        }
        var violations: [BrokenRule] = []
        if since > date {
            violations.append(BrokenRule(field: "applicant.residentSince", rule: "RESIDENCE_IN_FUTURE",
                                        message: "\(since) is after the application date \(date)"))
        } else if since.months(until: date) < rules.minimumResidenceMonths {
            violations.append(BrokenRule(field: "applicant.residentSince", rule: "RESIDENCE_TOO_SHORT",
                message: "\(since.months(until: date)) months' residence in Shanghai, \(rules.minimumResidenceMonths) required"))
        }
        if !applicant.hasStableJob {
            violations.append(BrokenRule(field: "applicant.hasStableJob", rule: "STABLE_JOB_REQUIRED",
                                        message: "a non-local applicant needs a stable job"))
        }
        if !applicant.hasFixedResidence {
            violations.append(BrokenRule(field: "applicant.hasFixedResidence", rule: "FIXED_RESIDENCE_REQUIRED",
                                        message: "a non-local applicant needs a fixed residence"))
        }
        return violations
    }

    private static func declarationViolations(_ applicant: Applicant) -> [BrokenRule] {
        [
            (applicant.declaresGoodHealth, "applicant.declaresGoodHealth", "HEALTH_NOT_DECLARED", "good health must be declared"),
            (applicant.willingToServe, "applicant.willingToServe", "WILLINGNESS_NOT_DECLARED", "willingness to serve must be declared"),
            (applicant.hasTimeToServe, "applicant.hasTimeToServe", "TIME_NOT_DECLARED", "time to serve must be declared"),
        ].compactMap { declared, field, rule, message in
            declared ? nil : BrokenRule(field: field, rule: rule, message: message)
        }
    }
}

extension StringProtocol {
    /// True if empty or only white space.
    fileprivate var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
