import Foundation
import PinganPersonalData
import PinganRegistryContracts
import PinganRPC
import Registry

/// Registry requests the registry's tests share, in-process and over the wire.
public enum RegistryFixtures {
    /// A valid resident ID (GB 11643 check digit) for Dongcheng, born 1 January 1980.
    public static func idNumber(sequence: Int) -> String {
        let body = "310101" + "19800101" + String(format: "%03d", sequence % 1000)
        return body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    /// The same number with a wrong check digit.
    public static func badIDNumber(sequence: Int) -> String {
        let valid = idNumber(sequence: sequence)
        return String(valid.dropLast()) + (valid.last == "1" ? "2" : "1")
    }

    public static func units() -> Pingan_Registry_V1_SaveUnitsRequest {
        var request = Pingan_Registry_V1_SaveUnitsRequest()
        request.units = [("TOWN", "某镇", "town", ""), ("DEPT-ZZB", "综治办", "department", "TOWN"), ("JC-017", "第十七居委会", "residential_committee", "TOWN")]
            .map { code, name, kind, parent in
                var unit = Pingan_Registry_V1_OrgUnit()
                unit.code = code
                unit.name = name
                unit.kind = kind
                unit.parentCode = parent
                return unit
            }
        return request
    }

    /// Streams a header and `rows`, numbered from 1.
    public static func register(
        _ connection: some ClientTransport, batch: String, unit: String, category: Int32, rows: [(String, String)]
    ) async throws -> Pingan_Registry_V1_RegisterBatchResponse {
        try await connection.clientStreaming(RegistryMethods.registerBatch) { (writer: RequestStreamWriter<Pingan_Registry_V1_RegisterBatchRequest>) in
            var header = Pingan_Registry_V1_RegisterBatchRequest()
            header.header.batchID = batch
            header.header.unitCode = unit
            header.header.category = category
            try await writer.write(header)
            for (name, id) in rows {
                var row = Pingan_Registry_V1_RegisterBatchRequest()
                row.row.name = name
                row.row.idNumber = id
                try await writer.write(row)
            }
        }
    }

    /// A registry database of 999 volunteers, then 64 KiB of it overwritten at `offset` (the
    /// default leaves the schema whole and hits the volunteers), and its data key file (0600).
    public static func damagedDatabase(at offset: UInt64 = 256 * 1024) async throws -> (database: String, key: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-damaged-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("registry.sqlite").path
        let keyPath = folder.appendingPathComponent("data.key").path
        try Data(String(repeating: "5a", count: 64).utf8).write(to: URL(fileURLWithPath: keyPath))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        do {
            let store = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: PersonalDataKey(contentsOf: keyPath)))
            try await store.saveUnits([OrgUnit(code: "TOWN", name: "某镇", kind: .town, parentCode: nil),
                                       OrgUnit(code: "DEPT", name: "综治办", kind: .department, parentCode: "TOWN")], actor: "t", requestID: "r")
            let rows = (1...999).map { DirectedBatch.Row(number: $0, name: "人\($0)", idNumber: idNumber(sequence: $0)) }
            _ = try await store.registerBatch(DirectedBatch(batchID: "b", unitCode: "DEPT", category: 4, rows: rows),
                                              plan: .townPlan2010, actor: "t", requestID: "r")
        }  // closing the last connection checkpoints the WAL into the file
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 64 * 1024))
        try handle.close()
        return (path, keyPath)
    }
}
