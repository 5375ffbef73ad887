import Foundation
import PinganPersonalData

extension RegistryStore {
    /// A validated row as it is stored: trimmed, hashed, sealed and masked.
    struct SealedRow: Sendable {
        var number: Int
        var name: String
        var idHash: Data
        var idSealed: Data
        var idMasked: String
        var phoneSealed: Data?
        var phoneMasked: String?
        var birthYear: Int
        var birthDateSealed: Data
        var subcategory: String?
    }

    /// Hashes and seals `rows` in as many chunks as there are cores, in row order. The chunks run
    /// on the global executor: a task group's children would otherwise inherit the caller's
    /// preference (an RPC handler prefers its connection's event loop) and run one after another
    /// on that single thread.
    static func seal(_ rows: [ValidatedRow], with cipher: PersonalDataCipher) async -> [SealedRow] {
        let chunkSize = max(256, (rows.count + activeProcessorCount - 1) / activeProcessorCount)
        let chunks = stride(from: 0, to: rows.count, by: chunkSize).map { $0..<min($0 + chunkSize, rows.count) }
        guard chunks.count > 1 else { return rows.map { seal($0, with: cipher) } }
        return await withTaskGroup(of: (Int, [SealedRow]).self) { group in
            for (index, chunk) in chunks.enumerated() {
                let part = Array(rows[chunk])
                group.addTask(executorPreference: globalConcurrentExecutor) { (index, part.map { seal($0, with: cipher) }) }
            }
            var parts = [[SealedRow]](repeating: [], count: chunks.count)
            for await (index, part) in group { parts[index] = part }
            return parts.flatMap { $0 }
        }
    }

    private static let activeProcessorCount = ProcessInfo.processInfo.activeProcessorCount

    private static func seal(_ validated: ValidatedRow, with cipher: PersonalDataCipher) -> SealedRow {
        let phone = validated.row.phone?.trimmed.nilIfEmpty
        return SealedRow(
            number: validated.row.number, name: validated.row.name.trimmed,
            idHash: Data(cipher.keyedHash(validated.residentID.value, field: idField)),
            idSealed: Data(cipher.seal(validated.residentID.value, field: idField)), idMasked: validated.residentID.masked,
            phoneSealed: phone.map { Data(cipher.seal($0, field: phoneField)) }, phoneMasked: phone.map(Masking.phoneNumber),
            birthYear: validated.residentID.birthDate.year,
            birthDateSealed: Data(cipher.seal(validated.residentID.birthDate.description, field: birthDateField)),
            subcategory: validated.row.subcategory)
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
