import ArgumentParser
import Foundation
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS
import Registry

/// Bulk-imports volunteers into a running pingan-registry through RegisterBatch (client
/// streaming, encryption included), reporting the import's time and the database's size at each
/// checkpoint; then, at the full size, GetVolunteer at 1 and 16 in flight against Health at 16
/// (same run), GetProgress, search pages from random points, and the service's RSS.
/// Prints one JSON line.
struct BenchRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "registry-import", abstract: "Measure bulk import and look-ups in the registry.")

    @Option var host = "127.0.0.1"
    @Option var port = 7401
    @Option var volunteers = 100_000
    @Option(help: "Sizes at which to report the import's time and the database's size, comma-separated.") var checkpoints = ""
    @Option(help: "Rows per batch.") var batchSize = 10_000
    @Option(help: "Batches in flight at once, each its own stream: one is received and sealed while another is written.") var streams = 2
    @Option var lookups = 20_000
    @Option var concurrency = 16
    @Option(help: "The registry's process id, to read its RSS.") var serverPid: Int32 = 0
    @Option(help: "The registry's database file, to report its size.") var database = ""
    @Flag(help: "Only the look-ups, against a registry that already holds `volunteers` (from id 1): to profile them at length.")
    var lookupsOnly = false
    @OptionGroup var tls: TLSFlags

    typealias Request = Pingan_Registry_V1_RegisterBatchRequest

    func run() async throws {
        let context = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: tls.cert, privateKeyPath: tls.key, trustRootsPath: tls.ca))
        let connection = try await RPCConnection.connect(host: host, port: port, tls: context)
        let registry = RegistryClient(connection)

        // The import, in segments ending at each checkpoint.
        let sizes = (checkpoints.split(separator: ",").compactMap { Int($0) }.filter { $0 < volunteers } + [volunteers]).sorted()
        var firstID: Int64 = 0
        var imported = 0
        var importSeconds = 0.0
        var growth: [String] = []
        if lookupsOnly { firstID = 1 } else { try await Self.saveBenchUnits(connection) }
        for size in sizes where !lookupsOnly {
            let started = ContinuousClock.now
            let first = try await Self.importBatches(connection, from: imported, to: size, batchSize: batchSize, streams: streams)
            if firstID == 0 { firstID = first }
            let seconds = Self.seconds(ContinuousClock.now - started)
            importSeconds += seconds
            growth.append(#"{"volunteers":\#(size),"import_seconds":\#(twoDecimals(importSeconds)),"segment_rows_per_s":\#(Int(Double(size - imported) / seconds)),"db_mib":\#(oneDecimal(Double(Self.fileBytes(database)) / 1_048_576)),"server_rss_mib":\#(oneDecimal(Double(Self.rssKilobytes(of: serverPid)) / 1024))}"#)
            imported = size
        }
        let rssAfterImport = Self.rssKilobytes(of: serverPid)

        let total = volunteers
        let first = firstID
        let getVolunteer: @Sendable (Int, Int) async throws -> Void = { worker, index in
            var request = Pingan_Registry_V1_GetVolunteerRequest()
            request.id = first + Int64((index * 7919 + worker * 104_729) % total)
            let _: Pingan_Registry_V1_Volunteer = try await registry.getVolunteer(request)
        }
        let single = try await Self.closedLoop(connection, calls: lookups / 4, concurrency: 1, getVolunteer)
        let latencies = try await Self.closedLoop(connection, calls: lookups, concurrency: concurrency, getVolunteer)
        // The same-run baseline: a call that does no work, at the same concurrency.
        let baseline = try await Self.closedLoop(connection, calls: lookups, concurrency: concurrency) { _, _ in
            let _: Pingan_Health_V1_HealthCheckResponse = try await connection.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
        }
        let progress = try await Self.closedLoop(connection, calls: 200, concurrency: 1) { _, index in
            var request = Pingan_Registry_V1_GetProgressRequest()
            request.unitCode = index % 2 == 0 ? "" : "BENCH"
            let _: Pingan_Registry_V1_Progress = try await registry.getProgress(request)
        }
        // A page of 50 from a random point: in id order, or in name order within a prefix
        // (names share the prefix by the thousand at a million).
        let search = try await Self.closedLoop(connection, calls: 1_000, concurrency: 1) { _, index in
            var request = Pingan_Registry_V1_SearchVolunteersRequest()
            let from = (index * 7919) % total
            var filters = VolunteerSearch()
            if index % 2 == 1 {
                request.namePrefix = "志愿者\(from / 1000)"
                filters.namePrefix = request.namePrefix
            }
            request.pageToken = filters.pageToken(after: first + Int64(from) - 1, name: "志愿者\(from)")
            let _: Pingan_Registry_V1_VolunteerPage = try await registry.searchVolunteers(request)
        }
        func percentile(_ samples: [Int64], _ p: Double) -> Double {
            Double(samples[min(samples.count - 1, max(0, Int((p * Double(samples.count)).rounded(.up)) - 1))]) / 1000
        }
        await connection.close()
        print(#"{"volunteers":\#(volunteers),"import_seconds":\#(twoDecimals(importSeconds)),"import_rows_per_s":\#(importSeconds > 0 ? Int(Double(volunteers) / importSeconds) : 0),"growth":[\#(growth.joined(separator: ","))],"get_1_in_flight_p50_us":\#(oneDecimal(percentile(single, 0.5))),"get_1_in_flight_p99_us":\#(oneDecimal(percentile(single, 0.99))),"get_lookups":\#(latencies.count),"get_concurrency":\#(concurrency),"get_p50_us":\#(oneDecimal(percentile(latencies, 0.5))),"get_p99_us":\#(oneDecimal(percentile(latencies, 0.99))),"health_p50_us":\#(oneDecimal(percentile(baseline, 0.5))),"health_p99_us":\#(oneDecimal(percentile(baseline, 0.99))),"get_p99_over_health_p99":\#(twoDecimals(percentile(latencies, 0.99) / percentile(baseline, 0.99))),"progress_p50_ms":\#(twoDecimals(percentile(progress, 0.5) / 1000)),"progress_p99_ms":\#(twoDecimals(percentile(progress, 0.99) / 1000)),"search_page_p50_ms":\#(twoDecimals(percentile(search, 0.5) / 1000)),"search_page_p99_ms":\#(twoDecimals(percentile(search, 0.99) / 1000)),"server_rss_kb_after_import":\#(rssAfterImport),"server_rss_kb_after_lookups":\#(Self.rssKilobytes(of: serverPid))}"#)
    }

    /// Registers volunteers `from..<to` in batches, `streams` at a time; the lowest id given.
    static func importBatches(_ connection: RPCConnection, from: Int, to: Int, batchSize: Int, streams: Int) async throws -> Int64 {
        try await withThrowingTaskGroup(of: Int64.self) { group in
            var lowest = Int64.max
            var inFlight = 0
            for start in stride(from: from, to: to, by: batchSize) {
                if inFlight == streams, let id = try await group.next() {
                    lowest = min(lowest, id)
                    inFlight -= 1
                }
                group.addTask { try await importBatch(connection, start: start, count: min(batchSize, to - start)).firstVolunteerID }
                inFlight += 1
            }
            for try await id in group { lowest = min(lowest, id) }
            return lowest
        }
    }

    /// The town and the department the benchmark registers into.
    static func saveBenchUnits(_ connection: RPCConnection) async throws {
        var units = Pingan_Registry_V1_SaveUnitsRequest()
        units.units = [("TOWN", "town", ""), ("BENCH", "department", "TOWN")].map { code, kind, parent in
            var unit = Pingan_Registry_V1_OrgUnit()
            unit.code = code
            unit.name = code
            unit.kind = kind
            unit.parentCode = parent
            return unit
        }
        let _: Pingan_Registry_V1_SaveUnitsResponse = try await RegistryClient(connection).saveUnits(units)
    }

    /// The database file and its write-ahead log, in bytes; 0 when not given.
    static func fileBytes(_ path: String) -> Int {
        guard !path.isEmpty else { return 0 }
        return [path, path + "-wal"].reduce(0) { sum, file in
            sum + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }

    /// Registers `count` volunteers of one department in batches; returns the first id (ids are
    /// consecutive).
    static func importVolunteers(_ connection: RPCConnection, count volunteers: Int, batchSize: Int) async throws -> Int64 {
        try await saveBenchUnits(connection)
        var firstID: Int64 = 0
        for start in stride(from: 0, to: volunteers, by: batchSize) {
            let response = try await importBatch(connection, start: start, count: min(batchSize, volunteers - start))
            if firstID == 0 { firstID = response.firstVolunteerID }
        }
        return firstID
    }

    /// One batch of `count` volunteers numbered from `start` into BENCH.
    static func importBatch(_ connection: RPCConnection, start: Int, count: Int) async throws -> Pingan_Registry_V1_RegisterBatchResponse {
        try await RegistryClient(connection).registerBatch(options: CallOptions(timeout: .seconds(300))) { (writer: RequestStreamWriter<Request>) in
            var header = Request()
            header.header.batchID = "bench-\(start)"
            header.header.unitCode = "BENCH"
            header.header.category = 4
            try await writer.write(header)
            for chunk in stride(from: start, to: start + count, by: 500) {
                try await writer.write(contentsOf: (chunk..<min(chunk + 500, start + count)).map { index in
                    var row = Request()
                    row.row.name = "志愿者\(index)"
                    row.row.idNumber = Self.idNumber(index)
                    row.row.phone = "139" + String(format: "%08d", index)
                    return row
                })
            }
        }
    }

    /// `calls` calls spread over `concurrency` workers on the connection's event loop; the
    /// latencies in nanoseconds, sorted.
    static func closedLoop(
        _ connection: RPCConnection, calls: Int, concurrency: Int, _ call: @escaping @Sendable (_ worker: Int, _ index: Int) async throws -> Void
    ) async throws -> [Int64] {
        try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<concurrency {
                group.addTask(executorPreference: connection.taskExecutor) {
                    var samples: [Int64] = []
                    for index in 0..<(calls / concurrency) {
                        let started = ContinuousClock.now
                        try await call(worker, index)
                        let (s, a) = (ContinuousClock.now - started).components
                        samples.append(s * 1_000_000_000 + a / 1_000_000_000)
                    }
                    return samples
                }
            }
            var all: [Int64] = []
            for try await samples in group { all += samples }
            return all.sorted()
        }
    }

    /// Distinct valid resident IDs: birth dates spread over 1960-1989, sequence from the index.
    static func idNumber(_ index: Int) -> String {
        let year = 1960 + index % 30, month = 1 + (index / 30) % 12, day = 1 + (index / 360) % 28
        let body = "310101" + String(format: "%04d%02d%02d%03d", year, month, day, (index / 10_080) % 1000)
        return body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func rssKilobytes(of pid: Int32) -> Int {
        pid == 0 ? 0 : BenchStream.rssKilobytes(of: pid)
    }
}
