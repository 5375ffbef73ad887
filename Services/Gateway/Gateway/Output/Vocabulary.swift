/// The enumerated values the services answer with (statuses, kinds, projects, categories), in
/// Chinese for tables read with `--lang zh`. JSON and CSV keep the stable English values, which
/// scripts match on.
enum Vocabulary {
    /// Columns and fields whose values are terms.
    static let termKeys: Set<String> = ["status", "kind", "project", "category", "standard", "item", "assessment", "action", "to", "from", "mode"]

    static let zh: [String: String] = [
        // Volunteers
        "applied": "已申请", "committee_accepted": "居委会已接收", "active": "在册", "suspended": "暂停", "withdrawn": "已退出",
        "rejected": "已退回", "directed": "定向招募", "public": "社会招募",
        // Courses and sessions
        "pre_job": "岗前培训", "post_quality": "岗位提高培训", "project_skill": "专项技能培训", "scheduled": "已排期", "cancelled": "已取消",
        "passed": "合格", "failed": "不合格",
        // Duty
        "publicity": "宣传发动", "patrol": "巡逻", "station_guarding": "定点值守", "hazard_information": "隐患信息",
        "dispute_mediation": "矛盾调解", "key_person_assistance": "重点人员帮教", "assigned": "已排班",
        "reported": "已上报", "referred": "已移交", "rectifying": "整改中", "rectified": "已整改", "verified": "已核实",
        "fire": "消防", "public_order": "治安", "open": "已受理", "mediating": "调解中", "settled": "已调解",
        // Finance
        "reserved": "已预留", "approved": "已审批", "posted": "已支付", "training": "培训", "equipment": "装备", "office": "办公",
        "manager_subsidy": "管理人员补贴", "activity_subsidy": "活动补贴", "reward": "奖励", "village_patrol": "护村巡逻",
        "transport_meal": "交通餐费", "training_cost": "培训费", "armband": "袖标", "vest": "马甲", "t_shirt": "T恤", "badge": "胸牌",
        "sun_hat": "遮阳帽", "small_flag": "小旗",
    ]

    /// `value` as a table shows it in `language` under the column or field `key`.
    static func display(_ value: Value, key: String, _ language: Language) -> String {
        if language == .zh, termKeys.contains(key), case .text(let text) = value, let term = zh[text] { return term }
        return value.display(language)
    }
}
