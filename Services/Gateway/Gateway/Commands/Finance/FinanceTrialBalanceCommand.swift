import ArgumentParser
import PinganFinanceContracts

struct FinanceTrialBalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial-balance", abstract: "Posted debits and credits over every account (equal), and any balance the transfers do not explain.")
    @OptionGroup var options: GatewayOptions

    func run() async throws {
        try await runGateway(options) { session in
            let trial = try await session.finance().getTrialBalance(Pingan_Finance_V1_GetTrialBalanceRequest(), options: session.options)
            session.print(Report(command: "finance trial-balance", sections: [Section(id: "finance.trial_balance", title: Text("试算平衡", "Trial balance"), fields: [
                Field("debits_fen", Text("借方合计", "Debits"), .money(fen: trial.debitsFen)),
                Field("credits_fen", Text("贷方合计", "Credits"), .money(fen: trial.creditsFen)),
                Field("balanced", Text("平衡", "Balanced"), .bool(trial.debitsFen == trial.creditsFen && trial.unexplainedAccounts.isEmpty)),
                Field("unexplained", Text("余额不符的账户", "Balances not explained"),
                      trial.unexplainedAccounts.isEmpty ? .none : .text(trial.unexplainedAccounts.joined(separator: " "))),
            ])]))
            guard trial.debitsFen == trial.creditsFen, trial.unexplainedAccounts.isEmpty else {
                throw GatewayExit.refused("the ledger does not balance: \(trial.unexplainedAccounts.joined(separator: " "))")
            }
        }
    }
}
