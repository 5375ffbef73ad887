import ArgumentParser
import PinganFinanceContracts

struct FinanceBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch", abstract: "A batch's lines: each volunteer, standard, quantity and amount.")
    @OptionGroup var options: GatewayOptions
    @Argument var id: Int64

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_GetBatchLinesRequest()
            request.id = id
            request.pageSize = VolunteerPages.size
            let finance = try session.finance()
            let lines = try await VolunteerPages.all({ after in
                request.afterVolunteerID = after
                return try await finance.getBatchLines(request, options: session.options)
            }, next: \.nextAfterVolunteerID).flatMap(\.lines)
            session.print(Report(command: "finance batch", sections: [Section(id: "finance.lines", title: Text("批次 \(id)", "Batch \(id)"),
                                                                              table: FinanceSection.lineTable(lines))]))
        }
    }
}
