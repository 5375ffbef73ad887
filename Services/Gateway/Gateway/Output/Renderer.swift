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
        let sections: [[String: Any]] = report.sections.map { section in
            var object: [String: Any] = ["id": section.id, "title": section.title(language), "status": section.unavailable == nil ? "ok" : "unavailable"]
            if let reason = section.unavailable { object["reason"] = reason }
            if let code = section.code { object["code"] = code }
            if !section.fields.isEmpty {
                object["fields"] = Dictionary(section.fields.map { ($0.key, jsonValue($0.value)) }, uniquingKeysWith: { $1 })
            }
            if let table = section.table {
                object["columns"] = table.columns.map(\.key)
                object["rows"] = table.rows.map { row in
                    Dictionary(zip(table.columns.map(\.key), row.map(jsonValue)), uniquingKeysWith: { $1 })
                }
            }
            return object
        }
        let root: [String: Any] = ["schema": "pingan.gateway.v1", "command": report.command, "partial": report.isPartial, "sections": sections]
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func jsonValue(_ value: Value) -> Any {
        switch value {
        case .text(let text): text
        case .integer(let number): number
        case .decimal(let number): number
        case .percent(let part, let whole): whole == 0 ? NSNull() : ((Double(part) / Double(whole)) * 10_000).rounded() / 10_000
        case .fraction(let part, let whole): ["part": part, "whole": whole]
        case .bool(let flag): flag
        case .money(let fen): fen
        case .none: NSNull()
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
