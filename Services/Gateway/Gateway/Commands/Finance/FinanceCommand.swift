import ArgumentParser
import PinganCatalog

/// `pingan finance ...`: funders and budgets, expense standards, spending and reservations,
/// allowance batches, insignia stock, reports.
struct FinanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ServiceName.finance.rawValue,
        abstract: "Finance: budgets, expense standards, spending, allowance batches, insignia stock, reports.",
        subcommands: [FinanceFunderCommand.self, FinanceGrantCommand.self, FinanceRateCommand.self, FinanceAddRateCommand.self,
                      FinanceSpendCommand.self, FinanceReserveCommand.self, FinancePostCommand.self, FinanceVoidCommand.self,
                      FinanceComputeCommand.self, FinanceBatchesCommand.self, FinanceBatchCommand.self, FinanceApproveCommand.self,
                      FinancePayCommand.self, FinanceRejectCommand.self, FinanceBudgetCommand.self, FinanceAccountsCommand.self,
                      FinanceTrialBalanceCommand.self, FinanceStockCommand.self, FinanceBuyCommand.self, FinanceIssueCommand.self,
                      FinanceReturnCommand.self, FinanceLossCommand.self])
}
