import Foundation

/// A report as one self-contained, printable HTML page: no external assets and no script. Each
/// table that holds shares (`x/y`, percentages) gets an inline SVG bar chart drawn from the same
/// values `--json` prints; each bar carries its numbers (`data-part`, `data-whole`) and says
/// them.
enum HTMLReport {
    static func render(_ report: Report, title: String, subtitle: String, language: Language) -> String {
        var body = "<header><h1>\(escape(title))</h1><p>\(escape(subtitle))</p></header>\n"
        for section in report.sections {
            body += "<section id=\"\(escape(section.id))\">\n<h2>\(escape(section.title(language)))</h2>\n"
            if let reason = section.unavailable {
                body += "<p class=\"unavailable\">\(escape(Text("暂不可用：", "unavailable: ")(language) + reason))</p>\n"
            }
            if !section.fields.isEmpty {
                body += "<table class=\"fields\">" + section.fields.map {
                    "<tr><th>\(escape($0.label(language)))</th><td>\(escape(Vocabulary.display($0.value, key: $0.key, language)))</td></tr>"
                }.joined() + "</table>\n"
            }
            if let table = section.table {
                if let chart = chart(table, section: section.id, language) { body += chart }
                body += "<table><thead><tr>" + table.columns.map { "<th>\(escape($0.label(language)))</th>" }.joined() + "</tr></thead><tbody>"
                body += table.rows.map { row in
                    "<tr>" + zip(table.columns, row).map { "<td>\(escape(Vocabulary.display($1, key: $0.key, language)))</td>" }.joined() + "</tr>"
                }.joined() + "</tbody></table>\n"
            }
            body += "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>
            @page { size: A4; margin: 14mm; }
            body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; color: #1d2733; margin: 0 auto; max-width: 182mm; font-size: 10pt; }
            h1 { font-size: 18pt; margin: 0 0 2mm; } header p { color: #55606e; margin: 0 0 6mm; }
            h2 { font-size: 12.5pt; border-bottom: 1.5pt solid #b3261e; padding-bottom: 1mm; margin: 7mm 0 3mm; }
            section { break-inside: avoid-page; }
            table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
            th, td { border-bottom: 0.5pt solid #d5dae0; padding: 1mm 2mm; text-align: left; font-variant-numeric: tabular-nums; }
            th { background: #f2f4f7; }
            .fields { width: auto; } .unavailable { color: #b3261e; }
            svg { display: block; margin: 2mm 0; } svg text { font-size: 9px; fill: #1d2733; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// A horizontal bar per row for the first column of shares, labelled by the row's first
    /// text; nil for a table without one.
    static func chart(_ table: Table, section: String, _ language: Language) -> String? {
        guard let column = table.columns.indices.first(where: { index in
            table.rows.contains { row in
                if case .fraction = row[index] { return true }
                if case .percent = row[index] { return true }
                return false
            }
        }) else { return nil }
        let bars: [(label: String, part: Int64, whole: Int64)] = table.rows.compactMap { row in
            let label = row.compactMap { value -> String? in if case .text(let text) = value { return text } else { return nil } }.first ?? ""
            switch row[column] {
            case .fraction(let part, let whole), .percent(let part, let whole): return (label, part, whole)
            default: return nil
            }
        }
        guard !bars.isEmpty else { return nil }
        let width = 640.0, labelWidth = 150.0, barHeight = 14.0, gap = 4.0
        let height = Double(bars.count) * (barHeight + gap) + gap
        var svg = "<svg class=\"chart\" data-section=\"\(escape(section))\" data-column=\"\(escape(table.columns[column].key))\" "
            + "role=\"img\" aria-label=\"\(escape(table.columns[column].label(language)))\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        for (index, bar) in bars.enumerated() {
            let y = gap + Double(index) * (barHeight + gap)
            let share = bar.whole > 0 ? min(1, Double(bar.part) / Double(bar.whole)) : 0
            let length = (width - labelWidth - 110) * share
            let percent = bar.whole > 0 ? "\(Int((share * 100).rounded()))%" : "-"
            svg += "<g class=\"bar\" data-label=\"\(escape(bar.label))\" data-part=\"\(bar.part)\" data-whole=\"\(bar.whole)\">"
            svg += "<text x=\"0\" y=\"\(y + barHeight - 3)\">\(escape(String(bar.label.prefix(18))))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(width - labelWidth - 110)\" height=\"\(barHeight)\" fill=\"#eef1f4\"/>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(String(format: "%.1f", length))\" height=\"\(barHeight)\" fill=\"\(share >= 1 ? "#2e7d32" : "#c0392b")\"/>"
            svg += "<text x=\"\(width - 104)\" y=\"\(y + barHeight - 3)\">\(bar.part)/\(bar.whole) \(percent)</text></g>\n"
        }
        return svg + "</svg>\n"
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
