import COpenSSL
import PinganIdentity

extension PeerIdentity {
    /// Reads the identity out of a verified `X509*`; the caller keeps ownership of it.
    init(certificate: OpaquePointer) {
        var name = [CChar](repeating: 0, count: 256)
        let nameLength = COpenSSL_X509_subject_common_name(certificate, &name, name.count)
        let commonName = nameLength >= 0
            ? String(decoding: name.prefix(Int(nameLength)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : nil

        var uris: [String] = []
        var dnsNames: [String] = []
        if let names = COpenSSL_X509_subject_alt_names(certificate) {
            defer { COpenSSL_general_names_free(names) }
            for index in 0..<COpenSSL_general_names_count(names) {
                var kind: Int32 = 0
                var data: UnsafePointer<UInt8>?
                var length: Int32 = 0
                guard COpenSSL_general_name_at(names, index, &kind, &data, &length) == 0, let data else { continue }
                let value = String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
                switch Int(kind) {
                case COPENSSL_SAN_URI: uris.append(value)
                case COPENSSL_SAN_DNS: dnsNames.append(value)
                default: break
                }
            }
        }

        var digest = [UInt8](repeating: 0, count: 32)
        let fingerprint = COpenSSL_X509_sha256_fingerprint(certificate, &digest) == 1
            ? digest.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
            : ""
        self.init(commonName: commonName, uris: uris, dnsNames: dnsNames, fingerprint: fingerprint)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
