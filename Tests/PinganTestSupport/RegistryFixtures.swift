import Foundation
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
}
