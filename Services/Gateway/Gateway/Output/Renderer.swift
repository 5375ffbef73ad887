import Foundation
import PinganFinanceContracts

/// How a report is printed.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table
    case json
    case csv
}

/// Renders reports. JSON follows one schema for every command (documented in the gateway's
/// README, "JSON output"): `{"schema": "pingan.gateway.v1", "command", "partial", "sections":
/// [{"id", "title", "status": "ok"|"unavailable", "reason"?, "code"?, "fields"?: {key: value},
/// "columns"?: [key], "rows"?: [{key: value}]}]}`. Keys are stable and English; titles follow
/// the language.
public enum Renderer {
    public static func render(_ report: Report, as format: OutputFormat, language: Language) -> String {
        switch format {
        case .table: table(report, language)
        case .json: json(report, language)
        case .csv: csv(report, language)
        }
    }

    static func table(_ report: Report, _ language: Language) -> String {
        var blocks: [String] = []
        for section in report.sections {
            var block = "== \(section.title(language)) =="
            if let reason = section.unavailable {
                block += "\n" + Text("暂不可用：", "unavailable: ")(language) + reason
            }
            if !section.fields.isEmpty {
                block += "\n" + TextTable.render(header: nil, rows: section.fields.map { [$0.label(language), Vocabulary.display($0.value, key: $0.key, language)] })
            }
            if let table = section.table {
                block += "\n" + (table.rows.isEmpty ? Text("（无）", "(none)")(language)
                    : TextTable.render(header: table.columns.map { $0.label(language) },
                                       rows: table.rows.map { row in zip(table.columns, row).map { Vocabulary.display($1, key: $0.key, language) } }))
            }
            blocks.append(block)
        }
        return (blocks + report.notes.map { $0(language) }).joined(separator: "\n\n")
    }

    static func json(_ report: Report, _ language: Language) -> String {
        let sections: [JSON] = report.sections.map { section in
            var object: [String: JSON] = ["id": .string(section.id), "title": .string(section.title(language)),
                                          "status": .string(section.unavailable == nil ? "ok" : "unavailable")]
            if let reason = section.unavailable { object["reason"] = .string(reason) }
            if let code = section.code { object["code"] = .string(code) }
            if !section.fields.isEmpty {
                object["fields"] = .object(Dictionary(section.fields.map { ($0.key, jsonValue($0.value)) }, uniquingKeysWith: { $1 }))
            }
            if let table = section.table {
                object["columns"] = .array(table.columns.map { .string($0.key) })
                object["rows"] = .array(table.rows.map { row in
                    .object(Dictionary(zip(table.columns.map(\.key), row.map(jsonValue)), uniquingKeysWith: { $1 }))
                })
            }
            return .object(object)
        }
        let root: JSON = .object(["schema": .string("pingan.gateway.v1"), "command": .string(report.command), "partial": .bool(report.isPartial),
                                  "sections": .array(sections)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(root)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func jsonValue(_ value: Value) -> JSON {
        switch value {
        case .text(let text): .string(text)
        case .integer(let number): .integer(number)
        case .decimal(let number): .number(number)
        case .percent(let part, let whole): whole == 0 ? .null : .number(((Double(part) / Double(whole)) * 10_000).rounded() / 10_000)
        case .fraction(let part, let whole): .object(["part": .integer(part), "whole": .integer(whole)])
        case .bool(let flag): .bool(flag)
        case .money(let fen): .integer(fen)
        case .none: .null
        }
    }

    /// UTF-8 with a byte-order mark, so spreadsheet software reads the Chinese right; one block
    /// per section (first column the section id), blank lines between.
    static func csv(_ report: Report, _ language: Language) -> String {
        var blocks: [String] = []
        for section in report.sections {
            var lines: [[String]] = []
            if let reason = section.unavailable {
                lines = [["section", "status", "reason"], [section.id, "unavailable", reason]]
            } else if let table = section.table {
                lines = [["section"] + table.columns.map { $0.label(language) }]
                lines += table.rows.map { [section.id] + $0.map { csvText($0) } }
            } else {
                lines = [["section", "field", Text("值", "value")(language)]]
                lines += section.fields.map { [section.id, $0.label(language), csvText($0.value)] }
            }
            blocks.append(lines.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n"))
        }
        return "\u{FEFF}" + blocks.joined(separator: "\r\n\r\n") + "\r\n"
    }

    /// Machine-readable cell text: numbers without units, percentages as ratios.
    static func csvText(_ value: Value) -> String {
        switch value {
        case .percent(let part, let whole): whole == 0 ? "" : String(((Double(part) / Double(whole)) * 10_000).rounded() / 10_000)
        case .fraction(let part, let whole): "\(part)/\(whole)"
        case .money(let fen): Money(fen: fen).plainYuan
        case .none: ""
        default: value.display(.en)
        }
    }

    static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
