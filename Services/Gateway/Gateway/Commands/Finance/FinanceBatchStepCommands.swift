import ArgumentParser
import PinganFinanceContracts

/// A step of a batch: approve (a second person), pay, reject.
func batchStep(_ session: GatewaySession, command: String, _ call: (FinanceClient) async throws -> Pingan_Finance_V1_Batch) async throws {
    let batch = try await call(try session.finance())
    session.print(Report(command: command, sections: [FinanceSection.batchSection([batch])]))
}

struct FinanceApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a reserved batch (not one you computed).")
    @OptionGroup var options: GatewayOptions
    @Argument var id: Int64

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_BatchRequest()
            request.id = id
            try await batchStep(session, command: "finance approve") { try await $0.approveBatch(request, options: session.options) }
        }
    }
}

struct FinancePayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pay", abstract: "Post an approved batch: every line paid in one transaction, once.")
    @OptionGroup var options: GatewayOptions
    @Argument var id: Int64

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_BatchRequest()
            request.id = id
            try await batchStep(session, command: "finance pay") { try await $0.postBatch(request, options: session.options) }
        }
    }
}

struct FinanceRejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Reject a batch not yet paid: its reservations released, its month free to compute again.")
    @OptionGroup var options: GatewayOptions
    @Argument var id: Int64
    @Option(help: "Why, 1-200 characters") var reason: String

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_RejectBatchRequest()
            request.id = id
            request.reason = reason
            try await batchStep(session, command: "finance reject") { try await $0.rejectBatch(request, options: session.options) }
        }
    }
}
