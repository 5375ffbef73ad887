import Foundation
@testable import Gateway
import Testing

@Suite("Gateway output: tables, JSON, CSV, languages")
struct RendererTests {
    static let report: Report = {
        var report = Report(command: "dashboard", sections: [
            Section(id: "registry.categories", title: Text("招募进度", "Recruitment"), table: Table(
                columns: [.init("name", Text("名称", "Name")), .init("enrolled", Text("已招募", "Enrolled")), .init("share", Text("完成率", "%"))],
                rows: [[.text("环卫工人"), .int(474), .percent(part: 474, whole: 650)], [.text("guards, \"night\""), .int(12), .percent(part: 12, whole: 0)]])),
            .unavailable(id: "training.completion", title: Text("培训", "Training"), reason: "training at 127.0.0.1:7402 did not answer in time", code: "DEADLINE_EXCEEDED"),
        ])
        report.notes = [Text("（提示）", "(hint)")]
        return report
    }()

    @Test("a terminal table aligns mixed Chinese and ASCII cells and says which section is unavailable")
    func table() {
        let text = Renderer.render(Self.report, as: .table, language: .en)
        #expect(text == """
            == Recruitment ==
            Name             Enrolled  %
            环卫工人         474       73%
            guards, "night"  12        -

            == Training ==
            unavailable: training at 127.0.0.1:7402 did not answer in time

            (hint)
            """)
        #expect(Renderer.render(Self.report, as: .table, language: .zh).hasPrefix("== 招募进度 ==\n名称"))
    }

    @Test("JSON keeps the documented schema: numbers as numbers, shares as ratios, unavailable with reason and code, partial")
    func json() throws {
        let data = Data(Renderer.render(Self.report, as: .json, language: .en).utf8)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["schema"] as? String == "pingan.gateway.v1")
        #expect(root["partial"] as? Bool == true)
        let sections = try #require(root["sections"] as? [[String: Any]])
        #expect(sections[0]["columns"] as? [String] == ["name", "enrolled", "share"])
        let rows = try #require(sections[0]["rows"] as? [[String: Any]])
        #expect(rows[0]["enrolled"] as? Int == 474)
        #expect(rows[0]["share"] as? Double == 0.7292)
        #expect(rows[1]["share"] is NSNull)
        #expect(sections[1]["status"] as? String == "unavailable" && sections[1]["code"] as? String == "DEADLINE_EXCEEDED")
        #expect(!String(decoding: data, as: UTF8.self).contains("(hint)"), "notes are for terminals only")
    }

    @Test("JSON text as scripts and people read it: keys sorted, two-space indent, slashes and Chinese unescaped, quotes escaped, nulls, a fraction as an object")
    func jsonText() {
        let report = Report(command: "volunteer show", sections: [
            Section(id: "duty.standing", title: Text("出勤", "Standing"), fields: [
                Field("month", Text("月份", "Month"), .text("2010/05 \"五月\"")), Field("hours", Text("小时", "Hours"), .decimal(12.5)),
                Field("rank", Text("排名", "Rank"), .none), Field("done", Text("完成", "Done"), .fraction(part: 3, whole: 4)),
                Field("met", Text("达标", "Met"), .bool(false)),
            ]),
        ])
        #expect(Renderer.render(report, as: .json, language: .zh) == """
            {
              "command" : "volunteer show",
              "partial" : false,
              "schema" : "pingan.gateway.v1",
              "sections" : [
                {
                  "fields" : {
                    "done" : {
                      "part" : 3,
                      "whole" : 4
                    },
                    "hours" : 12.5,
                    "met" : false,
                    "month" : "2010/05 \\"五月\\"",
                    "rank" : null
                  },
                  "id" : "duty.standing",
                  "status" : "ok",
                  "title" : "出勤"
                }
              ]
            }
            """)
    }

    @Test("CSV: byte-order mark, CRLF, quoting of commas and quotes, a block per section")
    func csv() {
        let text = Renderer.render(Self.report, as: .csv, language: .zh)
        #expect(text == "\u{FEFF}section,名称,已招募,完成率\r\nregistry.categories,环卫工人,474,0.7292\r\nregistry.categories,\"guards, \"\"night\"\"\",12,\r\n\r\n"
            + "section,status,reason\r\ntraining.completion,unavailable,training at 127.0.0.1:7402 did not answer in time\r\n")
    }

    @Test("a report is partial when a section did not answer, not when the caller's role may not see it")
    func partial() {
        let denied = Report(command: "volunteer show", sections: [
            Section(id: "registry.volunteer", title: Text("登记信息", "Registry"), fields: [Field("id", Text("编号", "ID"), .integer(7))]),
            .unavailable(id: "registry.history", title: Text("记录", "History"), reason: "PERMISSION_DENIED role trainer", code: "PERMISSION_DENIED"),
        ])
        #expect(!denied.isPartial)
        #expect(Self.report.isPartial)
    }

    @Test("the language comes from --lang, else LC_ALL, LC_MESSAGES, LANG")
    func language() {
        #expect(Language.resolve(flag: nil, environment: ["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Language.resolve(flag: nil, environment: ["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.resolve(flag: "zh", environment: ["LANG": "C"]) == .zh)
        #expect(Language.resolve(flag: nil, environment: [:]) == .en)
    }

    @Test("enumerated values read in Chinese with --lang zh; JSON and CSV keep the stable English ones")
    func terms() throws {
        let report = Report(command: "volunteer show", sections: [
            Section(id: "registry.volunteer", title: Text("志愿者", "Volunteer"), fields: [Field("status", Text("状态", "Status"), .text("committee_accepted"))]),
            Section(id: "duty.shifts", title: Text("班次", "Shifts"), table: Table(
                columns: [.init("project", Text("项目", "Project")), .init("status", Text("状态", "Status")), .init("place", Text("地点", "Place"))],
                rows: [[.text("patrol"), .text("assigned"), .text("active")]])),
        ])
        let zh = Renderer.render(report, as: .table, language: .zh)
        #expect(zh.contains("居委会已接收") && zh.contains("巡逻") && zh.contains("已排班"))
        #expect(zh.contains("active"), "a value under a column that holds no terms stays as it is")
        #expect(Renderer.render(report, as: .table, language: .en).contains("committee_accepted"))
        let json = Renderer.render(report, as: .json, language: .zh)
        #expect(json.contains("\"committee_accepted\"") && json.contains("\"patrol\"") && !json.contains("巡逻"))
        #expect(Renderer.render(report, as: .csv, language: .zh).contains(",assigned,"))
    }
}
