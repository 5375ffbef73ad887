import ArgumentParser
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
        discussion: "Exit status: 0 all serving, 2 at least one endpoint unavailable or not serving, 1 usage error."
    )

    @OptionGroup var client: ClientOptions

    @Option(name: .customLong("endpoint"), help: "name=host:port, repeatable (default: the four services on 127.0.0.1:7401-7404).")
    var endpoints: [Endpoint] = []

    @Option(help: "Seconds to wait for each endpoint.")
    var timeout: Double = 3

    func validate() throws {
        guard timeout > 0, timeout <= 300 else {
            throw ValidationError("--timeout \(timeout) must be above 0 and at most 300 seconds")
        }
    }

    func run() async throws {
        let tls = try client.tlsContext()
        let targets = endpoints.isEmpty ? Endpoint.localDefaults : endpoints
        let limit = Duration.milliseconds(Int64(timeout * 1000))
        let results = await withTaskGroup(of: (Int, HealthResult).self) { group in
            for (index, endpoint) in targets.enumerated() {
                group.addTask { (index, await HealthResult.check(endpoint, tls: tls, timeout: limit)) }
            }
            var results = [HealthResult?](repeating: nil, count: targets.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
        let rows = results.map { result -> [String] in
            [result.endpoint.name, "\(result.endpoint.host):\(result.endpoint.port)", result.status, result.server,
             result.version, result.uptime, result.roundTrip]
        }
        print(TextTable.render(header: ["SERVICE", "ADDRESS", "STATUS", "SERVER", "VERSION", "UPTIME", "RTT"], rows: rows))
        if results.contains(where: { !$0.serving }) {
            throw ExitCode(2)
        }
    }
}

/// One endpoint's answer, or why there was none.
struct HealthResult: Sendable {
    var endpoint: Endpoint
    var serving = false
    var status = "UNAVAILABLE"
    var server = "-"
    var version = "-"
    var uptime = "-"
    var roundTrip = "-"

    static func check(_ endpoint: Endpoint, tls: TLSContext, timeout: Duration) async -> HealthResult {
        var result = HealthResult(endpoint: endpoint)
        let deadline = ContinuousClock.now + timeout
        do {
            let connection = try await RPCConnection.connect(
                host: endpoint.host, port: endpoint.port, tls: tls, configuration: RPCClientConfiguration(connectTimeout: timeout))
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
