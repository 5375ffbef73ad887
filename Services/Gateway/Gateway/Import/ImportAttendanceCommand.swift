import ArgumentParser
import Foundation
import PinganCampaign
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTrainingContracts

/// `pingan import attendance FILE --session S`: one session's sheet, all rows or none.
struct ImportAttendanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: "Record a session's attendance sheet (columns: volunteer_id, present, hours).",
        discussion: "present: 1/0, yes/no, 是/否, 出席/缺席. hours: empty or 0 for the whole session.")

    @OptionGroup var options: GatewayOptions
    @Argument var file: String
    @Option var session: Int64

    func run() async throws {
        try await runGateway(options) { gateway in
            let records = try ImportFile.records(file)
            let columns: [String: Int]
            do {
                columns = try CSVReader.columns(records[0].fields, wanted: [
                    ("volunteer_id", ["volunteer_id", "编号", "志愿者编号"], true), ("present", ["present", "出席"], true), ("hours", ["hours", "学时"], false),
                ])
            } catch {
                throw GatewayExit.usage("\(file): \(error)")
            }
            var request = Pingan_Training_V1_RecordAttendanceRequest()
            request.sessionID = session
            var problems: [ImportFile.Problem] = []
            for record in records.dropFirst() {
                func value(_ key: String) -> String { columns[key].flatMap { $0 < record.fields.count ? record.fields[$0].trimmed : nil } ?? "" }
                var row = Pingan_Training_V1_AttendanceRow()
                if let id = Int64(value("volunteer_id")) { row.volunteerID = id } else {
                    problems.append((record.line, "volunteer_id", "'\(value("volunteer_id"))' is not a volunteer id"))
                }
                switch value("present").lowercased() {
                case "1", "yes", "y", "true", "是", "出席": row.present = true
                case "0", "no", "n", "false", "否", "缺席": row.present = false
                default: problems.append((record.line, "present", "'\(value("present"))' is not 1/0, yes/no, 是/否"))
                }
                let hours = value("hours")
                if !hours.isEmpty {
                    if let number = Double(hours), number >= 0 { row.hours = number } else { problems.append((record.line, "hours", "'\(hours)' is not a number of hours")) }
                }
                request.rows.append(row)
            }
            guard problems.isEmpty else { try ImportFile.refuse(problems, command: "import attendance", gateway) }
            let result = try await ImportFile.send(command: "import attendance", lines: records.dropFirst().map(\.line), gateway) {
                try await gateway.training().recordAttendance(request, options: gateway.options)
            }
            gateway.print(Report(command: "import attendance", sections: [Section(id: "import.attendance", title: Text("导入结果", "Imported"), fields: [
                Field("recorded", Text("记录行数", "Rows recorded"), .int(result.recorded)),
                Field("completed", Text("完成课程人数", "Completed the course"), .int(result.completedVolunteerIds.count)),
            ])]))
        }
    }
}
