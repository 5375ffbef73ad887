import ArgumentParser
import PinganCatalog
import PinganProtocolContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS

/// `pingan health`: every endpoint's status, version, uptime and round-trip time, asked in
/// parallel. Exits 0 when all serve, 2 when any does not (the rest still prints).
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that each service answers.",
        discussion: "Exit status: 0 all serving, 2 at least one endpoint unavailable or not serving, 64 usage or config error."
    )

    @OptionGroup var options: GatewayOptions

    @Option(name: .customLong("endpoint"), help: "name=host:port, repeatable (default: the town's services from the config).",
            transform: { text in
                do { return try PeerAddress.parse(text) } catch { throw ValidationError("--endpoint \(error)") }
            })
    var endpoints: [PeerAddress] = []

    @Flag(help: "Every town of the config.")
    var allTowns = false

    func run() async throws {
        try await runGateway(options) { session in
            let targets: [(town: String, endpoint: PeerAddress)] = if !endpoints.isEmpty {
                endpoints.map { ("-", $0) }
            } else {
                (allTowns ? session.config.towns : [try session.selectedTown()]).flatMap { town in
                    ServiceCatalog.all.compactMap { entry in
                        town.services[entry.name].map { (town.code, PeerAddress(name: entry.name, address: $0)) }
                    }
                }
            }
            let timeout = session.deadline - .now
            let tls = session.clients.tls
            let results = await withTaskGroup(of: (Int, HealthResult).self) { group in
                for (index, target) in targets.enumerated() {
                    group.addTask { (index, await HealthResult.check(target.endpoint, tls: tls, timeout: timeout)) }
                }
                var results = [HealthResult?](repeating: nil, count: targets.count)
                for await (index, result) in group { results[index] = result }
                return results.compactMap { $0 }
            }
            let table = Table(
                columns: [.init("town", Text("镇", "Town")), .init("service", Text("服务", "Service")), .init("address", Text("地址", "Address")),
                          .init("status", Text("状态", "Status")), .init("server", Text("程序", "Server")), .init("version", Text("版本", "Version")),
                          .init("uptime", Text("运行时间", "Uptime")), .init("rtt", Text("往返", "RTT"))],
                rows: zip(targets, results).map { target, result in
                    [.text(target.town), .text(result.endpoint.name.rawValue), .text(result.endpoint.address.description), .text(result.status),
                     .text(result.server), .text(result.version), .text(result.uptime), .text(result.roundTrip)]
                })
            session.print(Report(command: "health", sections: [Section(id: "health", title: Text("服务状态", "Services"), table: table)]))
            if results.contains(where: { !$0.serving }) {
                throw GatewayExit.partial(Text("有服务未在运行", "not every service is serving")(session.language))
            }
        }
    }
}

/// One endpoint's answer, or why there was none.
struct HealthResult: Sendable {
    var endpoint: PeerAddress
    var serving = false
    var status = "UNAVAILABLE"
    var server = "-"
    var version = "-"
    var uptime = "-"
    var roundTrip = "-"

    static func check(_ endpoint: PeerAddress, tls: TLSContext, timeout: Duration) async -> HealthResult {
        var result = HealthResult(endpoint: endpoint)
        let deadline = ContinuousClock.now + timeout
        do {
            let connection = try await RPCConnection.connect(
                host: endpoint.address.host, port: endpoint.address.port, tls: tls, configuration: RPCClientConfiguration(connectTimeout: timeout))
            let started = ContinuousClock.now
            let answer: Result<Pingan_Health_V1_HealthCheckResponse, any Error>
            do {
                answer = .success(try await connection.unary(
                    HealthService.check, Pingan_Health_V1_HealthCheckRequest(), options: CallOptions(deadline: deadline)))
            } catch {
                answer = .failure(error)
            }
            let elapsed = ContinuousClock.now - started
            await connection.close()
            let response = try answer.get()
            result.serving = response.status == .serving
            result.status = response.status == .serving ? "SERVING" : "NOT_SERVING"
            result.server = response.server
            result.version = response.version
            result.uptime = "\(response.uptimeSeconds)s"
            result.roundTrip = Self.milliseconds(elapsed)
        } catch {
            result.status = "UNAVAILABLE: \(error)"
        }
        return result
    }

    /// "1.23ms", without Foundation.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + attoseconds / 10_000_000_000_000
        let fraction = String(hundredths % 100)
        return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction)ms"
    }
}
