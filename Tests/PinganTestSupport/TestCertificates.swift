import Foundation
import PinganTLS

/// Certificates made once per test process by make-test-certs.sh (through deploy/pki.sh) into
/// a temporary folder: a CA, a server and client it signed, a second person (finance-li), an
/// expired client, a server for another host name, and a client from another CA.
public enum TestCertificates {
    /// The folder holding `NAME.pem` / `NAME.key`.
    public static let directory: String = {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("pingan-test-certs-\(getpid())").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("make-test-certs.sh").path
        let result = try? Subprocess.runBlocking("/bin/bash", [script, folder], timeout: .seconds(60))
        precondition(result?.status == 0, "make-test-certs.sh failed: \(result?.standardError ?? "did not run")")
        return folder
    }()

    public static func path(_ file: String) -> String {
        "\(directory)/\(file)"
    }

    /// A TLS configuration presenting `NAME.pem` and trusting `trust.pem`.
    public static func configuration(_ role: TLSConfiguration.Role, identity: String, trust: String = "ca") -> TLSConfiguration {
        TLSConfiguration(role: role, certificateChainPath: path("\(identity).pem"), privateKeyPath: path("\(identity).key"),
                         trustRootsPath: path("\(trust).pem"))
    }

    public static func context(_ role: TLSConfiguration.Role, identity: String, trust: String = "ca") throws -> TLSContext {
        try TLSContext(configuration: configuration(role, identity: identity, trust: trust))
    }
}
