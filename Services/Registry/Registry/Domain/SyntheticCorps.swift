import PinganCampaign

/// A realistic, reproducible synthetic corps for demonstrations and load tests: Chinese names,
/// valid resident IDs with ages spread across 20-64, mobile numbers, and each directed
/// category registered by its units in batches filled to 55-95 % of their share of the quota.
public struct SyntheticCorps: Sendable {
    private var random: SeededRandom
    private var sequence = 0

    public init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    private static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(String.init)
    private static let givenNames = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
                                     "秀兰", "霞", "平", "刚", "桂英", "建华", "国强", "志明", "丽华", "海燕", "红梅", "建国", "文", "斌", "辉",
                                     "鹏", "华", "玉兰", "凤英", "英", "淑珍", "建平", "晓东", "美玲", "春生", "佳怡", "子豪", "雪梅", "德明", "立新"]
    /// Shanghai district codes the ID numbers are spread over.
    private static let regions = ["310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310113", "310115"]

    /// The directed batches for every category the structure assigns, as of `date`.
    public mutating func directedBatches(plan: RecruitmentPlan, structure: TownStructure, on date: CalendarDay) -> [DirectedBatch] {
        var batches: [DirectedBatch] = []
        for category in plan.categories where category.mode == .directed {
            guard let units = structure.registrars[category.number], !units.isEmpty else { continue }
            for (index, unit) in units.enumerated() {
                // The unit's share of the quota, the remainder going to the first units.
                let share = category.quota / units.count + (index < category.quota % units.count ? 1 : 0)
                let fill = 55 + random.next(upTo: 41)
                let count = share * fill / 100
                guard count > 0 else { continue }
                let rows = (1...count).map { number in
                    DirectedBatch.Row(number: number, name: name(), idNumber: idNumber(on: date), phone: phone(),
                                      subcategory: subcategory(of: category))
                }
                batches.append(DirectedBatch(batchID: "demo-c\(category.number)-\(unit)", unitCode: unit, category: category.number, rows: rows))
            }
        }
        return batches
    }

    /// What happens to a synthetic public applicant.
    public enum Fate: Sendable, Hashable {
        case approved
        case awaitingOffice
        case awaitingCommittee
        case rejectedByCommittee(reason: String)
        case rejectedByOffice(reason: String)
        /// Fails eligibility at submission (too old, or too short a residence).
        case ineligible
    }

    /// Building-guard applicants (category 9) at every residential committee, in every state.
    public mutating func publicApplications(structure: TownStructure, on date: CalendarDay) -> [(unit: String, applicant: Applicant, phone: String, fate: Fate)] {
        let committees = structure.units.filter { $0.kind == .residentialCommittee }.map(\.code)
        var applications: [(unit: String, applicant: Applicant, phone: String, fate: Fate)] = []
        for unit in committees {
            for _ in 0..<(12 + random.next(upTo: 8)) {
                let roll = random.next(upTo: 100)
                let fate: Fate = switch roll {
                case 0..<60: .approved
                case 60..<70: .awaitingOffice
                case 70..<80: .awaitingCommittee
                case 80..<88: .rejectedByCommittee(reason: "不在本社区实际居住")
                case 88..<92: .rejectedByOffice(reason: "本居委会护楼名额已满")
                default: .ineligible
                }
                var idText = idNumber(on: date)
                var birth = ResidentID.birthDate(of: idText)
                var residency = Applicant.Residency.shanghaiHousehold
                if fate == .ineligible {
                    if roll % 2 == 0 {
                        // Over the age limit: born 66-70 years before the application.
                        let year = date.year - 66 - random.next(upTo: 5)
                        precondition(sequence < 10_000, "the synthetic corps makes at most 10,000 distinct ID numbers")
                        let body = Self.regions[sequence / 1000] + zeroPadded(year, 4) + "0101" + zeroPadded(sequence % 1000, 3)
                        sequence += 1
                        idText = body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
                        birth = CalendarDay(year: year, month: 1, day: 1)!
                    } else {
                        // A migrant who arrived three months ago.
                        residency = .otherProvince(since: CalendarDay(year: date.year, month: max(1, date.month - 3), day: 1)!)
                    }
                } else if random.next(upTo: 4) == 0 {
                    residency = .otherProvince(since: CalendarDay(year: date.year - 2, month: 1 + random.next(upTo: 12), day: 1)!)
                }
                let applicant = Applicant(name: name(), identity: .residentID(idText), birthDate: birth, residency: residency)
                applications.append((unit, applicant, phone(), fate))
            }
        }
        return applications
    }

    private mutating func name() -> String {
        Self.surnames[random.next(upTo: Self.surnames.count)] + Self.givenNames[random.next(upTo: Self.givenNames.count)]
    }

    /// A valid ID for someone aged 20-64 on `date`. Region and sequence digits come from disjoint
    /// parts of a counter, so numbers are distinct by construction (for up to 10,000 people).
    private mutating func idNumber(on date: CalendarDay) -> String {
        precondition(sequence < 10_000, "the synthetic corps makes at most 10,000 distinct ID numbers")
        defer { sequence += 1 }
        let age = 20 + random.next(upTo: 45)
        let month = 1 + random.next(upTo: 12)
        let day = 1 + random.next(upTo: CalendarDay.daysIn(month: month, year: date.year - age))
        let region = Self.regions[sequence / 1000]
        let body = region + zeroPadded(date.year - age, 4) + zeroPadded(month, 2) + zeroPadded(day, 2) + zeroPadded(sequence % 1000, 3)
        return body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    private mutating func phone() -> String {
        ["138", "139", "136", "137", "150", "158", "186", "189"][random.next(upTo: 8)] + zeroPadded(random.next(upTo: 100_000_000), 8)
    }

    private mutating func subcategory(of category: RecruitmentCategory) -> String? {
        guard !category.subcategories.isEmpty else { return nil }
        // Weighted by sub-quota, so the sub-categories fill in proportion.
        var pick = random.next(upTo: category.quota)
        for sub in category.subcategories {
            if pick < sub.quota { return sub.code }
            pick -= sub.quota
        }
        return category.subcategories.last?.code
    }
}

/// xorshift64*: small, fast and reproducible, which is all a synthetic data set needs.
struct SeededRandom: Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    mutating func next(upTo bound: Int) -> Int {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Int((state &* 0x2545_F491_4F6C_DD1D) % UInt64(bound))
    }
}
