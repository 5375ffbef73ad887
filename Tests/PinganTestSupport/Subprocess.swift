import Foundation

/// Runs a command with a bound on its time, feeding it standard input and collecting its output.
public enum Subprocess {
    /// What every child process the tests start sees on top of the tests' environment: an empty
    /// XDG_CONFIG_HOME, so none reads the developer's own `~/.config/pingan/gateway.json` (which
    /// `make run` writes). A test that means to use one passes its own.
    public static let hermetic: [String: String] = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-no-user-config-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return ["XDG_CONFIG_HOME": folder, "XDG_CONFIG_DIRS": folder]
    }()

    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: Data
        public var standardError: String
        public var text: String { String(decoding: standardOutput, as: UTF8.self) }
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public var command: String
        public var description: String { "\(command) did not finish in time" }
    }

    /// Runs the command on a Dispatch thread, so waiting for it never blocks the Swift
    /// concurrency pool (two threads on this machine: blocking one starves every other test).
    ///
    /// - Parameter closeInputAfter: keep standard input open this long after writing `input`
    ///   (some peers stop reading once their input ends).
    public static func run(
        _ executable: String, _ arguments: [String], input: Data = Data(), closeInputAfter: Duration = .zero,
        environment: [String: String]? = nil, timeout: Duration
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result {
                    try runBlocking(executable, arguments, input: input, closeInputAfter: closeInputAfter,
                                    environment: environment, timeout: timeout)
                })
            }
        }
    }

    /// The blocking form, for places that are not async (one-time set-up).
    public static func runBlocking(
        _ executable: String, _ arguments: [String], input: Data = Data(), closeInputAfter: Duration = .zero,
        environment: [String: String]? = nil, timeout: Duration
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(Self.hermetic) { $1 }.merging(environment ?? [:]) { $1 }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()

        let output = OutputCollector(stdout.fileHandleForReading)
        let errors = OutputCollector(stderr.fileHandleForReading)
        stdin.fileHandleForWriting.write(input)
        if closeInputAfter > .zero { Thread.sleep(forTimeInterval: closeInputAfter.seconds) }
        try? stdin.fileHandleForWriting.close()

        let deadline = Date().addingTimeInterval(timeout.seconds)
        while process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw TimedOut(command: ([executable] + arguments).joined(separator: " "))
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, standardOutput: output.finish(),
                      standardError: String(decoding: errors.finish(), as: UTF8.self))
    }
}

/// Drains a pipe on a background thread so a chatty child never blocks on a full pipe.
private final class OutputCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}

extension Duration {
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
