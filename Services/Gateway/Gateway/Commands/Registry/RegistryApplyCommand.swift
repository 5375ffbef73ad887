import ArgumentParser
import PinganRegistryContracts
import PinganRPCTransport

/// `pingan registry apply`: a public application at a residential committee.
struct RegistryApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Submit a public application; the registry checks eligibility and lists every failed rule.")

    @OptionGroup var options: GatewayOptions
    @Option(help: "The residential committee.") var unit: String
    @Option var name: String
    @Option(help: "Mainland resident ID number.") var idNumber: String?
    @Option var passport: String?
    @Option var passportCountry: String?
    @Option(help: "YYYY-MM-DD.") var born: String
    @Option(help: "shanghai_household, other_province or foreign.") var residency = "shanghai_household"
    @Option(help: "YYYY-MM-DD, for other_province and foreign.") var residentSince: String?
    @Flag var stableJob = false
    @Flag var fixedResidence = false
    @Flag(help: "Declares good health, willingness and time to serve.") var declares = false
    @Option var phone: String?
    @Option(help: "YYYY-MM-DD.") var appliedOn: String
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Registry_V1_SubmitApplicationRequest()
            request.unitCode = unit
            request.name = name
            request.idNumber = idNumber ?? ""
            request.passportNumber = passport ?? ""
            request.passportCountry = passportCountry ?? ""
            request.birthDate = born
            request.residency = residency
            request.residentSince = residentSince ?? ""
            request.hasStableJob_p = stableJob
            request.hasFixedResidence_p = fixedResidence
            request.declaresGoodHealth = declares
            request.willingToServe = declares
            request.hasTimeToServe_p = declares
            request.phone = phone ?? ""
            request.appliedOn = appliedOn
            let status: Pingan_Registry_V1_ApplicationStatus = try await session.registry().submitApplication(request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(RegistryDecideCommand.report(status))
        }
    }
}
