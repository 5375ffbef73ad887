import ArgumentParser
import Foundation
import PinganCatalog
import PinganDutyContracts
import PinganFinanceContracts
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganTrainingContracts
import SwiftProtobuf

/// `pingan watch`: a service's change feed, live, a line per change.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Follow a service's changes as they happen: a line each (--json: one JSON object per line).",
        discussion: """
            Every change after --after (default: what the service still keeps), then each new one as it commits, until Ctrl-C \
            or, with --until-caught-up, once there is nothing more. A script that remembers the last sequence it handled \
            resumes with --after; exit 3 with OUT_OF_RANGE means the events it needs are no longer kept.
            """)
    @OptionGroup var options: GatewayOptions
    @Option(help: "registry, training, duty or finance") var service: String = ServiceName.registry.rawValue
    @Option(help: "The last sequence already handled") var after: Int64 = 0
    @Flag(help: "End once every change committed so far was printed") var untilCaughtUp = false

    func validate() throws {
        guard ServiceCatalog.named(service) != nil else { throw ValidationError("--service '\(service.prefix(32))' is not one of \(ServiceCatalog.names)") }
        guard after >= 0 else { throw ValidationError("--after \(after) must not be negative") }
    }

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Feed_V1_WatchRequest()
            request.after = after
            request.stopWhenCaughtUp = untilCaughtUp
            let client = try session.client(ServiceCatalog.named(service)!.name)
            // No deadline: a watch lasts until it is stopped.
            let events: ResponseStream<Pingan_Feed_V1_ChangeEvent> = try await client.serverStreaming(FeedMethods.watch, request, options: CallOptions())
            for try await event in events {
                let line = session.format == .json ? Self.json(event, service: service) : Self.line(event, service: service)
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        }
    }

    static func line(_ event: Pingan_Feed_V1_ChangeEvent, service: String) -> String {
        "\(service) #\(event.sequence)  \(event.at)  \(event.kind) \(event.entityID) \(event.action)\(event.unitCode.isEmpty ? "" : " (\(event.unitCode))")  by \(event.actor)"
    }

    /// One JSON object: the event's fields, and its state decoded when its type is known.
    static func json(_ event: Pingan_Feed_V1_ChangeEvent, service: String) -> String {
        var object: [String: Any] = [
            "service": service, "sequence": event.sequence, "at": event.at, "actor": event.actor, "kind": event.kind,
            "entity_id": event.entityID, "action": event.action, "unit_code": event.unitCode, "state_type": event.stateType,
        ]
        if let type = stateTypes[event.stateType], let message = try? type.init(serializedBytes: event.state),
           let text = try? message.jsonString(), let state = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
            object["state"] = state
        } else {
            object["state_base64"] = event.state.base64EncodedString()
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The messages the services' feeds carry, by full name.
    static let stateTypes: [String: any SwiftProtobuf.Message.Type] = Dictionary(uniqueKeysWithValues: ([
        Pingan_Registry_V1_Volunteer.self, Pingan_Training_V1_Enrollment.self, Pingan_Training_V1_CourseStatus.self,
        Pingan_Duty_V1_Shift.self, Pingan_Duty_V1_Hazard.self, Pingan_Finance_V1_Transfer.self, Pingan_Finance_V1_Batch.self,
    ] as [any SwiftProtobuf.Message.Type]).map { ($0.protoMessageName, $0) })
}
