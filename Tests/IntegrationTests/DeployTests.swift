import Foundation
import PinganTestSupport
import Testing

/// deploy/: the units systemd would run, and the install script staged into a folder.
@Suite("deploy: units and install", .timeLimit(.minutes(3)))
struct DeployTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy").standardized.path

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pingan-\(name)-\(UUID().uuidString.prefix(8))").path
    }

    static var binDirectory: String {
        get throws { URL(fileURLWithPath: try BuiltExecutables.path("pingan")).deletingLastPathComponent().path }
    }

    @Test("every unit passes systemd-analyze verify, and each service's exposure is OK or better")
    func unitsVerify() async throws {
        let out = Self.temporary("units")
        let render = try await Subprocess.run("/bin/bash", ["\(Self.deploy)/render-units.sh", "--bindir", try Self.binDirectory, "--docdir", Self.deploy,
                                                            "--out", out], timeout: .seconds(30))
        #expect(render.status == 0, "\(render.standardError)")
        // The backup template is verified through an instance of it, as systemd would run it.
        for template in ["service", "timer"] {
            try FileManager.default.createSymbolicLink(atPath: "\(out)/pingan-backup@registry.\(template)", withDestinationPath: "pingan-backup@.\(template)")
        }
        let units = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.contains("@.") }.sorted()
        #expect(units.count == 7, "4 services, the target, a backup instance and its timer: \(units)")
        let verify = try await Subprocess.run("/usr/bin/systemd-analyze", ["verify", "--man=no"] + units.map { "\(out)/\($0)" }, timeout: .seconds(120))
        // verify exits 0 on a directive it ignores ("Failed to parse ..., ignoring"): any word from it is a failure.
        #expect(verify.status == 0 && (verify.text + verify.standardError).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                "\(verify.text) \(verify.standardError)")
        for name in ["registry", "training", "duty", "finance"] {
            let security = try await Subprocess.run("/usr/bin/systemd-analyze", ["security", "--offline=true", "--no-pager", "\(out)/pingan-\(name).service"],
                                                    timeout: .seconds(60))
            let line = try #require(security.text.split(separator: "\n").last { $0.contains("Overall exposure level") }, "\(security.text)")
            let score = try #require(Double(line.split(separator: ":").last?.split(separator: " ").first ?? ""))
            #expect(score < 2.0, "pingan-\(name).service: \(line)")
        }
        let duty = try String(contentsOfFile: "\(out)/pingan-duty.service", encoding: .utf8)
        #expect(duty.contains("After=network-online.target pingan-registry.service pingan-training.service"), "duty starts after its peers")
    }

    @Test("install stages binaries, certificates, keys, configs and units; a second run changes nothing; the installed configs start the services; a bad value is refused naming file and key")
    func stagedInstall() async throws {
        let stage = Self.temporary("stage")
        let arguments = ["\(Self.deploy)/install.sh", "--root", stage, "--bin", try Self.binDirectory, "--no-systemctl", "--host", "pingan.example"]
        let first = try await Subprocess.run("/bin/bash", arguments, timeout: .seconds(120))
        #expect(first.status == 0 && first.text.contains("changes."), "\(first.text) \(first.standardError)")
        let second = try await Subprocess.run("/bin/bash", arguments, timeout: .seconds(120))
        #expect(second.status == 0 && second.text.contains("nothing changed"), "\(second.text)")

        let etc = "\(stage)/etc/pingan"
        func mode(_ path: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
        #expect(try mode("\(etc)/registry-data.key") == 0o600 && mode("\(etc)/duty-data.key") == 0o600)
        #expect(try mode("\(etc)/finance.key") == 0o640 && mode("\(etc)/finance.json") == 0o640 && mode("\(etc)/pki") == 0o710)
        let certificate = try await Subprocess.run("/usr/bin/openssl", ["x509", "-in", "\(etc)/duty.pem", "-noout", "-ext", "subjectAltName"], timeout: .seconds(10))
        #expect(certificate.text.contains("DNS:pingan.example") && certificate.text.contains("URI:spiffe://pingan/service/duty"), "\(certificate.text)")

        for file in ["etc/xdg/pingan/gateway.json", "usr/share/bash-completion/completions/pingan", "usr/share/zsh/vendor-completions/_pingan",
                     "usr/share/fish/vendor_completions.d/pingan.fish", "usr/local/share/man/man1/pingan.1"] {
            #expect(FileManager.default.fileExists(atPath: "\(stage)/\(file)"), "\(file)")
        }
        let manual = try await Subprocess.run("/usr/bin/man", ["-l", "\(stage)/usr/local/share/man/man1/pingan.1"], environment: ["MANPAGER": "cat", "MANWIDTH": "100"],
                                              timeout: .seconds(30))
        #expect(manual.text.contains("pingan") && manual.text.contains("finance") && manual.text.contains("report"), "\(manual.text.prefix(300))")

        for name in ["registry", "training", "duty", "finance"] {
            let process = try RunningProcess(try BuiltExecutables.path("pingan-\(name)"),
                                             ["--config", "\(etc)/\(name).json", "--port", "0", "--metrics-port", "0"])
            defer { process.kill() }
            _ = try await process.waitForOutput(containing: "listening", within: .seconds(20))
        }

        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(etc)/finance.json"))) as? [String: Any])
        config["drain_seconds"] = "ten"
        let bad = Self.temporary("bad") + ".json"
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: bad))
        let refused = try await Subprocess.run(try BuiltExecutables.path("pingan-finance"), ["--config", bad], timeout: .seconds(20))
        #expect(refused.status != 0 && refused.standardError.contains(bad) && refused.standardError.contains("\"drain_seconds\""), "\(refused.standardError)")
    }
}
