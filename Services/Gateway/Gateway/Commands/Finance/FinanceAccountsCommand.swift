import ArgumentParser
import PinganFinanceContracts

struct FinanceAccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "accounts", abstract: "Ledger accounts and their balances, by code.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "Codes starting with this, e.g. LINE/TOWN/2010/") var prefix: String = ""

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_ListAccountsRequest()
            request.codePrefix = prefix
            let list = try await session.finance().listAccounts(request, options: session.options)
            session.print(Report(command: "finance accounts", sections: [Self.section(list.accounts, title: Text("账户", "Accounts"))]))
        }
    }

    static func section(_ accounts: [Pingan_Finance_V1_Account], title: Text) -> Section {
        Section(id: "finance.accounts", title: title, table: Table(
            columns: [.init("code", Text("账户", "Account")), .init("name", Text("名称", "Name")), .init("kind", Text("类别", "Kind")),
                      .init("debits_posted_fen", Text("借方", "Debits")), .init("credits_posted_fen", Text("贷方", "Credits")),
                      .init("debits_pending_fen", Text("预留", "Reserved")), .init("available_fen", Text("可用", "Available"))],
            rows: accounts.map {
                [.text($0.code), .text($0.name), .text($0.kind), .money(fen: $0.debitsPostedFen), .money(fen: $0.creditsPostedFen),
                 .money(fen: $0.debitsPendingFen), $0.limit == "debits_within_credits" ? .money(fen: $0.availableFen) : .none]
            }))
    }
}
