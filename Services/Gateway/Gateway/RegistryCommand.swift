import ArgumentParser
import PinganRegistryContracts
import PinganRPCTransport

/// `pingan registry ...`: the registry's everyday questions.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry", abstract: "Ask the registry.", subcommands: [RegistryProgressCommand.self])
}

/// `pingan registry progress`: enrolled volunteers against the quotas, by category.
struct RegistryProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "progress", abstract: "Recruitment against quotas, by category.")

    @OptionGroup var client: ClientOptions

    @Option(help: "The registry, name=host:port.")
    var endpoint = Endpoint.localDefaults[0]

    @Option(help: "One unit's progress instead of the town's.")
    var unit: String?

    func run() async throws {
        let connection = try await RPCConnection.connect(host: endpoint.host, port: endpoint.port, tls: client.tlsContext())
        var request = Pingan_Registry_V1_GetProgressRequest()
        request.unitCode = unit ?? ""
        let progress: Pingan_Registry_V1_Progress = try await connection.unary(RegistryMethods.getProgress, request)
        await connection.close()
        var rows = progress.categories.map { category in
            [String(category.number), category.name, category.mode, String(category.quota), String(category.enrolled),
             Self.percent(category.enrolled, of: category.quota)]
        }
        rows.append(["", "合计 total", "", String(progress.totalQuota), String(progress.totalEnrolled),
                     Self.percent(progress.totalEnrolled, of: progress.totalQuota)])
        print(TextTable.render(header: ["#", "CATEGORY", "MODE", "QUOTA", "ENROLLED", "%"], rows: rows))
    }

    static func percent(_ part: Int32, of whole: Int32) -> String {
        whole == 0 ? "-" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%"
    }
}
