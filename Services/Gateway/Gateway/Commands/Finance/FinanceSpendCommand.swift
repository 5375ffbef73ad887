import ArgumentParser
import PinganFinanceContracts

/// What spending from a budget line names: the line, what it pays for, how much, your id.
struct SpendOptions: ParsableArguments {
    @Option(help: "Your id for this transfer (1 to 2^62-1): a retry with the same id acts once") var id: Int64
    @Option(help: "The budget line paying, e.g. LINE/TOWN/2010/office (see `pingan finance accounts --prefix LINE/`)") var line: String
    @Option(help: "What it pays for: training, equipment, office, manager_subsidy, activity_subsidy, reward, village_patrol") var category: String
    @Option(help: "Yuan, e.g. 1200 or 1200.50") var amount: String
    @Option var memo: String = ""

    func transfer(kind: String, expiresAt: String = "") throws -> Pingan_Finance_V1_Transfer {
        var transfer = Pingan_Finance_V1_Transfer()
        transfer.id = id
        transfer.debitAccount = line
        transfer.creditAccount = "EXPENSE/\(category)"
        transfer.amountFen = try FinanceSection.fen(amount, option: "--amount")
        transfer.kind = kind
        transfer.expiresAt = expiresAt
        transfer.memo = memo
        return transfer
    }
}

/// Sends transfers and prints what became of each; a refused one makes the exit say so.
func sendTransfers(_ transfers: [Pingan_Finance_V1_Transfer], _ session: GatewaySession, command: String) async throws {
    var request = Pingan_Finance_V1_CreateTransfersRequest()
    request.transfers = transfers
    let outcomes = try await session.finance().createTransfers(request, options: session.options).outcomes
    session.print(Report(command: command, sections: [FinanceSection.outcomeSection(outcomes)]))
    if let refused = outcomes.first(where: { $0.result != "created" && $0.result != "exists" }) {
        throw GatewayExit.refused("transfer \(refused.id): \(refused.rule): \(refused.message)")
    }
}

struct FinanceSpendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spend", abstract: "Pay an expense from a budget line now; refused with what remains if the line cannot pay it.")
    @OptionGroup var options: GatewayOptions
    @OptionGroup var spend: SpendOptions

    func run() async throws {
        try await runGateway(options) { session in
            try await sendTransfers([try spend.transfer(kind: "posted")], session, command: "finance spend")
        }
    }
}

struct FinanceReserveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reserve", abstract: "Reserve an amount on a budget line, to post or void later (exactly once).")
    @OptionGroup var options: GatewayOptions
    @OptionGroup var spend: SpendOptions
    @Option(help: "ISO 8601 UTC (e.g. 2010-05-31T16:00:00Z) from which the reservation can only be voided") var expires: String = ""

    func run() async throws {
        try await runGateway(options) { session in
            try await sendTransfers([try spend.transfer(kind: "pending", expiresAt: expires)], session, command: "finance reserve")
        }
    }
}
