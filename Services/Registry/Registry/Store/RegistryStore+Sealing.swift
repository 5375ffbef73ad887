import Foundation
import GRDB
import PinganPersonalData
import PinganRegistryContracts

extension RegistryStore {
    /// A validated row ready for the writer: hashed, sealed and masked, its insert's arguments
    /// bound and its feed event's state encoded, so the transaction that every other write
    /// waits for only runs statements.
    struct PreparedRow: Sendable {
        var number: Int
        var idHash: Data
        /// The `volunteers` insert's arguments, in `registerBatch`'s column order.
        var arguments: StatementArguments
        /// The masked `Volunteer` without its id, which the insert assigns
        /// (`feedRegistration` puts it in front).
        var stateWithoutID: Data
    }

    /// Prepares `rows` of `batch` in as many chunks as there are cores, in row order. The chunks
    /// run on the global executor: a task group's children would otherwise inherit the
    /// caller's preference (an RPC handler prefers its connection's event loop) and run one
    /// after another on that single thread.
    static func prepare(_ rows: [ValidatedRow], of batch: DirectedBatch, at now: String, with cipher: PersonalDataCipher) async -> [PreparedRow] {
        let chunkSize = max(256, (rows.count + activeProcessorCount - 1) / activeProcessorCount)
        let chunks = stride(from: 0, to: rows.count, by: chunkSize).map { $0..<min($0 + chunkSize, rows.count) }
        let prepare: @Sendable (ValidatedRow) -> PreparedRow = { Self.prepare($0, of: batch, at: now, with: cipher) }
        guard chunks.count > 1 else { return rows.map(prepare) }
        return await withTaskGroup(of: (Int, [PreparedRow]).self) { group in
            for (index, chunk) in chunks.enumerated() {
                let part = Array(rows[chunk])
                group.addTask(executorPreference: globalConcurrentExecutor) { (index, part.map(prepare)) }
            }
            var parts = [[PreparedRow]](repeating: [], count: chunks.count)
            for await (index, part) in group { parts[index] = part }
            return parts.flatMap { $0 }
        }
    }

    private static let activeProcessorCount = ProcessInfo.processInfo.activeProcessorCount

    private static func prepare(_ validated: ValidatedRow, of batch: DirectedBatch, at now: String, with cipher: PersonalDataCipher) -> PreparedRow {
        let name = validated.row.name.trimmed
        let phone = validated.row.phone?.trimmed.nilIfEmpty
        let idHash = Data(cipher.keyedHash(validated.residentID.value, field: idField))
        let phoneMasked = phone.map(Masking.phoneNumber)
        let birthYear = validated.residentID.birthDate.year
        let arguments: StatementArguments = [
            name, idHash, Data(cipher.seal(validated.residentID.value, field: idField)), validated.residentID.masked,
            phone.map { Data(cipher.seal($0, field: phoneField)) }, phoneMasked, birthYear,
            Data(cipher.seal(validated.residentID.birthDate.description, field: birthDateField)),
            batch.unitCode, batch.category, validated.row.subcategory, batch.batchID, now,
        ]
        // The event's state is the row as a masked read would answer it.
        let record = VolunteerRecord(
            id: 0, name: name, idNumber: validated.residentID.masked, phone: phoneMasked, birthYear: birthYear, birthDate: nil,
            unitCode: batch.unitCode, category: batch.category, subcategory: validated.row.subcategory, status: VolunteerStatus.active.rawValue,
            teamID: nil, teamName: nil)
        let state = (try? RegistryService.message(record).serializedData()) ?? Data()
        return PreparedRow(number: validated.row.number, idHash: idHash, arguments: arguments, stateWithoutID: state)
    }

}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
