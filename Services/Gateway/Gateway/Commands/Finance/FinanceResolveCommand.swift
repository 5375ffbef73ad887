import ArgumentParser
import PinganFinanceContracts

/// Resolving a reservation: which one, and your id for the resolution.
struct ResolveOptions: ParsableArguments {
    @Argument(help: "The reservation's transfer id") var pending: Int64
    @Option(help: "Your id for this transfer: a retry with the same id acts once") var id: Int64

    func transfer(kind: String, amountFen: Int64 = 0) -> Pingan_Finance_V1_Transfer {
        var transfer = Pingan_Finance_V1_Transfer()
        transfer.id = id
        transfer.pendingID = pending
        transfer.kind = kind
        transfer.amountFen = amountFen
        return transfer
    }
}

struct FinancePostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "post", abstract: "Pay a reservation: all of it, or less with --amount (the rest released).")
    @OptionGroup var options: GatewayOptions
    @OptionGroup var resolve: ResolveOptions
    @Option(help: "Yuan, at most the reserved amount; default all of it") var amount: String?

    func run() async throws {
        try await runGateway(options) { session in
            let fen = try amount.map { try FinanceSection.fen($0, option: "--amount") } ?? 0
            try await sendTransfers([resolve.transfer(kind: "post_pending", amountFen: fen)], session, command: "finance post")
        }
    }
}

struct FinanceVoidCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "void", abstract: "Release a reservation.")
    @OptionGroup var options: GatewayOptions
    @OptionGroup var resolve: ResolveOptions

    func run() async throws {
        try await runGateway(options) { session in
            try await sendTransfers([resolve.transfer(kind: "void_pending")], session, command: "finance void")
        }
    }
}
