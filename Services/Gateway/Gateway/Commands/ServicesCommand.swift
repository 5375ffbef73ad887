import ArgumentParser
import Foundation
import PinganCatalog

/// `pingan services`: the service catalog - each service's executable, default port, the peers
/// it calls and what it owns. `--tsv` is what `deploy/run-local.sh` reads.
struct ServicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services", abstract: "List the services of a Pingan deployment, their default ports and peers.")

    @Flag(help: "Tab-separated lines: name, executable, default port, peers (comma-separated), summary. No header.")
    var tsv = false

    func run() {
        for entry in ServiceCatalog.all {
            let peers = entry.peers.map(\.rawValue).joined(separator: ",")
            if tsv {
                print([entry.name.rawValue, entry.executable, String(entry.defaultPort), peers, entry.summary].joined(separator: "\t"))
            } else {
                let calls = peers.isEmpty ? "" : "  (calls \(peers))"
                print("\(entry.name.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(entry.executable.padding(toLength: 16, withPad: " ", startingAt: 0)) \(entry.defaultPort)  \(entry.summary)\(calls)")
            }
        }
    }
}
