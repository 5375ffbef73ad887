import ArgumentParser
import Foundation
import PinganDutyContracts
import PinganRPC

/// `pingan import activities FILE`: an activity sheet, every row or none.
struct ImportActivitiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activities", abstract: "Record an activity sheet (columns: volunteer_id, project, day, place, hours, note).",
        discussion: "project: publicity, patrol, station_guarding, hazard_information, dispute_mediation, key_person_assistance. day: YYYY-MM-DD.")

    @OptionGroup var options: GatewayOptions
    @Argument var file: String
    @Option(help: "Retries with the same key act once (default: one from the file's contents).") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { gateway in
            let records = try ImportFile.records(file)
            let columns: [String: Int]
            do {
                columns = try CSVReader.columns(records[0].fields, wanted: [
                    ("volunteer_id", ["volunteer_id", "编号", "志愿者编号"], true), ("project", ["project", "项目"], true),
                    ("day", ["day", "日期"], true), ("place", ["place", "地点"], true), ("hours", ["hours", "小时", "时长"], true),
                    ("note", ["note", "备注"], false),
                ])
            } catch {
                throw GatewayExit.usage("\(file): \(error)")
            }
            var request = Pingan_Duty_V1_RecordActivitiesRequest()
            var problems: [ImportFile.Problem] = []
            for record in records.dropFirst() {
                func value(_ key: String) -> String { columns[key].flatMap { $0 < record.fields.count ? record.fields[$0].trimmed : nil } ?? "" }
                var row = Pingan_Duty_V1_RecordActivityRequest()
                if let id = Int64(value("volunteer_id")) { row.volunteerID = id } else {
                    problems.append((record.line, "volunteer_id", "'\(value("volunteer_id"))' is not a volunteer id"))
                }
                if let hours = Double(value("hours")) { row.hours = hours } else {
                    problems.append((record.line, "hours", "'\(value("hours"))' is not a number of hours"))
                }
                row.project = value("project")
                row.day = value("day")
                row.place = value("place")
                row.note = value("note")
                request.rows.append(row)
            }
            guard problems.isEmpty else { try ImportFile.refuse(problems, command: "import activities", gateway) }
            let key = try idempotencyKey ?? ContentBatchID.make(prefix: "activities", parts: [], contents: ImportFile.contents(file))
            let result = try await ImportFile.send(command: "import activities", lines: records.dropFirst().map(\.line), gateway) {
                try await gateway.duty().recordActivities(request, options: gateway.options(idempotencyKey: key))
            }
            gateway.print(Report(command: "import activities", sections: [Section(id: "import.activities", title: Text("导入结果", "Imported"), fields: [
                Field("recorded", Text("记录条数", "Activities recorded"), .int(result.recorded)),
                Field("first_id", Text("首条记录", "First record"), .integer(result.firstID)),
                Field("last_id", Text("末条记录", "Last record"), .integer(result.lastID)),
            ])]))
        }
    }
}
