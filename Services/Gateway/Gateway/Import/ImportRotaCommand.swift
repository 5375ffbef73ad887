import ArgumentParser
import Foundation
import PinganCampaign
import PinganDutyContracts
import PinganRPC

/// `pingan import rota FILE --post P --from D --to D`: a team's weekly pattern on a post for a
/// period, every shift or none.
struct ImportRotaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rota", abstract: "Assign a rota: a volunteer per weekday and time on a post, for a period (columns: volunteer_id, weekday, starts, ends).",
        discussion: "weekday: 1-7 (Monday 1), Mon-Sun, 一-日 or 周一/星期一. starts, ends: HH:MM; an end at or before the start is the next day.")

    @OptionGroup var options: GatewayOptions
    @Argument var file: String
    @Option var post: String
    @Option(help: "YYYY-MM-DD, inclusive") var from: String
    @Option(help: "YYYY-MM-DD, inclusive, at most 92 days") var to: String
    @Option(help: "Retries with the same key act once (default: one from the post, the period and the file's contents).") var idempotencyKey: String?

    static let weekdays: [String: Int32] = {
        var names: [String: Int32] = [:]
        for (index, english) in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].enumerated() { names[english] = Int32(index + 1) }
        for (index, chinese) in ["一", "二", "三", "四", "五", "六", "日"].enumerated() {
            for form in [chinese, "周" + chinese, "星期" + chinese] { names[form] = Int32(index + 1) }
        }
        names["天"] = 7
        names["周天"] = 7
        names["星期天"] = 7
        return names
    }()

    func run() async throws {
        try await runGateway(options) { gateway in
            let records = try ImportFile.records(file)
            let columns: [String: Int]
            do {
                columns = try CSVReader.columns(records[0].fields, wanted: [
                    ("volunteer_id", ["volunteer_id", "编号", "志愿者编号"], true), ("weekday", ["weekday", "星期"], true),
                    ("starts", ["starts", "开始"], true), ("ends", ["ends", "结束"], true),
                ])
            } catch {
                throw GatewayExit.usage("\(file): \(error)")
            }
            var request = Pingan_Duty_V1_AssignRotaRequest()
            request.postCode = post
            request.from = from
            request.to = to
            var problems: [ImportFile.Problem] = []
            for record in records.dropFirst() {
                func value(_ key: String) -> String { columns[key].flatMap { $0 < record.fields.count ? record.fields[$0].trimmed : nil } ?? "" }
                var slot = Pingan_Duty_V1_RotaSlot()
                if let id = Int64(value("volunteer_id")) { slot.volunteerID = id } else {
                    problems.append((record.line, "volunteer_id", "'\(value("volunteer_id"))' is not a volunteer id"))
                }
                let weekday = value("weekday")
                if let number = Int32(weekday) ?? Self.weekdays[String(weekday.lowercased().prefix(3))] ?? Self.weekdays[weekday] {
                    slot.weekday = number
                } else {
                    problems.append((record.line, "weekday", "'\(weekday)' is not a weekday (1-7, Mon-Sun, 一-日)"))
                }
                slot.starts = value("starts")
                slot.ends = value("ends")
                request.slots.append(slot)
            }
            guard problems.isEmpty else { try ImportFile.refuse(problems, command: "import rota", gateway) }
            let key = try idempotencyKey ?? ContentBatchID.make(prefix: "rota", parts: [post, from, to], contents: ImportFile.contents(file))
            let result = try await ImportFile.send(command: "import rota", lines: records.dropFirst().map(\.line), array: "slots", firstIndex: 0, gateway) {
                try await gateway.duty().assignRota(request, options: gateway.options(idempotencyKey: key))
            }
            gateway.print(Report(command: "import rota", sections: [Section(id: "import.rota", title: Text("排班结果", "Assigned"), fields: [
                Field("post", Text("岗位", "Post"), .text(result.postCode)), Field("assigned", Text("班次数", "Shifts"), .int(result.assigned)),
                Field("first_shift_id", Text("首个班次", "First shift"), .integer(result.firstShiftID)),
                Field("last_shift_id", Text("末个班次", "Last shift"), .integer(result.lastShiftID)),
            ])]))
        }
    }
}
