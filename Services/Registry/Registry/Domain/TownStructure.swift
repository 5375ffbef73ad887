import PinganCampaign

/// The town plan's organisation: the units that register volunteers, and which categories each
/// registers. Seed data for a new deployment and for the quick start; a real town edits it.
public struct TownStructure: Sendable, Hashable {
    public var units: [OrgUnit]
    /// For each directed category, the units whose people it covers and their share of its quota.
    public var registrars: [Int: [String]]

    /// The Shanghai town of the World Expo 2010 plan: 51 residential committees, 3 village
    /// committees with 14 village groups, departments, companies and key units.
    public static let townPlan2010: TownStructure = {
        var units = [OrgUnit(code: "TOWN", name: "某镇", kind: .town, parentCode: nil, responsible: "综治办主任")]
        let departments = [("DEPT-JG", "镇机关"), ("DEPT-ZZB", "综治办"), ("DEPT-SB", "社会保障中心"), ("DEPT-CG", "城管监察中队")]
        units += departments.map { OrgUnit(code: $0.0, name: $0.1, kind: .department, parentCode: "TOWN") }
        units += (1...51).map { OrgUnit(code: "JC-\(zeroPadded($0, 3))", name: "第\($0)居委会", kind: .residentialCommittee, parentCode: "TOWN") }
        units += (1...3).map { OrgUnit(code: "VC-\(zeroPadded($0, 2))", name: "第\($0)村委会", kind: .villageCommittee, parentCode: "TOWN") }
        let groupsPerVillage = [5, 5, 4]
        var group = 0
        for (village, count) in groupsPerVillage.enumerated() {
            for _ in 0..<count {
                group += 1
                units.append(OrgUnit(code: "VG-\(zeroPadded(group, 2))", name: "第\(group)村民小组", kind: .villageGroup, parentCode: "VC-\(zeroPadded(village + 1, 2))"))
            }
        }
        units += (1...6).map { OrgUnit(code: "ENT-BA-\(zeroPadded($0, 2))", name: "保安服务公司\($0)", kind: .enterprise, parentCode: "TOWN") }
        units.append(OrgUnit(code: "ENT-HW-01", name: "环卫清运公司", kind: .enterprise, parentCode: "TOWN"))
        units += (2...5).map { OrgUnit(code: "ENT-HW-\(zeroPadded($0, 2))", name: "片区保洁公司\($0 - 1)", kind: .enterprise, parentCode: "TOWN") }
        units.append(OrgUnit(code: "KU-SCHOOL", name: "国际学校", kind: .keyUnit, parentCode: "TOWN"))
        units += (1...10).map { OrgUnit(code: "KU-GAS-\(zeroPadded($0, 2))", name: "加油加气站\($0)", kind: .keyUnit, parentCode: "TOWN") }
        units.append(OrgUnit(code: "KU-HAZMAT", name: "危险化学品仓库", kind: .keyUnit, parentCode: "TOWN"))

        let committees = (1...51).map { "JC-\(zeroPadded($0, 3))" } + (1...3).map { "VC-\(zeroPadded($0, 2))" }
        let registrars: [Int: [String]] = [
            1: ["DEPT-JG"],
            2: committees,
            3: ["DEPT-SB"],
            4: (1...6).map { "ENT-BA-\(zeroPadded($0, 2))" },
            5: (1...5).map { "ENT-HW-\(zeroPadded($0, 2))" },
            6: ["DEPT-CG"],
            7: (1...3).map { "VC-\(zeroPadded($0, 2))" },
            8: ["KU-SCHOOL", "KU-HAZMAT"] + (1...10).map { "KU-GAS-\(zeroPadded($0, 2))" },
        ]
        return TownStructure(units: units, registrars: registrars)
    }()
}
