import ArgumentParser
import PinganPersonalData
import PinganServiceHost
import Registry

/// `pingan-registry`: who is in the corps.
@main
struct RegistryServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-registry", abstract: "The Pingan registry service.", version: ServiceHost.version)

    @OptionGroup var options: ServiceOptions

    @Option(help: "SQLite database file, created if missing (env PINGAN_DATABASE).")
    var database: String = Environment.value("PINGAN_DATABASE") ?? ""

    @Option(help: "Personal-data key file, 128 hex digits, mode 0600 (env PINGAN_DATA_KEY); make one with deploy/make-data-key.sh.")
    var dataKey: String = Environment.value("PINGAN_DATA_KEY") ?? ""

    func validate() throws {
        if database.isEmpty { throw ValidationError("--database is required (or set PINGAN_DATABASE)") }
        if dataKey.isEmpty { throw ValidationError("--data-key is required (or set PINGAN_DATA_KEY)") }
    }

    func run() async throws {
        let key = try PersonalDataKey(contentsOf: dataKey)
        let store = try RegistryStore.open(path: database, cipher: PersonalDataCipher(key: key))
        try await ServiceHost.run(name: "pingan-registry", defaultPort: 7401, options: options,
                                  services: [RegistryService(store: store, plan: .townPlan2010)])
    }
}
