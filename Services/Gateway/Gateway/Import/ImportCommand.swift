import ArgumentParser
import Foundation
import PinganCampaign
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTrainingContracts

/// `pingan import ...`: CSV files into the services.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import CSV files: directed registration batches, attendance sheets.",
        discussion: "Exit status: 0 imported; 3 refused (nothing imported; every bad row is listed with its line, field and rule); 4 service unreachable; 64 usage, config or unreadable file.",
        subcommands: [ImportBatchCommand.self, ImportAttendanceCommand.self])
}

/// `pingan import batch FILE`: a department's directed registration, all rows or none.
struct ImportBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch", abstract: "Register a CSV of people for a category and unit (columns: name, id_number, phone, subcategory).",
        discussion: "Header names in English or Chinese: name/姓名, id_number/身份证号, phone/手机, subcategory/子类别. The batch id makes a resubmission return the first result.")

    @OptionGroup var options: GatewayOptions
    @Argument(help: "The CSV file (UTF-8, with or without a byte-order mark).") var file: String
    @Option var unit: String
    @Option var category: Int32
    @Option(help: "The batch's id (default: the file name).") var batchID: String?

    func run() async throws {
        try await runGateway(options) { session in
            let (rows, lines) = try Self.rows(file)
            typealias Request = Pingan_Registry_V1_RegisterBatchRequest
            var bar = ProgressBar(total: rows.count, label: Text("导入", "importing")(session.language))
            let batchID = self.batchID ?? URL(fileURLWithPath: file).lastPathComponent
            let response: Pingan_Registry_V1_RegisterBatchResponse
            do {
                response = try await session.client("registry").connection(before: session.deadline).clientStreaming(
                    RegistryMethods.registerBatch, options: session.options
                ) { (writer: RequestStreamWriter<Request>) in
                    var header = Request()
                    header.header.batchID = batchID
                    header.header.unitCode = unit
                    header.header.category = category
                    try await writer.write(header)
                    for (index, row) in rows.enumerated() {
                        var message = Request()
                        message.row = row
                        try await writer.write(message)
                        bar.update(index + 1)
                    }
                }
                bar.finish()
            } catch let error as RPCError where error.details?.fieldViolations.isEmpty == false {
                bar.finish()
                session.print(Self.errorReport(error, lines: lines))
                throw GatewayExit.refused(Text("批次被拒，未导入任何记录", "batch refused, nothing registered")(session.language) + ": \(error.message)")
            }
            session.print(Report(command: "import batch", sections: [Section(id: "import.batch", title: Text("导入结果", "Imported"), fields: [
                Field("batch_id", Text("批次", "Batch"), .text(response.batchID)), Field("accepted", Text("登记人数", "Registered"), .int(response.accepted)),
                Field("first_volunteer_id", Text("首个编号", "First id"), .integer(response.firstVolunteerID)),
                Field("replayed", Text("重复提交", "Already submitted"), .bool(response.replayed)),
            ])]))
        }
    }

    /// The file's rows, and each row's line in the file (for error reports).
    static func rows(_ path: String) throws -> ([Pingan_Registry_V1_VolunteerRow], [Int]) {
        let records = try ImportFile.records(path)
        let columns: [String: Int]
        do {
            columns = try CSVReader.columns(records[0].fields, wanted: [
                ("name", ["name", "姓名"], true), ("id_number", ["id_number", "身份证号", "证件号码"], true),
                ("phone", ["phone", "手机", "手机号"], false), ("subcategory", ["subcategory", "子类别"], false),
            ])
        } catch {
            throw GatewayExit.usage("\(path): \(error)")
        }
        let data = records.dropFirst()
        let rows = data.map { record in
            var row = Pingan_Registry_V1_VolunteerRow()
            func value(_ key: String) -> String { columns[key].flatMap { $0 < record.fields.count ? record.fields[$0].trimmed : nil } ?? "" }
            row.name = value("name")
            row.idNumber = value("id_number")
            row.phone = value("phone")
            row.subcategory = value("subcategory")
            return row
        }
        return (rows, data.map(\.line))
    }

    /// Every refused row with its line in the file.
    static func errorReport(_ error: RPCError, lines: [Int]) -> Report {
        Report(command: "import", sections: [Section(id: "import.errors", title: Text("错误行", "Rows refused"), table: ImportFile.violationTable(error, lines: lines))])
    }
}

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
            var problems: [(line: Int, field: String, message: String)] = []
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
            guard problems.isEmpty else {
                gateway.print(Report(command: "import attendance", sections: [Section(id: "import.errors", title: Text("错误行", "Rows refused"), table: Table(
                    columns: ImportFile.errorColumns, rows: problems.map { [.int($0.line), .text($0.field), .text("FORMAT"), .text($0.message)] }))]))
                throw GatewayExit.refused(Text("文件有错误，未导入任何记录", "the file has bad rows, nothing recorded")(gateway.language))
            }
            let lines = records.dropFirst().map(\.line)
            let result: Pingan_Training_V1_AttendanceResult
            do {
                result = try await gateway.client("training").unary(TrainingMethods.recordAttendance, request, options: gateway.options)
            } catch let error as RPCError where error.details?.fieldViolations.isEmpty == false {
                gateway.print(Report(command: "import attendance", sections: [Section(
                    id: "import.errors", title: Text("错误行", "Rows refused"), table: ImportFile.violationTable(error, lines: lines))]))
                throw GatewayExit.refused(Text("签到表被拒，未导入任何记录", "sheet refused, nothing recorded")(gateway.language) + ": \(error.message)")
            }
            gateway.print(Report(command: "import attendance", sections: [Section(id: "import.attendance", title: Text("导入结果", "Imported"), fields: [
                Field("recorded", Text("记录行数", "Rows recorded"), .int(result.recorded)),
                Field("completed", Text("完成课程人数", "Completed the course"), .int(result.completedVolunteerIds.count)),
            ])]))
        }
    }
}

/// Reading import files and reporting their bad rows.
enum ImportFile {
    static func records(_ path: String) throws -> [(line: Int, fields: [String])] {
        guard let data = FileManager.default.contents(atPath: path) else { throw GatewayExit.usage("\(path): cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw GatewayExit.usage("\(path): is not UTF-8 text") }
        let records: [(line: Int, fields: [String])]
        do {
            records = try CSVReader.records(text)
        } catch {
            throw GatewayExit.usage("\(path): \(error)")
        }
        guard records.count >= 2 else { throw GatewayExit.usage("\(path): needs a header line and at least one row") }
        return records
    }

    static let errorColumns: [Table.Column] = [
        .init("line", Text("行号", "Line")), .init("field", Text("字段", "Field")), .init("rule", Text("规则", "Rule")), .init("message", Text("原因", "Reason")),
    ]

    /// A service's field violations ("rows[N].field") as file lines.
    static func violationTable(_ error: RPCError, lines: [Int]) -> Table {
        Table(columns: errorColumns, rows: (error.details?.fieldViolations ?? []).map { violation in
            var line: Value = .none
            var field = violation.field
            if field.hasPrefix("rows["), let close = field.firstIndex(of: "]"), let row = Int(field[field.index(field.startIndex, offsetBy: 5)..<close]),
               (1...lines.count).contains(row) {
                line = .int(lines[row - 1])
                field = String(field[field.index(after: close)...].drop { $0 == "." })
            }
            return [line, .text(field), .text(violation.rule), .text(violation.description_p)]
        })
    }
}
