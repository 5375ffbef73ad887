import ArgumentParser
import Foundation
import PinganCampaign
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTrainingContracts

/// `pingan import batch FILE`: a department's directed registration, all rows or none.
struct ImportBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch", abstract: "Register a CSV of people for a category and unit (columns: name, id_number, phone, subcategory).",
        discussion: "Header names in English or Chinese: name/姓名, id_number/身份证号, phone/手机, subcategory/子类别. The batch id makes a resubmission return the first result.")

    @OptionGroup var options: GatewayOptions
    @Argument(help: "The CSV file (UTF-8, with or without a byte-order mark).") var file: String
    @Option var unit: String
    @Option var category: Int32
    @Option(help: "The batch's id (default: csv- and a hash of the unit, the category and the file's contents, so a changed file is a new batch).")
    var batchID: String?

    func run() async throws {
        try await runGateway(options) { session in
            let (rows, lines) = try Self.rows(file)
            typealias Request = Pingan_Registry_V1_RegisterBatchRequest
            var bar = ProgressBar(total: rows.count, label: Text("导入", "importing")(session.language))
            let batchID = try self.batchID ?? ContentBatchID.make(file: ImportFile.contents(file), unit: unit, category: category)
            let response: Pingan_Registry_V1_RegisterBatchResponse
            do {
                response = try await session.registry().registerBatch(options: session.options) { writer in
                    var header = Request()
                    header.header.batchID = batchID
                    header.header.unitCode = unit
                    header.header.category = category
                    try await writer.write(header)
                    // In batches: one hop to the event loop per 500 rows, and the bar moves per batch.
                    for start in stride(from: 0, to: rows.count, by: 500) {
                        let end = min(start + 500, rows.count)
                        try await writer.write(contentsOf: rows[start..<end].map { row in
                            var message = Request()
                            message.row = row
                            return message
                        })
                        bar.update(end)
                    }
                }
                bar.finish()
            } catch let error as RPCError where error.details?.fieldViolations.isEmpty == false {
                bar.finish()
                session.print(Self.errorReport(error, lines: lines))
                throw GatewayExit.refused(Text("未导入任何记录", "nothing registered")(session.language) + ": \(error.message)")
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
