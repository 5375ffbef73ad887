import ArgumentParser
import Foundation
import PinganDutyContracts
import PinganRPC

struct DutyWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-missed", abstract: "Follow missed patrol checkpoints live: a line each as its 10-minute grace passes.",
        discussion: "Prints what was missed since --since first. Ends after --minutes, or with Ctrl-C. --json prints one JSON object per line.")
    @OptionGroup var options: GatewayOptions
    @Option var unit: String?
    @Option(help: "YYYY-MM-DD HH:MM, at most 24 hours ago (default: now)") var since: String?
    @Option(help: "How long to follow, 1-1440") var minutes: Int = 60

    func validate() throws {
        guard (1...1440).contains(minutes) else { throw ValidationError("--minutes \(minutes) must be 1-1440") }
    }

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_WatchMissedCheckpointsRequest()
            request.unitCode = unit ?? ""
            request.since = since ?? ""
            let options = CallOptions(deadline: .now + .seconds(minutes * 60))
            do {
                for try await miss in try await session.duty().watchMissedCheckpoints(request, options: options) {
                    // Written unbuffered: the duty office reads each line as it comes.
                    FileHandle.standardOutput.write(Data(((session.format == .json ? Self.json(miss) : Self.line(miss, session.language)) + "\n").utf8))
                }
            } catch let error as RPCError where error.code == .deadlineExceeded {
                return  // --minutes have passed
            }
        }
    }

    static func line(_ miss: Pingan_Duty_V1_MissedCheckpoint, _ language: Language) -> String {
        let shift = miss.shift
        return language == .zh
            ? "\(miss.missedAt)  漏签 \(miss.checkpoint)（应于 \(miss.expected)）  \(shift.postCode)  班次 \(shift.id)  \(shift.volunteerID) \(shift.volunteerName)"
            : "\(miss.missedAt)  missed \(miss.checkpoint) (expected \(miss.expected))  \(shift.postCode)  shift \(shift.id)  \(shift.volunteerID) \(shift.volunteerName)"
    }

    static func json(_ miss: Pingan_Duty_V1_MissedCheckpoint) -> String {
        let object: [String: Any] = [
            "missed_at": miss.missedAt, "checkpoint": miss.checkpoint, "expected": miss.expected, "shift": miss.shift.id,
            "post": miss.shift.postCode, "unit": miss.shift.unitCode, "volunteer_id": miss.shift.volunteerID, "name": miss.shift.volunteerName,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
