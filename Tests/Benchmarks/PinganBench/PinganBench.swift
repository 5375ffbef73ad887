import ArgumentParser

/// `pingan-bench`: the Pingan side of the shared benchmark contract (see
/// ../shared/bench/peers/README.md): a server answering 48-byte requests with 256-byte
/// responses, and a closed-loop client printing one JSON line.
@main
struct PinganBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-bench",
        abstract: "Load generator and echo server for the Pingan protocol.",
        subcommands: [BenchServer.self, BenchClient.self, BenchStream.self, BenchRegistry.self, BenchTraining.self, BenchDuty.self, BenchLedger.self, BenchFeed.self, BenchHandshake.self]
    )
}

/// TLS flags shared by both sides, as the contract names them.
struct TLSFlags: ParsableArguments {
    @Option(help: "PEM CA certificate.") var ca: String
    @Option(help: "PEM certificate.") var cert: String
    @Option(help: "PEM private key.") var key: String
    @Option(help: "TLS 1.3 cipher suites (pinned like the reference peers).")
    var ciphersuites = "TLS_AES_128_GCM_SHA256"
}
