import Foundation
import PinganTestSupport
import Testing

/// `pingan report` rendered by a real browser (Debian's Chromium, headless).
@Suite("pingan report in a browser", .timeLimit(.minutes(3)))
struct ReportTests {
    static let chromium = "/usr/bin/chromium"

    static func chromium(_ arguments: [String]) async throws -> Subprocess.Result {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-chromium-\(UUID().uuidString.prefix(8))").path
        return try await Subprocess.run(Self.chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile)"]
                                        + arguments, timeout: .seconds(90))
    }

    @Test("the page renders with its charts, each bar carrying the dashboard's JSON numbers; it screenshots and prints to PDF")
    func rendersAndPrints() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium), "deploy/install-deps.sh installs chromium")
        let stack = try await GatewayIntegrationTests.stack(volunteers: 4, trained: 2)
        defer { stack.kill() }
        let config = try GatewayIntegrationTests.config([("a", stack.services)])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-report-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let html = "\(folder)/report.html"
        let written = try await GatewayIntegrationTests.pingan(["report", "--on", "2010-04-30", "--out", html, "--config", config])
        #expect(written.status == 0, "\(written.standardError)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!page.contains("<script") && !page.contains("<link") && !page.contains("src="), "self-contained: no script, stylesheet or image to fetch")

        // The browser's DOM after rendering: the charts are there, with the JSON's numbers.
        let dom = try await Self.chromium(["--dump-dom", "file://\(html)"])
        #expect(dom.status == 0, "\(dom.standardError)")
        let dashboard = try GatewayIntegrationTests.json(try await GatewayIntegrationTests.pingan(["dashboard", "--json", "--on", "2010-04-30", "--config", config]))
        let sections = try #require(dashboard["sections"] as? [[String: Any]])
        func rows(_ id: String) -> [[String: Any]] { sections.first { $0["id"] as? String == id }?["rows"] as? [[String: Any]] ?? [] }
        for (section, label, part, whole) in [("registry.categories", "name", "enrolled", "quota"), ("training.completion", "course", "completed", "active")] {
            let expected = rows(section)
            #expect(!expected.isEmpty, "\(section)")
            for row in expected {
                let bar = #"data-label="\#(row[label] ?? "")" data-part="\#(row[part] ?? "")" data-whole="\#(row[whole] ?? "")""#
                #expect(dom.text.contains(bar), "\(section): \(bar)")
            }
        }
        #expect(dom.text.components(separatedBy: "class=\"chart\"").count > 3, "charts in the rendered page")

        let screenshot = "\(folder)/report.png"
        let shot = try await Self.chromium(["--window-size=900,1600", "--screenshot=\(screenshot)", "file://\(html)"])
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(shot.status == 0 && png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(shot.standardError)")
        let pdf = "\(folder)/report.pdf"
        let printed = try await Self.chromium(["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "file://\(html)"])
        let document = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(printed.status == 0 && document.starts(with: Array("%PDF".utf8)), "\(printed.standardError)")
    }
}
