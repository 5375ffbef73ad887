import ArgumentParser
import Foundation
import PinganCampaign
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTrainingContracts

/// Reading import files and reporting their bad rows.
enum ImportFile {
    /// The file's bytes; a file that cannot be read is a usage error naming it.
    static func contents(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw GatewayExit.usage("\(path): cannot be read") }
        return data
    }

    static func records(_ path: String) throws -> [(line: Int, fields: [String])] {
        let data = try contents(path)
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

    /// A bad row of the file itself, found before anything is sent.
    typealias Problem = (line: Int, field: String, message: String)

    /// Prints the file's bad rows and refuses the command: nothing was sent.
    static func refuse(_ problems: [Problem], command: String, _ gateway: GatewaySession) throws -> Never {
        gateway.print(Report(command: command, sections: [Section(id: "import.errors", title: Text("错误行", "Rows refused"), table: Table(
            columns: errorColumns, rows: problems.map { [.int($0.line), .text($0.field), .text("FORMAT"), .text($0.message)] }))]))
        throw GatewayExit.refused(Text("文件有错误，未导入任何记录", "the file has bad rows, nothing imported")(gateway.language))
    }

    /// Sends the file's rows; a refusal listing rows is printed at their lines in the file
    /// (`lines[i]` for the request's row i, counted as the service counts them), and refuses
    /// the command: the service took none of them.
    static func send<Answer>(command: String, lines: [Int], array: String = "rows", firstIndex: Int = 1, _ gateway: GatewaySession,
                             _ call: () async throws -> Answer) async throws -> Answer {
        do {
            return try await call()
        } catch let error as RPCError where error.details?.fieldViolations.isEmpty == false {
            gateway.print(Report(command: command, sections: [Section(
                id: "import.errors", title: Text("错误行", "Rows refused"),
                table: violationTable(error, lines: lines, array: array, firstIndex: firstIndex))]))
            throw GatewayExit.refused(Text("未导入任何记录", "nothing imported")(gateway.language) + ": \(error.message)")
        }
    }

    static let errorColumns: [Table.Column] = [
        .init("line", Text("行号", "Line")), .init("field", Text("字段", "Field")), .init("rule", Text("规则", "Rule")), .init("message", Text("原因", "Reason")),
    ]

    /// A service's field violations ("rows[N].field") as file lines.
    /// `array` names the request's repeated field the file's rows became, `firstIndex` whether
    /// the service counts them from 1 (the registry's and training's rows) or 0 (duty's slots).
    static func violationTable(_ error: RPCError, lines: [Int], array: String = "rows", firstIndex: Int = 1) -> Table {
        Table(columns: errorColumns, rows: (error.details?.fieldViolations ?? []).map { violation in
            var line: Value = .none
            var field = violation.field
            if field.hasPrefix("\(array)["), let close = field.firstIndex(of: "]"),
               let row = Int(field[field.index(field.startIndex, offsetBy: array.count + 1)..<close]), lines.indices.contains(row - firstIndex) {
                line = .int(lines[row - firstIndex])
                field = String(field[field.index(after: close)...].drop { $0 == "." })
            }
            return [line, .text(field), .text(violation.rule), .text(violation.description)]
        })
    }
}
