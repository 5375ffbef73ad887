import ArgumentParser
import PinganRegistryContracts
import PinganRPCTransport

/// `pingan registry progress`: enrolled volunteers against the quotas, by category.
struct RegistryProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "progress", abstract: "Recruitment against quotas, by category.")

    @OptionGroup var options: GatewayOptions

    @Option(help: "One unit's progress (against its own quota) instead of the town's.")
    var unit: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Registry_V1_GetProgressRequest()
            request.unitCode = unit ?? ""
            let progress: Pingan_Registry_V1_Progress = try await session.registry().getProgress(request, options: session.options)
            var rows: [[Value]] = progress.categories.map { category in
                [.int(category.number), .text(category.name), .text(category.mode), .int(category.quota), .int(category.enrolled),
                 .percent(part: Int64(category.enrolled), whole: Int64(category.quota))]
            }
            rows.append([.none, .text("合计 total"), .none, .int(progress.totalQuota), .int(progress.totalEnrolled),
                         .percent(part: Int64(progress.totalEnrolled), whole: Int64(progress.totalQuota))])
            session.print(Report(command: "registry progress", sections: [Section(
                id: "registry.categories", title: Text("招募进度 \(progress.unitCode)", "Recruitment \(progress.unitCode)"), table: Table(
                    columns: [.init("category", Text("类别", "#")), .init("name", Text("名称", "Category")), .init("mode", Text("方式", "Mode")),
                              .init("quota", Text("指标", "Quota")), .init("enrolled", Text("已招募", "Enrolled")), .init("share", Text("完成率", "%"))],
                    rows: rows))]))
        }
    }
}
