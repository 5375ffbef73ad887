import ArgumentParser
import PinganFinanceContracts

/// What moving insignia names: the item, how many, the room, and whom.
struct MoveOptions: ParsableArguments {
    @Argument(help: "armband, vest, t_shirt, badge, sun_hat, small_flag") var item: String
    @Option var quantity: Int32
    @Option var room: String
    @Option var note: String = ""
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func send(_ session: GatewaySession, kind: String, to holder: HolderOptions? = nil, command: String) async throws {
        var request = Pingan_Finance_V1_MoveStockRequest()
        request.item = item
        request.quantity = quantity
        request.room = room
        request.kind = kind
        request.volunteerID = holder?.volunteer ?? 0
        request.teamID = holder?.team ?? 0
        request.note = note
        let stock = try await session.finance().moveStock(request, options: session.options(idempotencyKey: idempotencyKey))
        session.print(Report(command: command, sections: [FinanceSection.stockSection(stock)]))
    }
}

/// Whom an issue or a return names: one volunteer or one team.
struct HolderOptions: ParsableArguments {
    @Option var volunteer: Int64 = 0
    @Option var team: Int64 = 0
}

struct FinanceIssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "issue", abstract: "Issue insignia to a volunteer or a team.")
    @OptionGroup var options: GatewayOptions
    @OptionGroup var move: MoveOptions
    @OptionGroup var holder: HolderOptions

    func run() async throws {
        try await runGateway(options) { session in try await move.send(session, kind: "issue", to: holder, command: "finance issue") }
    }
}

struct FinanceReturnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "return", abstract: "Take back insignia a volunteer or a team was issued.")
    @OptionGroup var options: GatewayOptions
    @OptionGroup var move: MoveOptions
    @OptionGroup var holder: HolderOptions

    func run() async throws {
        try await runGateway(options) { session in try await move.send(session, kind: "return", to: holder, command: "finance return") }
    }
}

struct FinanceLossCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "loss", abstract: "Write lost or damaged insignia off a store room.")
    @OptionGroup var options: GatewayOptions
    @OptionGroup var move: MoveOptions

    func run() async throws {
        try await runGateway(options) { session in try await move.send(session, kind: "loss", command: "finance loss") }
    }
}
